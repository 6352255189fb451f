/**
 * Leak test of the Key Vault paths, with the real values: connect from a reference (environment,
 * .env, argument), the workspace card and key status, loadConnectionAsync, rotation with
 * write-back, sharing, moving, and every error of bad input, with the Azure SDK's logs at
 * `AZURE_LOG_LEVEL=verbose`. No key (before and after rotation), connection string, secret value
 * (also one that is not a connection string), vault or other token, or IDENTITY_HEADER appears in
 * any result, display, error, JSON, inspect, spread, console output or log line.
 */
process.env.AZURE_LOG_LEVEL = "verbose"; // before @azure/logger is first loaded (lazily, below)

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as api from "../../mod.ts";
import type { Emulator } from "../../src/emulator/mod.ts";
import { renderError } from "../../src/render/render_error.ts";
import { FAST_RETRY, rejection, startKeysEmulator } from "../keys/_emulator.ts";
import { captureAzureLogs, captureOutput, everything, recordSignedTokens, SecretBook } from "./_helpers.ts";

let emu: Emulator;
let book: SecretBook;
const logs: string[] = [];
const shown: string[] = [];
const issued = new Set<string>();
const ROTATE = { graceMs: 10, pollIntervalMs: 20, waitTimeoutMs: 3000 };
const NOT_A_CONNECTION_STRING = "Password=pl41n-t3xt-db-p4ssw0rd;Server=db";

function show<T>(...values: T[]): T {
  for (const v of values) {
    shown.push(everything(v));
    // Spread and entries of what this module returns (a Workspace's own fields are its settings
    // and options, which hold the caller's env option: leak_test.ts covers the Workspace).
    if (v && typeof v === "object" && v.constructor?.name !== "Workspace") {
      shown.push(JSON.stringify({ ...v }), everything(Object.entries(v)));
      if (typeof (v as { toMimeBundle?: unknown }).toMimeBundle === "function") {
        const bundle = (v as { toMimeBundle(): Record<string, unknown> }).toMimeBundle();
        shown.push(JSON.stringify(bundle), String(bundle["text/html"]), String(bundle["text/plain"]));
      }
    }
    if (v instanceof Error) shown.push(JSON.stringify(renderError(v)));
  }
  return values[0];
}

beforeAll(async () => {
  recordSignedTokens(issued);
  await captureAzureLogs(logs);
  emu = await startKeysEmulator();
  book = new SecretBook(emu).add(NOT_A_CONNECTION_STRING);
});
afterAll(() => emu?.stop());

const reference = (name: string) => `@Microsoft.KeyVault(SecretUri=${emu.keyVaultUrl}secrets/${name}/)`;
const base = () => ({ retry: FAST_RETRY, progress: false as const });

