/**
 * Leak scan of the encrypted `.env` paths: in-place encryption, connect() from the encrypted file,
 * every decryption error, the encrypted writer and a rotation, with their results, cards, errors,
 * console output and inspect views. No private key, access key, connection string, identity header
 * or token appears anywhere, and the encrypted `.env` itself never holds one in clear text.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { parse } from "dotenv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as api from "../../mod.ts";
import type { Emulator } from "../../src/emulator/mod.ts";
import { generateKeyPair } from "../../src/config/dotenvx_crypto.ts";
import { renderError } from "../../src/render/render_error.ts";
import { rejection, startKeysEmulator } from "../keys/_emulator.ts";
import { projectDir, VAR } from "../config/_encrypted_env.ts";
import { captureOutput, everything, plainViews, SecretBook } from "./_helpers.ts";

let emu: Emulator;
let book: SecretBook;
const shown: string[] = [];
const ROTATE = { graceMs: 10, pollIntervalMs: 20, waitTimeoutMs: 3000 };
const FAST = { baseDelayMs: 5, maxDelayMs: 20 };

function show<T>(...values: T[]): T {
  for (const v of values) {
    shown.push(everything(v), inspect(v, { depth: 12, showHidden: true, getters: true }));
    if (api.isDisplayable(v)) {
      const bundle = v.toMimeBundle();
      shown.push(JSON.stringify(bundle), String(bundle["text/html"]), bundle["text/plain"]);
    }
    if (v instanceof Error) shown.push(JSON.stringify(renderError(v)));
  }
  return values[0];
}

beforeAll(async () => {
  emu = await startKeysEmulator();
  book = new SecretBook(emu);
});
afterAll(() => emu?.stop());

describe("no secret leaves the encrypted .env paths", () => {
  it("through encryption, connect, errors, writes and rotation; nor stays clear in the .env", async () => {
    const dir = projectDir("aqn-leak-enc-");
    const env = join(dir, ".env");
    const other = generateKeyPair();
    book.add(other.privateKey.reveal());
    writeFileSync(
      env,
      `${VAR}='${emu.connectionString.reveal()}'\nAZURE_QUANTUM_ARM_ENDPOINT=${emu.armEndpoint}\n` +
        `AZURE_QUANTUM_EMULATOR_CA=${emu.caFile}\n`,
      { mode: 0o600 },
    );
    const { output } = await captureOutput(async () => {
      const report = show(await api.encryptEnvFile(".env", { cwd: dir, env: {} }));
      console.log(report, `${report}`, JSON.stringify(report));
      await api.display(report);
      const privateKey = parse(readFileSync(join(dir, ".env.keys"), "utf8")).DOTENV_PRIVATE_KEY!;
      book.add(privateKey);
      const options = { cwd: dir, env: {}, retry: FAST, progress: false as const };

      // Loading and connecting, the key from .env.keys, an option (string and Secret), the env.
      show(api.loadConnection({ cwd: dir, env: {} }));
      // (Settings itself is left out: its env getters show the process environment, as before.)
      const settings = api.resolveSettings({ cwd: dir, env: {}, privateKey });
      show(settings.privateKeyOptions, settings.sources, settings.connection);
      const ws = show(await api.connect(options));
      console.log(ws, ws.info, ws.settings.privateKeyOptions, ws.options);
      await api.display(ws);
      const byOption = show(await api.connect({ ...options, privateKey }));
      expect(Object.keys(byOption.options)).not.toContain("privateKey");
      show(byOption.options, byOption.settings.privateKeyOptions, byOption.info.decryption);
      expect(byOption.settings.privateKeyOptions.privateKey).toBeInstanceOf(api.Secret);
      show(await api.connect({ ...options, privateKey: new api.Secret(privateKey) }));
      show(await api.connect({ ...options, env: { DOTENV_PRIVATE_KEY: privateKey } }));
      // settings.privateKeyOptions with an env option that holds the private key and the connection
      // string: spread, console.table, entries, JSON and inspect show neither (env is by name only).
      const byEnv = await api.connect({
        ...options,
        env: { DOTENV_PRIVATE_KEY: privateKey, [VAR]: emu.connectionString.reveal(), AZURE_QUANTUM_EMULATOR_CA: emu.caFile },
      });
      const keysView = byEnv.settings.privateKeyOptions;
      expect(keysView.env?.DOTENV_PRIVATE_KEY).toBe(privateKey); // readable by name
      shown.push(plainViews(keysView), JSON.stringify({ ...keysView }), JSON.stringify(keysView));
      console.table(keysView);
      console.log(keysView, { ...keysView }, Object.entries(keysView));

      // Every decryption error, through loadConnection and connect.
      const text = readFileSync(env, "utf8");
      const at = text.indexOf("encrypted:") + 30;
      const variants: [string, object][] = [
        [text, { privateKey: other.privateKey }],
        [text, { privateKey: `x${privateKey}` }],
        [text.slice(0, at) + (text[at] === "A" ? "B" : "A") + text.slice(at + 1), {}],
        [text.replace(/^DOTENV_PUBLIC_KEY=.*$/m, `DOTENV_PUBLIC_KEY="${other.publicKey}"`), {}],
        [text.replace(/^DOTENV_PUBLIC_KEY=.*\n/m, ""), {}],
      ];
      for (const [bad, extra] of variants) {
        const d = projectDir("aqn-leak-enc-bad-");
        writeFileSync(join(d, ".env"), bad);
        writeFileSync(join(d, ".env.keys"), readFileSync(join(dir, ".env.keys")));
        show(
          await rejection(
            Promise.resolve().then(() => api.loadConnection({ cwd: d, env: {}, ...extra })),
          ),
        );
        const e = show(await rejection(api.connect({ ...options, cwd: d, ...extra })));
        console.error(e);
        await api.display(e);
        // The writer refuses some (a key that does not fit), and encrypts for the others.
        show(
          await api.updateEnvFile(join(d, ".env"), VAR, emu.connectionString, { env: {}, ...extra })
            .catch((e: unknown) => e),
        );
        book.expectAbsent(readFileSync(join(d, ".env"), "utf8"), "a damaged .env after a write");
      }

      // The encrypted writer, and a rotation that rewrites the encrypted .env twice.
      show(await api.updateEnvFile(env, "OTHER_SECRET", new api.Secret(privateKey), { env: {} }));
      const shared = await ws.keys.connectionString("secondary");
      show(
        await api.updateEnvFile(join(dir, ".env.shared"), VAR, shared, { encrypt: true, env: {} }),
      );
      show(await api.encryptEnvFile(".env", { cwd: dir, env: {} }));
      const rotation = show(await ws.keys.rotate({ confirm: true, ...ROTATE }));
      await api.display(rotation);
      console.log(rotation, ws);
      book.snapshot();
    });
    shown.push(output);
    book.expectAbsent(
      shown.join("\n"),
      "results, errors, displays and output of the encrypted paths",
    );
    // The encrypted files hold ciphertext only: no key, no connection string, no private key.
    for (const file of [".env", ".env.shared"]) {
      book.expectAbsent(readFileSync(join(dir, file), "utf8"), file);
    }
    // Not vacuous: the book does find the private key where it belongs.
    expect(book.foundIn(readFileSync(join(dir, ".env.keys"), "utf8"))).toHaveLength(1);
    console.info(
      `[hardening] encrypted .env leak scan: ${book.all.length} secrets (private keys, access keys, ` +
        `connection strings) searched in ${(shown.join("").length / 1024).toFixed(0)} KB of output`,
    );
  });
});
