// Round trips with the real dotenvx (dev dependency @dotenvx/dotenvx, its CLI): .env files it
// encrypted are read by connect() against the emulator, and files this module encrypted or wrote
// (encryptEnvFile, the shared secondary through updateEnvFile) are read by dotenvx.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "dotenv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../src/emulator/mod.ts";
import { connect } from "../src/connect.ts";
import { encryptEnvFile } from "../src/encrypt_env_file.ts";
import { updateEnvFile } from "../src/config/update_env_file.ts";
import { parseConnectionString } from "../src/connection/connection_string.ts";
import { expectNoSecrets, FAST_RETRY, secretsOf, startKeysEmulator } from "./keys/_emulator.ts";
import { projectDir, VAR } from "./config/_encrypted_env.ts";
import { runDotenvx } from "./config/_dotenvx.ts";

let emu: Emulator;
beforeAll(async () => {
  emu = await startKeysEmulator();
});
afterAll(() => emu.stop());

/** The emulator's settings as a clear .env text, between other lines. */
function clearEnv(): string {
  return `# emulator settings\n${VAR}='${emu.connectionString.reveal()}'\n` +
    `AZURE_QUANTUM_ARM_ENDPOINT=${emu.armEndpoint}\nAZURE_QUANTUM_EMULATOR_CA=${emu.caFile}\n`;
}

const options = { env: {}, retry: FAST_RETRY, progress: false as const };

describe(".env encrypted by the dotenvx CLI, read by connect()", () => {
  it("`dotenvx encrypt` (every value): connect(), listTargets() and keys.status() work", async () => {
    const dir = projectDir();
    writeFileSync(join(dir, ".env"), clearEnv());
    await runDotenvx(dir, ["encrypt", "-f", ".env"]);
    const vars = parse(readFileSync(join(dir, ".env"), "utf8"));
    expect(vars.AZURE_QUANTUM_ARM_ENDPOINT).toMatch(/^encrypted:/);
    const ws = await connect({ cwd: dir, ...options });
    expect(ws.info.sources.apiKey).toBe(`encrypted .env ${join(dir, ".env")} (${VAR})`);
    expect(ws.info.decryption?.privateKeySource).toBe(
      `DOTENV_PRIVATE_KEY in ${join(dir, ".env.keys")}`,
    );
    expect((await ws.listTargets()).length).toBeGreaterThan(0);
    // The ARM endpoint and the CA are decrypted when key management first needs them.
    expect(ws.settings.sources.armEndpoint).toBe(
      `encrypted .env ${join(dir, ".env")} (AZURE_QUANTUM_ARM_ENDPOINT)`,
    );
    expect((await ws.keys.status()).inUse).toBe("primary");
    const card = ws.toMimeBundle()["text/plain"];
    expect(card).toContain(`Config from:      encrypted .env ${join(dir, ".env")} (${VAR})`);
    expect(card).toMatch(
      /Decrypted with: +private key sha256:[0-9a-f]{8} from DOTENV_PRIVATE_KEY in /,
    );
    const privateKey = parse(readFileSync(join(dir, ".env.keys"), "utf8")).DOTENV_PRIVATE_KEY!;
    expectNoSecrets([...secretsOf(emu), privateKey], ws, card);
  });

  it("`dotenvx set` into .env.production: DOTENV_PRIVATE_KEY_PRODUCTION from the env option", async () => {
    const dir = projectDir();
    writeFileSync(join(dir, ".env.production"), "# production\n");
    for (const [name, value] of Object.entries(parse(clearEnv()))) {
      await runDotenvx(dir, ["set", name, value, "-f", ".env.production"]);
    }
    const key = parse(readFileSync(join(dir, ".env.keys"), "utf8")).DOTENV_PRIVATE_KEY_PRODUCTION!;
    const ws = await connect({
      ...options,
      cwd: dir,
      envFile: ".env.production",
      env: { DOTENV_PRIVATE_KEY_PRODUCTION: key },
    });
    expect(ws.info.decryption).toMatchObject({
      privateKeyName: "DOTENV_PRIVATE_KEY_PRODUCTION",
      privateKeySource: "the DOTENV_PRIVATE_KEY_PRODUCTION environment variable",
    });
    expect(ws.liveKey!.key.equals(emu.control.keys().primary)).toBe(true);
  });
});

describe(".env encrypted or written by this module, read by the dotenvx CLI", () => {
  it("encryptEnvFile(): `dotenvx get` and `dotenvx decrypt --stdout` read every value back", async () => {
    const dir = projectDir();
    writeFileSync(join(dir, ".env"), clearEnv());
    const report = await encryptEnvFile(".env", { cwd: dir, env: {}, variables: "all" });
    expect(report.encrypted).toEqual([
      VAR,
      "AZURE_QUANTUM_ARM_ENDPOINT",
      "AZURE_QUANTUM_EMULATOR_CA",
    ]);
    const got = await runDotenvx(dir, ["get", VAR, "-f", ".env"]);
    expect(got.stdout.trim()).toBe(emu.connectionString.reveal());
    const clear = await runDotenvx(dir, ["decrypt", "--stdout", "-f", ".env"]);
    expect(parse(clear.stdout)).toMatchObject(parse(clearEnv()));
    // dotenvx then changes a value of our file; connect() reads the file it left.
    await runDotenvx(dir, ["set", "LOCATION", "eastus", "-f", ".env"]);
    expect((await connect({ cwd: dir, ...options })).info.location).toBe("eastus");
  });

  it("the shared secondary, written encrypted to .env.shared, is read by dotenvx and connect()", async () => {
    const dir = projectDir();
    writeFileSync(join(dir, ".env"), clearEnv());
    const ws = await connect({ cwd: dir, ...options });
    const secondary = await ws.keys.connectionString("secondary");
    const result = await updateEnvFile(join(dir, ".env.shared"), VAR, secondary, {
      encrypt: true,
      env: {},
    });
    expect(result).toMatchObject({
      created: true,
      encrypted: true,
      keysFile: join(dir, ".env.keys"),
    });
    const got = await runDotenvx(dir, ["get", VAR, "-f", ".env.shared"]);
    expect(parseConnectionString(got.stdout.trim()).apiKey!.equals(emu.control.keys().secondary))
      .toBe(true);
    expect(readFileSync(join(dir, ".env.shared"), "utf8").includes(secondary.reveal())).toBe(false);
    const friend = await connect({
      ...options,
      cwd: dir,
      envFile: ".env.shared",
      env: { AZURE_QUANTUM_EMULATOR_CA: emu.caFile },
    });
    expect(friend.liveKey!.key.equals(emu.control.keys().secondary)).toBe(true);
  });
});