describe("no secret leaves the Key Vault paths", () => {
  it("through connect, status, loaders, rotation, share, move and every error", async () => {
    const { output } = await captureOutput(async () => {
      emu.control.vault.setSecret("quantum", emu.connectionString.reveal());
      emu.control.vault.setSecret("password", NOT_A_CONNECTION_STRING);
      const env = { ...emu.revealEnv(), AZURE_QUANTUM_CONNECTION_STRING: reference("quantum") };

      // Connect from the environment, a .env and an argument; the card, status, settings, info.
      const ws = show(await api.connect({ ...base(), env, envFile: false }));
      // (Settings objects are left out: inspect with getters shows their `env` getter, which is the
      // caller's own env option; that is not a Key Vault path.)
      show(ws.info, ws.info.keySource, ws.settings.connection, await ws.keys.status());
      await api.display(ws);
      console.log(ws, ws.info);
      const dir = mkdtempSync(join(tmpdir(), "aqn-kv-leak-"));
      mkdirSync(join(dir, ".git"));
      writeFileSync(
        join(dir, ".env"),
        `AZURE_QUANTUM_CONNECTION_STRING=${reference("quantum")}\nAZURE_QUANTUM_EMULATOR_CA=${emu.caFile}\n` +
          `AZURE_QUANTUM_ARM_ENDPOINT=${emu.armEndpoint}\n`,
      );
      show(await api.connect({ ...base(), cwd: dir, env: {}, refresh: true }));
      show(await api.loadConnectionAsync({ env, envFile: false, refresh: true }));
      show(api.loadConnection({ env, envFile: false })); // resolved from this process's read
      show((await api.resolveSettingsAsync({ env, envFile: false })).connection);
      show(await api.connect({ ...base(), env: emu.revealEnv(), envFile: false, connectionString: reference("quantum") }));

      // Rotation with write-back (the vault now holds new keys), then sharing.
      const report = show(await ws.keys.rotate({ confirm: true, ...ROTATE }));
      await api.display(report);
      book.snapshot();
      const shared = show(await ws.keys.shareToKeyVault("secondary", { secretName: "shared" }));
      await api.display(shared);
      console.log(shared, { ...shared });

      // Moving a clear-text .env into the vault.
      const clear = mkdtempSync(join(tmpdir(), "aqn-kv-leak-move-"));
      mkdirSync(join(clear, ".git"));
      writeFileSync(
        join(clear, ".env"),
        `AZURE_QUANTUM_CONNECTION_STRING="${emu.connectionString.reveal()}"\nAZURE_QUANTUM_EMULATOR_CA=${emu.caFile}\n` +
          `AZURE_QUANTUM_ARM_ENDPOINT=${emu.armEndpoint}\n`,
      );
      const plain = await api.connect({ ...base(), cwd: clear, env: {} });
      const moved = show(await plain.keys.moveToKeyVault({ vaultUrl: emu.keyVaultUrl, secretName: "moved" }));
      await api.display(moved);
      show(await plain.keys.moveToKeyVault({ vaultUrl: emu.keyVaultUrl, secretName: "moved" }));
      expect(readFileSync(join(clear, ".env"), "utf8")).not.toContain(emu.connectionString.reveal());

      // Every kind of bad input, displayed and logged as a user would.
      const fast = { ...base(), retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 }, envFile: false as const };
      const errors = [
        await rejection(api.connect({ ...fast, env: { ...env, AZURE_QUANTUM_CONNECTION_STRING: reference("password") } })),
        await rejection(api.connect({ ...fast, env: { ...env, AZURE_QUANTUM_CONNECTION_STRING: reference("absent") } })),
        await rejection(api.connect({
          ...fast,
          env: { ...env, AZURE_QUANTUM_CONNECTION_STRING: `@Microsoft.KeyVault(VaultName=x;SecretName=${emu.connectionString.reveal()})` },
        })),
        await rejection(api.connect({
          ...fast,
          env: { ...env, AZURE_QUANTUM_CONNECTION_STRING: `@Microsoft.KeyVault(SecretUri=https://127.0.0.1:1/secrets/q/)` },
        })),
        await rejection(api.connect({ ...fast, env: { ...env, AZURE_QUANTUM_EMULATOR_CA: "" }, refresh: true })),
        await rejection(Promise.resolve().then(() =>
          api.loadConnection({ env: { AZURE_QUANTUM_CONNECTION_STRING: reference("never-read") }, envFile: false })
        )),
        await rejection(ws.keys.shareToKeyVault("secondary", { secretName: "password" })),
      ];
      emu.control.vault.unassignRole("Key Vault Secrets Officer");
      errors.push(await rejection(api.connect({ ...fast, env, refresh: true })));
      emu.control.vault.assignRole("Key Vault Secrets Officer");
      expect(errors.map((e) => (e as { code?: string }).code)).toEqual([
        "KeyVaultSecretNotConnectionString",
        "KeyVaultSecretNotFound",
        "KeyVaultReferenceInvalid",
        "KeyVaultUnreachable",
        "KeyVaultUnreachable",
        "KeyVaultReferenceUnresolved",
        "KeyVaultSecretInUse",
        "KeyVaultForbidden",
      ]);
      for (const e of errors) {
        show(e);
        await api.display(e);
        console.error(e);
      }
      show(emu.control.vault.versions("quantum"), emu.control.requestLog({ listener: "vault" }));
    });
    shown.push(output);
    book.add(...issued);
    book.expectAbsent(shown.join("\n"), "Key Vault results, errors, displays and output");
    expect(issued.size).toBeGreaterThan(0);
  });

  it("through the Azure SDK's verbose logs of the vault requests", () => {
    const text = logs.join("\n");
    expect(text).toMatch(/\/secrets\/quantum/); // the vault's requests are really logged
    expect(text).toMatch(/"authorization": "REDACTED"/i);
    book.add(...issued);
    book.expectAbsent(text, "AzureLogger output");
  });
});

it("the scan finds a secret value of the vault (not vacuous)", () => {
  expect(book.foundIn(`x ${NOT_A_CONNECTION_STRING} y`)).toHaveLength(1);
  expect(book.foundIn(emu.control.vault.secret("quantum")!.value.reveal())).toContain(
    `a ${emu.control.vault.secret("quantum")!.value.reveal().length}-char secret`,
  );
});
