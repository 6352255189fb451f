// `azure-quantum-notebook emulator --write-env FILE --encrypt`, and a FILE encrypted already: the
// emulator's secrets are written encrypted (dotenvx format), never in clear text.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "dotenv";
import { describe, expect, it } from "vitest";
import { generateKeyPair } from "../../src/config/dotenvx_crypto.ts";
import { loadConnection } from "../../src/config/load_connection.ts";
import { readableValues } from "../../src/emulator/encrypted_env_file.ts";
import { runEmulatorCli } from "../../src/emulator/mod.ts";
import { parseConnectionString } from "../../src/connection/connection_string.ts";
import { projectDir, VAR, writeEncryptedEnv } from "../config/_encrypted_env.ts";
import { runDotenvx } from "../config/_dotenvx.ts";

/** The emulator's variables, as `--write-env` writes them. */
const EMULATOR_VARS = [
  VAR,
  "AZURE_QUANTUM_ARM_ENDPOINT",
  "AZURE_QUANTUM_EMULATOR_CA",
  "IDENTITY_ENDPOINT",
  "IDENTITY_HEADER",
  "AZURE_QUANTUM_KEY_VAULT_URL",
];

/** The emulator's variables in `file` that are not `encrypted:` values. */
function clearVariables(file: string): string[] {
  const vars = parse(readFileSync(file, "utf8"));
  return EMULATOR_VARS.filter((name) => !/^encrypted:/.test(vars[name] ?? ""));
}

async function waitFor(check: () => boolean) {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(check()).toBe(true);
}

