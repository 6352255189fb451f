/**
 * Settings that say where a key or token goes (ARM endpoint, default Key Vault, the credential's
 * sign-in) agree with the connection on emulator or Azure, and a `.env` named by `envFile` ranks
 * above the environment for them, as for the connection.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultCredential, resetDefaultCredential } from "../../src/config/credential.ts";
import { checkPairing } from "../../src/config/arm_settings.ts";
import { keyChangesAllowed } from "../../src/config/key_changes_opt_in.ts";
import { resolveSettings, type SettingsOptions } from "../../src/config/settings.ts";
import { chooseVault } from "../../src/key_vault/vault_writes.ts";

const AZURE_CS = "SubscriptionId=11111111-1111-4111-8111-111111111111;ResourceGroupName=rg;WorkspaceName=real;" +
  "ApiKey=azure-key;QuantumEndpoint=https://eastus.quantum.azure.com/;";
const EMULATOR_CS = "SubscriptionId=11111111-1111-4111-8111-111111111111;ResourceGroupName=rg;WorkspaceName=emu;" +
  "ApiKey=emu-key;QuantumEndpoint=https://127.0.0.1:8443/;";
const AZURE_AT = "the Azure workspace at https://eastus.quantum.azure.com/";
const UNSET = (v: string) =>
  `Unset ${v} in the environment (connect({ emulator: "auto" }) exports it), or set it for Azure in the .env that holds the connection`;

const root = mkdtempSync(join(tmpdir(), "aqn-pairing-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function envFileWith(lines: string[]): string {
  const dir = join(root, String(n++));
  mkdirSync(join(dir, ".git"), { recursive: true });
  writeFileSync(join(dir, ".env"), lines.join("\n") + "\n", { mode: 0o600 });
  return join(dir, ".env");
}
function withProcessEnv(vars: Record<string, string>, run: () => void): void {
  const before = Object.fromEntries(Object.keys(vars).map((n) => [n, process.env[n]]));
  Object.assign(process.env, vars);
  try {
    run();
  } finally {
    for (const [n, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[n];
      else process.env[n] = v;
    }
  }
}
const settings = (options: SettingsOptions) => resolveSettings({ envFile: false, ...options });
const vault = (options: SettingsOptions, vaultUrl?: string) => {
  const s = settings(options);
  return chooseVault({ info: s.connection, settings: s, liveKey: undefined }, vaultUrl, {
    name: "moveToKeyVault",
    doing: "move the connection string to Key Vault",
    ownFirst: false,
  });
};

describe("checkPairing", () => {
  const azure = { isEmulator: false, endpoint: "https://eastus.quantum.azure.com/", sources: {} };
  const emulator = { isEmulator: true, endpoint: "https://127.0.0.1:8443/", sources: {} };
  const setting = (value: string) => ({ variable: "AZURE_QUANTUM_ARM_ENDPOINT", value, source: "env AZURE_QUANTUM_ARM_ENDPOINT" });

  it("refuses the emulator's endpoint for an Azure connection, naming the variable, its source and the fix", () => {
    for (const host of ["127.0.0.1:9", "localhost:9", "[::1]:9"]) {
      expect(() => checkPairing("use Azure Resource Manager", setting(`https://${host}/`), azure)).toThrow(
        `Cannot use Azure Resource Manager: AZURE_QUANTUM_ARM_ENDPOINT is "https://${host}/" (from env ` +
          `AZURE_QUANTUM_ARM_ENDPOINT), the local emulator's, but the connection is to ${AZURE_AT}. ` +
          UNSET("AZURE_QUANTUM_ARM_ENDPOINT"),
      );
    }
  });

  it("refuses an Azure endpoint for an emulator connection", () => {
    expect(() => checkPairing("use Azure Resource Manager", setting("https://management.azure.com"), emulator)).toThrow(
      'Cannot use Azure Resource Manager: AZURE_QUANTUM_ARM_ENDPOINT is "https://management.azure.com" (from env ' +
        "AZURE_QUANTUM_ARM_ENDPOINT), in Azure, but the connection is to the local emulator at https://127.0.0.1:8443/. " +
        "Set AZURE_QUANTUM_ARM_ENDPOINT to the emulator's (its env file has it), or unset it",
    );
  });

  it("accepts a matching pair, and anything while the endpoint is still to come from ARM", () => {
    expect(() => checkPairing("x", setting("https://127.0.0.1:9/"), emulator)).not.toThrow();
    expect(() => checkPairing("x", setting("https://management.azure.com"), azure)).not.toThrow();
    const derived = { ...azure, sources: { endpoint: "derived from location" } };
    expect(() => checkPairing("x", setting("https://127.0.0.1:9/"), derived)).not.toThrow();
  });
});

describe("settings.arm", () => {
  it("an Azure connection with the emulator's ARM endpoint in the environment: refused", () => {
    const s = settings({ env: { AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS, AZURE_QUANTUM_ARM_ENDPOINT: "https://127.0.0.1:9/" } });
    expect(() => s.arm).toThrow(expect.objectContaining({ name: "ConfigurationError", code: "EmulatorMismatch" }));
  });

  it("the emulator's ARM endpoint as the armEndpoint argument for an Azure connection: refused", () => {
    const s = settings({ env: { AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS }, armEndpoint: "https://127.0.0.1:9" });
    expect(() => s.arm).toThrow(
      'Cannot use Azure Resource Manager: armEndpoint is "https://127.0.0.1:9" (from argument armEndpoint), the local ' +
        `emulator's, but the connection is to ${AZURE_AT}. Pass an Azure Resource Manager endpoint as armEndpoint, or none`,
    );
  });

  it("an emulator connection with an Azure ARM endpoint set: refused; the default (Azure's public cloud) is not", () => {
    const set = settings({ env: { AZURE_QUANTUM_CONNECTION_STRING: EMULATOR_CS, AZURE_QUANTUM_ARM_ENDPOINT: "https://management.azure.com" } });
    expect(() => set.arm).toThrow(expect.objectContaining({ code: "EmulatorMismatch" }));
    expect(settings({ env: { AZURE_QUANTUM_CONNECTION_STRING: EMULATOR_CS } }).arm.endpoint).toBe("https://management.azure.com");
  });

  it("an Azure connection whose .env gives the emulator's managed identity: refused, naming the .env", () => {
    const envFile = envFileWith([
      `AZURE_QUANTUM_CONNECTION_STRING='${AZURE_CS}'`,
      "IDENTITY_ENDPOINT=http://127.0.0.1:9/msi/token",
      "IDENTITY_HEADER=h",
      "AZURE_QUANTUM_EMULATOR_CA=/emulator/ca.pem",
    ]);
    const s = settings({ envFile, env: {} });
    expect(() => s.arm).toThrow(
      `Cannot use Azure Resource Manager: IDENTITY_ENDPOINT is "http://127.0.0.1:9/msi/token" (from .env ${envFile} ` +
        `(IDENTITY_ENDPOINT)), the local emulator's, but the connection is to ${AZURE_AT}. Remove IDENTITY_ENDPOINT ` +
        `from .env ${envFile}, or pass a credential: connect({ credential })`,
    );
  });

  it("an Azure connection with the emulator's IDENTITY_ENDPOINT in the process environment: refused", () => {
    withProcessEnv({ IDENTITY_ENDPOINT: "http://localhost:9/msi/token", AZURE_QUANTUM_EMULATOR_CA: "/emulator/ca.pem" }, () => {
      const s = settings({ env: { AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS } });
      expect(() => s.arm).toThrow(
        'Cannot use Azure Resource Manager: IDENTITY_ENDPOINT is "http://localhost:9/msi/token" (from env ' +
          `IDENTITY_ENDPOINT), the local emulator's, but the connection is to ${AZURE_AT}. Unset IDENTITY_ENDPOINT, ` +
          'IDENTITY_HEADER and AZURE_AUTHORITY_HOST in the environment (connect({ emulator: "auto" }) exports the ' +
          "first two), or pass a credential: connect({ credential }) or connect({ signIn: true })",
      );
      // The caller's own credential is the caller's choice.
      const own = settings({ env: { AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS }, credential: { getToken: () => Promise.resolve(null) } });
      expect(own.arm.endpoint).toBe("https://management.azure.com");
    });
  });

  it("a loopback managed identity without the emulator's variables (App Service, Azure Arc, Azure ML compute): used", () => {
    withProcessEnv({ IDENTITY_ENDPOINT: "http://127.0.0.1:41741/msi/token", MSI_ENDPOINT: "http://127.0.0.1:46808/MSI/auth" }, () => {
      expect(settings({ env: { AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS } }).arm.endpoint).toBe("https://management.azure.com");
    });
  });

  it("the emulator's Entra authority (never a real one) with an Azure connection: refused", () => {
    withProcessEnv({ AZURE_AUTHORITY_HOST: "https://127.0.0.1:9/" }, () => {
      const s = settings({ env: { AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS } });
      expect(() => s.arm).toThrow(/^Cannot use Azure Resource Manager: AZURE_AUTHORITY_HOST is "https:\/\/127\.0\.0\.1:9\/" \(from env AZURE_AUTHORITY_HOST\), the local emulator's/);
    });
  });
});

describe("precedence: a .env named by envFile ranks above the environment, as for the connection", () => {
  const env = {
    AZURE_QUANTUM_ARM_ENDPOINT: "https://127.0.0.1:9/",
    AZURE_QUANTUM_KEY_VAULT_URL: "https://127.0.0.1:9/",
    AZURE_QUANTUM_EMULATOR_CA: "/emulator/ca.pem",
  };
  const lines = [
    `AZURE_QUANTUM_CONNECTION_STRING='${AZURE_CS}'`,
    "AZURE_QUANTUM_ARM_ENDPOINT=https://management.usgovcloudapi.net",
    "AZURE_QUANTUM_KEY_VAULT_URL=https://real.vault.azure.net/",
    "AZURE_QUANTUM_EMULATOR_CA=/project/ca.pem",
  ];

  it("named: the .env's ARM endpoint, CA and vault", () => {
    const envFile = envFileWith(lines);
    const s = settings({ envFile, env });
    expect(s.arm.endpoint).toBe("https://management.usgovcloudapi.net");
    expect(s.sources).toEqual({
      armEndpoint: `.env ${envFile} (AZURE_QUANTUM_ARM_ENDPOINT)`,
      ca: `.env ${envFile} (AZURE_QUANTUM_EMULATOR_CA)`,
    });
    expect(s.keyVaultUrl).toEqual({ value: "https://real.vault.azure.net/", source: `.env ${envFile} (AZURE_QUANTUM_KEY_VAULT_URL)` });
  });

  it("found by the search: the environment's, as before", () => {
    const envFile = envFileWith(lines);
    const s = resolveSettings({ cwd: join(envFile, ".."), env });
    expect(s.connection.sources.apiKey).toBe(`.env ${envFile} (AZURE_QUANTUM_CONNECTION_STRING)`);
    expect(s.sources.armEndpoint).toBe("env AZURE_QUANTUM_ARM_ENDPOINT");
    expect(s.keyVaultUrl?.source).toBe("env AZURE_QUANTUM_KEY_VAULT_URL");
  });
});

describe("chooseVault", () => {
  it("the emulator's vault from the environment for an Azure connection: refused", () => {
    expect(() => vault({ env: { AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS, AZURE_QUANTUM_KEY_VAULT_URL: "https://127.0.0.1:9/" } }))
      .toThrow(
        'Cannot move the connection string to Key Vault: AZURE_QUANTUM_KEY_VAULT_URL is "https://127.0.0.1:9/" (from env ' +
          `AZURE_QUANTUM_KEY_VAULT_URL), the local emulator's, but the connection is to ${AZURE_AT}. ` +
          UNSET("AZURE_QUANTUM_KEY_VAULT_URL"),
      );
  });

  it("the emulator's vault as vaultUrl for an Azure connection: refused", () => {
    expect(() => vault({ env: { AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS } }, "https://localhost:9/")).toThrow(
      'Cannot move the connection string to Key Vault: vaultUrl is "https://localhost:9/" (from moveToKeyVault options), ' +
        `the local emulator's, but the connection is to ${AZURE_AT}. ` +
        'Pass an Azure vault as vaultUrl ("https://<vault>.vault.azure.net/")',
    );
  });

  it("an Azure vault for an emulator connection: refused", () => {
    expect(() => vault({ env: { AZURE_QUANTUM_CONNECTION_STRING: EMULATOR_CS } }, "https://real.vault.azure.net/")).toThrow(
      'Cannot move the connection string to Key Vault: vaultUrl is "https://real.vault.azure.net/" (from moveToKeyVault ' +
        "options), in Azure, but the connection is to the local emulator at https://127.0.0.1:8443/. " +
        "Pass the emulator's vault (emulator.keyVaultUrl) as vaultUrl",
    );
  });

  it("matching pairs pass", () => {
    expect(vault({ env: { AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS } }, "https://real.vault.azure.net/").vaultUrl)
      .toBe("https://real.vault.azure.net/");
    expect(vault({ env: { AZURE_QUANTUM_CONNECTION_STRING: EMULATOR_CS, AZURE_QUANTUM_KEY_VAULT_URL: "https://127.0.0.1:9/" } }))
      .toEqual({ vaultUrl: "https://127.0.0.1:9/", source: "env AZURE_QUANTUM_KEY_VAULT_URL" });
  });
});

describe("keyChangesAllowed", () => {
  const host = (isEmulator: boolean, arm: string | undefined) => ({
    info: { isEmulator },
    settings: { keyChanges: { allowed: false, source: "not given" }, armEndpointNote: arm === undefined ? undefined : { endpoint: arm } },
  });
  it("the emulator without an opt-in only when the ARM endpoint is loopback too", () => {
    expect(keyChangesAllowed(host(true, "https://127.0.0.1:9"))).toBe(true);
    expect(keyChangesAllowed(host(true, undefined))).toBe(false); // Azure's public cloud
    expect(keyChangesAllowed(host(true, "https://management.usgovcloudapi.net"))).toBe(false);
    expect(keyChangesAllowed(host(false, "https://127.0.0.1:9"))).toBe(false);
  });
});

describe("DefaultAzureCredential", () => {
  it("is made again when the environment's sign-in endpoints change (it keeps the first managed identity it saw)", async () => {
    const before = process.env.IDENTITY_ENDPOINT;
    try {
      process.env.IDENTITY_ENDPOINT = "https://127.0.0.1:9/msi/token";
      const emulators = await defaultCredential();
      expect(await defaultCredential()).toBe(emulators);
      delete process.env.IDENTITY_ENDPOINT;
      expect(await defaultCredential()).not.toBe(emulators);
    } finally {
      if (before === undefined) delete process.env.IDENTITY_ENDPOINT;
      else process.env.IDENTITY_ENDPOINT = before;
      resetDefaultCredential();
    }
  });
});
