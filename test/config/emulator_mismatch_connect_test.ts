/**
 * The emulator's variables left in the environment by `connect({ emulator: "auto" })`, and an Azure
 * connection from an explicitly named `.env`: nothing of the Azure workspace (its key, a token for
 * it) goes to the emulator. The reviewer's repro: `moveToKeyVault()` moved the real key into the
 * emulator's vault and replaced it in the file with a reference to that vault.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { connect } from "../../src/connect.ts";
import { kernelEmulator } from "../../src/start_emulator.ts";
import { clearProcessEnv } from "./_process_env.ts";

const AZURE_CS = "SubscriptionId=11111111-1111-4111-8111-111111111111;ResourceGroupName=rg;WorkspaceName=real;" +
  "ApiKey=azure-key;QuantumEndpoint=https://eastus.quantum.azure.com/;";
let restoreEnv: () => void;
let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "aqn-mismatch-"));
  mkdirSync(join(cwd, ".git"));
  restoreEnv = clearProcessEnv(/^(AZURE_|IDENTITY_)/);
});
afterEach(async () => {
  await kernelEmulator()?.stop();
  restoreEnv();
  rmSync(cwd, { recursive: true, force: true });
});

it("an Azure connection from envFile after the auto emulator: moveToKeyVault refuses, the file is unchanged", async () => {
  await connect({ emulator: "auto", cwd, progress: false });
  const emulator = kernelEmulator()!;
  const envFile = join(cwd, "azure.env");
  const content = `AZURE_QUANTUM_CONNECTION_STRING='${AZURE_CS}'\n`;
  writeFileSync(envFile, content, { mode: 0o600 });
  const seen = emulator.control.requestLog().length;
  const ws = await connect({ envFile, cwd, verify: false, progress: false });
  expect(ws.info.isEmulator).toBe(false);
  const e = await ws.keys.moveToKeyVault({ secretName: "quantum" }).then((r) => r, (x) => x);
  expect(e).toMatchObject({ name: "ConfigurationError", code: "EmulatorMismatch" });
  expect(e.message).toBe(
    `Cannot move the connection string to Key Vault: AZURE_QUANTUM_KEY_VAULT_URL is "${emulator.keyVaultUrl}" ` +
      "(from env AZURE_QUANTUM_KEY_VAULT_URL), the local emulator's, but the connection is to the Azure workspace " +
      "at https://eastus.quantum.azure.com/. Unset AZURE_QUANTUM_KEY_VAULT_URL in the environment " +
      '(connect({ emulator: "auto" }) exports it), or set it for Azure in the .env that holds the connection',
  );
  expect(readFileSync(envFile, "utf8")).toBe(content);
  // Nothing reached the emulator: no token asked of its identity, no ARM call, no vault write.
  expect(emulator.control.requestLog().slice(seen)).toEqual([]);
});

it("the envFile's own ARM endpoint and vault win over the emulator's; its sign-in in the environment is refused", async () => {
  await connect({ emulator: "auto", cwd, progress: false });
  const emulator = kernelEmulator()!;
  const envFile = join(cwd, "azure.env");
  const content = `AZURE_QUANTUM_CONNECTION_STRING='${AZURE_CS}'\n` +
    "AZURE_QUANTUM_ARM_ENDPOINT=https://management.azure.com\n" +
    "AZURE_QUANTUM_KEY_VAULT_URL=https://real.vault.azure.net/\n";
  writeFileSync(envFile, content, { mode: 0o600 });
  const seen = emulator.control.requestLog().length;
  const ws = await connect({ envFile, cwd, verify: false, progress: false });
  expect(ws.settings.sources.armEndpoint).toBe(`.env ${envFile} (AZURE_QUANTUM_ARM_ENDPOINT)`);
  expect(ws.settings.keyVaultUrl).toEqual({
    value: "https://real.vault.azure.net/",
    source: `.env ${envFile} (AZURE_QUANTUM_KEY_VAULT_URL)`,
  });
  // DefaultAzureCredential would sign in with the emulator's managed identity: refused.
  const refused = `is "${emulator.identityEndpoint}" (from env IDENTITY_ENDPOINT), the local emulator's, but the ` +
    "connection is to the Azure workspace at https://eastus.quantum.azure.com/. Unset IDENTITY_ENDPOINT, " +
    'IDENTITY_HEADER and AZURE_AUTHORITY_HOST in the environment (connect({ emulator: "auto" }) exports the first ' +
    "two), or pass a credential: connect({ credential }) or connect({ signIn: true })";
  expect(() => ws.settings.arm).toThrow(`Cannot use Azure Resource Manager: IDENTITY_ENDPOINT ${refused}`);
  const e = await ws.keys.moveToKeyVault({ secretName: "quantum" }).then((r) => r, (x) => x);
  expect(e).toMatchObject({ name: "ConfigurationError", code: "EmulatorMismatch" });
  expect(e.message).toBe(`Cannot move the connection string to Key Vault: IDENTITY_ENDPOINT ${refused}`);
  expect(readFileSync(envFile, "utf8")).toBe(content);
  expect(emulator.control.requestLog().slice(seen)).toEqual([]);
});