/** Runs the CLI with `args` until it is ready; returns its output and the workspace key it used. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stop = new AbortController();
  let out = "";
  let err = "";
  const done = runEmulatorCli(args, {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    signal: stop.signal,
  });
  await Promise.race([done, waitFor(() => out.includes("Press Ctrl+C"))]);
  stop.abort();
  return { code: await done, out, err };
}

describe("emulator --write-env FILE --encrypt", () => {
  it("writes the private key to .env.keys, then FILE with every value encrypted", async () => {
    const dir = projectDir();
    rmSync(join(dir, ".git"), { recursive: true });
    execFileSync("git", ["init", "-q", dir]); // a repository whose .gitignore does not cover .env.keys
    const file = join(dir, ".env.emulator");
    const { code, out, err } = await run(["--write-env", file, "--encrypt"]);
    expect(code).toBe(0);
    const keysFile = join(dir, ".env.keys");
    expect(out).toContain(
      `  Env file       ${file}: created; every value encrypted (dotenvx), private key ` +
        `DOTENV_PRIVATE_KEY_EMULATOR from DOTENV_PRIVATE_KEY_EMULATOR in ${keysFile}\n`,
    );
    expect(err).toContain(`Warning: ${keysFile} is not ignored by git.`);
    expect(statSync(keysFile).mode & 0o777).toBe(0o600);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/^#\/-+\[DOTENV_PUBLIC_KEY\]-+\/\n/);
    expect(text).toContain("\n# .env.emulator\n# Azure Quantum emulator: written by");
    const vars = parse(text);
    expect(Object.keys(vars).filter((name) => EMULATOR_VARS.includes(name))).toEqual(EMULATOR_VARS);
    expect(clearVariables(file)).toEqual([]);
    const info = loadConnection({ envFile: file, env: {} });
    expect(info.isEmulator).toBe(true);
    expect(readableValues(file, text, EMULATOR_VARS)!.AZURE_QUANTUM_ARM_ENDPOINT).toMatch(
      /^https:\/\/127\.0\.0\.1:\d+$/,
    );
    expect(info.sources.apiKey).toBe(`encrypted .env ${file} (${VAR})`);
    expect(text.includes(info.apiKey!.reveal())).toBe(false);
  });

  it("keeps an encrypted FILE encrypted without --encrypt, with the new emulator's values", async () => {
    const dir = projectDir();
    const file = join(dir, ".env.emulator");
    await run(["--write-env", file, "--encrypt"]);
    const keys = readFileSync(join(dir, ".env.keys"), "utf8");
    const first = loadConnection({ envFile: file, env: {} });
    const { code, out } = await run(["--write-env", file]);
    expect(code).toBe(0);
    expect(out).toMatch(
      /: updated \(the emulator's variables got new values\); every value encrypted \(dotenvx\)/,
    );
    const second = loadConnection({ envFile: file, env: {} });
    expect(second.endpoint).not.toBe(first.endpoint); // a new emulator, new ports
    expect(parse(readFileSync(file, "utf8"))[VAR]).toMatch(/^encrypted:/);
    expect(readFileSync(join(dir, ".env.keys"), "utf8")).toBe(keys); // the same key pair
  });

  it("after `dotenvx encrypt` of a clear FILE, writes none of the emulator's variables back in clear text", async () => {
    // The reviewer's case: a clear env file, encrypted by the real dotenvx CLI (every value), then
    // --write-env again without --encrypt.
    const dir = projectDir();
    const file = join(dir, ".env.emulator");
    expect((await run(["--write-env", file])).code).toBe(0);
    expect(clearVariables(file)).toEqual(EMULATOR_VARS);
    await runDotenvx(dir, ["encrypt", "-f", ".env.emulator"]);
    expect(clearVariables(file)).toEqual([]);
    const { code, out } = await run(["--write-env", file]);
    expect(code).toBe(0);
    expect(clearVariables(file)).toEqual([]);
    expect(out).toContain(
      `  Env file       ${file}: updated (the emulator's variables got new values); every value encrypted ` +
        `(dotenvx), private key DOTENV_PRIVATE_KEY_EMULATOR from DOTENV_PRIVATE_KEY_EMULATOR in ${
          join(dir, ".env.keys")
        }\n`,
    );
    // dotenvx reads back what the emulator wrote, as this module does: the new emulator's values.
    const got = await runDotenvx(dir, ["get", "-f", ".env.emulator", "--format", "json"]);
    const theirs = JSON.parse(got.stdout) as Record<string, string>;
    const ours = readableValues(file, readFileSync(file, "utf8"), EMULATOR_VARS)!;
    for (const name of EMULATOR_VARS) expect(theirs[name]).toBe(ours[name]);
    expect(ours.AZURE_QUANTUM_KEY_VAULT_URL).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/?$/);
    expect(out).toContain(ours.AZURE_QUANTUM_ARM_ENDPOINT); // the emulator that wrote them
  });

  it("encrypts into an existing clear-text FILE, keeping its other lines", async () => {
    const dir = projectDir();
    const file = join(dir, "project.env");
    const before = "# keep me\nOTHER='x'\n";
    writeFileSync(file, before);
    const { code } = await run(["--write-env", file, "--encrypt"]);
    expect(code).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/\n# project\.env\n# keep me\nOTHER='x'\n/);
    expect(parse(text).DOTENV_PUBLIC_KEY_PROJECTDEVELOPMENT).toMatch(/^0[23]/);
    expect(parse(text)[VAR]).toMatch(/^encrypted:/);
  });

  it("refuses --encrypt without --write-env", async () => {
    let err = "";
    const code = await runEmulatorCli(["--encrypt"], { stderr: (s) => (err += s) });
    expect(code).toBe(2);
    expect(err).toMatch(
      /^Cannot use --encrypt alone: it encrypts the file of --write-env FILE\. Add --write-env \.env\.emulator\n/,
    );
  });

  it("refuses an encrypted FILE whose connection string is a real workspace's (judged decrypted)", async () => {
    const dir = projectDir();
    const pair = generateKeyPair();
    const real = "SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=rg;" +
      "WorkspaceName=ws;ApiKey=REALKEY;QuantumEndpoint=https://eastus.quantum.azure.com/;";
    const file = writeEncryptedEnv(dir, { [VAR]: real }, pair, { name: ".env.emulator" });
    const before = readFileSync(file, "utf8");
    const keys = readFileSync(join(dir, ".env.keys"), "utf8");
    let out = "";
    let err = "";
    const code = await runEmulatorCli(["--write-env", file, "--encrypt"], {
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
    });
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toBe(
      `Cannot write the emulator's variables to "${file}": it sets ${VAR} to a connection string ` +
        "whose QuantumEndpoint is not a local emulator's, which the emulator will not replace. Use " +
        "another file, for example --write-env .env.emulator\n",
    );
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(readFileSync(join(dir, ".env.keys"), "utf8")).toBe(keys);
    expect(parseConnectionString(real).apiKey!.reveal()).toBe("REALKEY");
    expect(err.includes("REALKEY") || err.includes(pair.privateKey.reveal())).toBe(false);
  });

  it("refuses an encrypted FILE it cannot decrypt, naming the file, the variable and the fix", async () => {
    const dir = projectDir();
    const pair = generateKeyPair();
    const file = writeEncryptedEnv(dir, { [VAR]: "x" }, pair, {
      name: ".env.emulator",
      keys: false,
    });
    const before = readFileSync(file, "utf8");
    let err = "";
    const code = await runEmulatorCli(["--write-env", file], { stderr: (s) => (err += s) });
    expect(code).toBe(1);
    expect(err).toBe(
      `Cannot decrypt ${VAR} in ${file}: no private key was found (looked for the ` +
        `DOTENV_PRIVATE_KEY_EMULATOR environment variable and for DOTENV_PRIVATE_KEY_EMULATOR in ${
          join(dir, ".env.keys")
        }). Set DOTENV_PRIVATE_KEY_EMULATOR to the private key of DOTENV_PUBLIC_KEY_EMULATOR, or put ` +
        `the .env.keys file that dotenvx wrote beside ${file}\n`,
    );
    expect(readFileSync(file, "utf8")).toBe(before);
    expect(existsSync(join(dir, ".env.keys"))).toBe(false);
  });
});
