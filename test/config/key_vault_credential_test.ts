// The credential variables travel with a Key Vault reference too (issues 12, 16 and 17 together):
// the vault is read with the credential of the .env (or `env` option) that holds the reference, the
// same one key management then uses, not with DefaultAzureCredential from the process environment
// (which here has no identity variables at all). Encrypted values are decrypted first.
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetDefaultCredential } from "../../src/config/credential.ts";
import { generateKeyPair } from "../../src/config/dotenvx_crypto.ts";
import { forgetKeyVaultSecrets } from "../../src/config/key_vault_cache.ts";
import { connect } from "../../src/connect.ts";
import { type Emulator, startEmulator } from "../../src/emulator/mod.ts";
import { expectNoSecrets, FAST_RETRY, secretsOf } from "../keys/_emulator.ts";
import { projectDir, VAR, writeEncryptedEnv } from "./_encrypted_env.ts";
import { clearProcessEnv } from "./_process_env.ts";

let emu: Emulator;
let restoreEnv: () => void;
const pair = generateKeyPair();

beforeAll(async () => {
  emu = await startEmulator();
  emu.control.vault.setSecret("quantum", emu.connectionString.reveal());
});
afterAll(() => emu.stop());
beforeEach(() => {
  restoreEnv = clearProcessEnv(/^(AZURE_|IDENTITY_|DOTENV_|MSI_)/);
  resetDefaultCredential();
  forgetKeyVaultSecrets();
  emu.control.resetLog();
});
afterEach(() => {
  restoreEnv();
  resetDefaultCredential();
});

/** The labels of a card's rows, in order (continuation lines have none). */
const rowLabels = (text: string) =>
  text.split("\n").slice(1).map((line) => /^([A-Z][\w ]*?):\s/.exec(line)?.[1]).filter(Boolean);
const secrets = () => [...secretsOf(emu), emu.env.IDENTITY_HEADER.reveal()];
const reference = () => `@Microsoft.KeyVault(SecretUri=${emu.keyVaultUrl}secrets/quantum/)`;
const vaultLog = () => emu.control.requestLog({ listener: "vault" }).map((e) => `${e.method} ${e.status}`);
/** What the emulator's `--write-env` file holds besides the connection string. */
const emulatorVars = () => ({
  AZURE_QUANTUM_ARM_ENDPOINT: emu.armEndpoint,
  AZURE_QUANTUM_EMULATOR_CA: emu.caFile,
  IDENTITY_ENDPOINT: emu.env.IDENTITY_ENDPOINT,
  IDENTITY_HEADER: emu.env.IDENTITY_HEADER.reveal(),
});

describe("a Key Vault reference read with the credential that travels with it", () => {
  it("a clear .env: the vault and Resource Manager both get tokens from its managed identity", async () => {
    const dir = projectDir("aqn-kv-cred-");
    const envFile = join(dir, ".env");
    const text = Object.entries({ [VAR]: reference(), ...emulatorVars() }).map(([k, v]) => `${k}='${v}'`);
    writeFileSync(envFile, text.join("\n") + "\n", { mode: 0o600 });
    const ws = await connect({ cwd: dir, env: {}, retry: FAST_RETRY, progress: false });
    expect(ws.info.keySource?.keyVault?.secretName).toBe("quantum");
    expect(ws.settings.credentialSource).toBe(
      `App Service managed identity (IDENTITY_ENDPOINT, IDENTITY_HEADER from .env ${envFile})`,
    );
    expect(vaultLog()).toEqual(["GET 401", "GET 200"]);
    expect(emu.control.requestCount({ listener: "identity" })).toBeGreaterThan(0);
    const status = await ws.keys.status();
    expect(status.toJSON()).toMatchObject({ apiKeyEnabled: true, inUse: "primary" });
    // Read again: the same credential (and so the same vault client): no second challenge.
    emu.control.resetLog();
    await connect({ cwd: dir, env: {}, retry: FAST_RETRY, progress: false, refresh: true });
    expect(vaultLog()).toEqual(["GET 200"]);
    expectNoSecrets(secrets(), ws, ws.info, ws.settings, status);
  });

  it("an encrypted .env (every value): the reference and the identity header are decrypted first", async () => {
    const dir = projectDir("aqn-kv-cred-enc-");
    const envFile = writeEncryptedEnv(dir, { [VAR]: reference(), ...emulatorVars() }, pair);
    const ws = await connect({ cwd: dir, env: {}, retry: FAST_RETRY, progress: false });
    expect(ws.info.keySource?.keyVault?.secretName).toBe("quantum");
    expect(ws.settings.credentialSource).toBe(
      `App Service managed identity (IDENTITY_ENDPOINT, IDENTITY_HEADER from encrypted .env ${envFile})`,
    );
    const status = await ws.keys.status();
    expect(status.toJSON()).toMatchObject({ apiKeyEnabled: true, inUse: "primary" });
    // Every source on one card, one row each (issues 12, 13, 16, 17 together).
    const card = ws.toMimeBundle()["text/plain"];
    expect(rowLabels(card)).toEqual([
      "Region",
      "Kind",
      "Endpoint",
      "Resource Manager",
      "Subscription",
      "Resource group",
      "Auth",
      "Config from",
      "Decrypted with",
      "Key from",
      "Credential",
      "Probe",
    ]);
    expect(card).toContain(
      `Resource Manager: ${emu.armEndpoint} (from encrypted .env ${envFile} (AZURE_QUANTUM_ARM_ENDPOINT))\n`,
    );
    expect(card).toContain(`Decrypted with:   private key ${pair.privateKey.fingerprint} from DOTENV_PRIVATE_KEY in `);
    expect(rowLabels(status.toMimeBundle()["text/plain"])).toEqual([
      "Access keys",
      "Primary",
      "Secondary",
      "In use",
      "Key from",
      "Credential",
      "Checked",
      "Resource Manager",
    ]);
    expectNoSecrets([...secrets(), pair.privateKey.reveal()], ws, ws.info, ws.settings, status);
  });

  it("an env option: its identity variables read the vault", async () => {
    const env = { [VAR]: reference(), ...emulatorVars() };
    const ws = await connect({ envFile: false, env, retry: FAST_RETRY, progress: false });
    expect(ws.info.keySource?.keyVault?.secretName).toBe("quantum");
    expect(ws.settings.credentialSource).toBe(
      "App Service managed identity (IDENTITY_ENDPOINT, IDENTITY_HEADER from the env option)",
    );
    expect((await ws.keys.status()).toJSON()).toMatchObject({ inUse: "primary" });
  });
});
