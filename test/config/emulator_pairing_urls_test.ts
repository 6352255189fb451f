/**
 * What counts as this machine (the emulator's) in the pairing checks, and what their messages quote
 * of a URL: never the user information (a password) before its host.
 */
import { describe, expect, it } from "vitest";
import { resolveArmSettings, shownUrl } from "../../src/config/arm_settings.ts";
import { isLoopbackAuthority } from "../../src/connection/quantum_endpoint.ts";
import { resolveSettings, type SettingsOptions } from "../../src/config/settings.ts";
import { EMULATOR_HOSTS, isLoopbackUrl, LOCAL_HOSTS } from "../../src/connection/quantum_endpoint.ts";
import { chooseVault } from "../../src/key_vault/vault_writes.ts";

const AZURE_CS = "SubscriptionId=11111111-1111-4111-8111-111111111111;ResourceGroupName=rg;WorkspaceName=real;" +
  "ApiKey=azure-key;QuantumEndpoint=https://eastus.quantum.azure.com/;";
const AZURE_AT = "the Azure workspace at https://eastus.quantum.azure.com/";
const PASSWORD = "hunter2";
const settings = (options: SettingsOptions) => resolveSettings({ envFile: false, ...options });
const messageOf = (run: () => unknown): string => {
  try {
    run();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("did not throw");
};

describe("isLoopbackUrl", () => {
  it.each([
    ["https://127.0.0.1:9/", true],
    ["https://localhost:9/", true],
    ["https://LOCALHOST:9/", true],
    ["https://localhost.:9/", true],
    ["https://emu.localhost:9/", true],
    ["https://127.0.0.2:9/", true],
    ["https://127.255.255.254/", true],
    ["https://127.1:9/", true],
    ["https://2130706433/", true],
    ["https://0.0.0.0:9/", true],
    ["https://[::1]:9/", true],
    ["https://[0:0:0:0:0:0:0:1]:9/", true],
    ["https://[::]:9/", true],
    ["https://[::ffff:127.0.0.1]:9/", true],
    ["https://[::ffff:127.9.8.7]:9/", true],
    ["https://management.azure.com", false],
    ["https://localhost.evil.com/", false],
    ["https://notlocalhost/", false],
    ["https://128.0.0.1/", false],
    ["https://10.0.0.1/", false],
    ["https://[::ffff:10.0.0.1]/", false],
    ["https://[::2]/", false],
    ["not a url", false],
  ])("%s → %s", (url, loopback) => {
    expect(isLoopbackUrl(url)).toBe(loopback);
  });

  it("the emulator's CA stays with the hosts that reach this machine without DNS", () => {
    const env = { AZURE_QUANTUM_EMULATOR_CA: "/nonexistent/ca.pem" };
    for (const host of ["emu.localhost", "localhost.", "127.0.0.2", "0.0.0.0"]) {
      expect(resolveArmSettings({ armEndpoint: `https://${host}:9`, env }).ca).toBeUndefined();
    }
    expect(() => resolveArmSettings({ armEndpoint: "https://127.0.0.1:9", env })).toThrow(
      expect.objectContaining({ code: "EmulatorCaUnreadable" }),
    );
  });

  it("the CA's hosts are a subset of loopback, and the emulator's endpoint hosts a subset of those", () => {
    for (const host of LOCAL_HOSTS) expect(isLoopbackUrl(`https://${host}:9/`)).toBe(true);
    for (const host of EMULATOR_HOSTS) expect(LOCAL_HOSTS.has(host)).toBe(true);
  });

  it.each([
    ["https://127.0.0.1:9", true],
    ["https://LOCALHOST:9/", true],
    ["https://[::1]", true],
    ["http://localhost:9", false],
    ["https://localhost.:9", false],
    ["https://127.0.0.2:9", false],
    ["https://login.microsoftonline.com", false],
    ["localhost", false],
  ])("authority %s gets the emulator's CA: %s", (authority, local) => {
    expect(isLoopbackAuthority(authority)).toBe(local);
  });

  it("each loopback form is the emulator's for an Azure connection: refused", () => {
    for (const host of ["localhost.:9", "127.0.0.2:9", "0.0.0.0:9", "[::ffff:127.0.0.1]:9", "emu.localhost:9"]) {
      const s = settings({ env: { AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS, AZURE_QUANTUM_ARM_ENDPOINT: `https://${host}/` } });
      expect(() => s.arm).toThrow(expect.objectContaining({ code: "EmulatorMismatch" }));
    }
  });
});

describe("no password in a message", () => {
  it("shownUrl drops user information, query and fragment, and keeps other URLs as given", () => {
    expect(shownUrl("https://me:hunter2@127.0.0.1:9/")).toBe("https://127.0.0.1:9/");
    expect(shownUrl("https://me@127.0.0.1:9/a?sig=x#y")).toBe("https://127.0.0.1:9/a");
    expect(shownUrl("me:hunter2@127.0.0.1")).toBe("127.0.0.1");
    expect(shownUrl("ftp//me:hunter2@host/x?y")).toBe("host/x");
    expect(shownUrl("https://management.azure.com")).toBe("https://management.azure.com");
  });

  it("vaultUrl with a password, for an Azure connection", () => {
    const s = settings({ env: { AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS } });
    const message = messageOf(() =>
      chooseVault({ info: s.connection, settings: s, liveKey: undefined }, `https://me:${PASSWORD}@127.0.0.1:9/`, {
        name: "moveToKeyVault",
        doing: "move the connection string to Key Vault",
        ownFirst: false,
      })
    );
    expect(message).toBe(
      'Cannot move the connection string to Key Vault: vaultUrl is "https://127.0.0.1:9/" (from moveToKeyVault options), ' +
        `the local emulator's, but the connection is to ${AZURE_AT}. ` +
        'Pass an Azure vault as vaultUrl ("https://<vault>.vault.azure.net/")',
    );
  });

  it("AZURE_QUANTUM_ARM_ENDPOINT with a password: the mismatch, and the ARM endpoint's own check", () => {
    const env = { AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS, AZURE_QUANTUM_ARM_ENDPOINT: `https://me:${PASSWORD}@127.0.0.1:9/` };
    expect(messageOf(() => settings({ env }).arm)).toBe(
      'Cannot use Azure Resource Manager: AZURE_QUANTUM_ARM_ENDPOINT is "https://127.0.0.1:9/" (from env ' +
        `AZURE_QUANTUM_ARM_ENDPOINT), the local emulator's, but the connection is to ${AZURE_AT}. Unset ` +
        'AZURE_QUANTUM_ARM_ENDPOINT in the environment (connect({ emulator: "auto" }) exports it), or set it for Azure ' +
        "in the .env that holds the connection",
    );
    const azure = { AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS, AZURE_QUANTUM_ARM_ENDPOINT: `https://me:${PASSWORD}@management.azure.com` };
    const s = settings({ env: azure });
    expect(messageOf(() => s.arm)).toBe(
      'Cannot manage access keys: the ARM endpoint "https://management.azure.com/" has user information before the ' +
        "host. Remove it from AZURE_QUANTUM_ARM_ENDPOINT (or armEndpoint): Resource Manager takes a token, not " +
        "credentials in the URL",
    );
    const gov = settings({ env: { ...azure, AZURE_QUANTUM_ARM_ENDPOINT: `https://me:${PASSWORD}@management.usgovcloudapi.net/` } });
    expect(gov.armEndpointNote).toEqual({ endpoint: "https://management.usgovcloudapi.net", source: "env AZURE_QUANTUM_ARM_ENDPOINT" });
    const http = settings({ env: { AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS, AZURE_QUANTUM_ARM_ENDPOINT: `http://me:${PASSWORD}@management.azure.com/x` } });
    expect(messageOf(() => http.arm)).toBe(
      'Cannot manage access keys: the ARM endpoint "http://management.azure.com/x" is not an https URL. ' +
        "Set AZURE_QUANTUM_ARM_ENDPOINT (or armEndpoint) to e.g. https://management.azure.com",
    );
  });

  it("IDENTITY_ENDPOINT with a password", () => {
    const env = {
      AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS,
      IDENTITY_ENDPOINT: `http://me:${PASSWORD}@127.0.0.1:9/msi/token`,
      IDENTITY_HEADER: "h",
      AZURE_QUANTUM_EMULATOR_CA: "/emulator/ca.pem",
    };
    const before = { ...process.env };
    Object.assign(process.env, env);
    try {
      const message = messageOf(() => settings({ env: { AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS } }).arm);
      expect(message).toBe(
        'Cannot use Azure Resource Manager: IDENTITY_ENDPOINT is "http://127.0.0.1:9/msi/token" (from env ' +
          `IDENTITY_ENDPOINT), the local emulator's, but the connection is to ${AZURE_AT}. Unset IDENTITY_ENDPOINT, ` +
          'IDENTITY_HEADER and AZURE_AUTHORITY_HOST in the environment (connect({ emulator: "auto" }) exports the ' +
          "first two), or pass a credential: connect({ credential }) or connect({ signIn: true })",
      );
    } finally {
      for (const name of Object.keys(env)) {
        if (before[name] === undefined) delete process.env[name];
        else process.env[name] = before[name];
      }
    }
  });
});

describe("settings.arm follows the environment as the pairing check and the opt-in read it", () => {
  it("a changed AZURE_QUANTUM_ARM_ENDPOINT is resolved again; an unchanged one is kept", () => {
    const EMULATOR_CS = "SubscriptionId=11111111-1111-4111-8111-111111111111;ResourceGroupName=rg;WorkspaceName=emu;" +
      "ApiKey=emu-key;QuantumEndpoint=https://127.0.0.1:8443/;";
    const env: Record<string, string> = { AZURE_QUANTUM_CONNECTION_STRING: EMULATOR_CS, AZURE_QUANTUM_ARM_ENDPOINT: "https://127.0.0.1:9/" };
    const s = settings({ env });
    const first = s.arm;
    expect(first.endpoint).toBe("https://127.0.0.1:9");
    expect(s.arm).toBe(first);
    env.AZURE_QUANTUM_ARM_ENDPOINT = "https://127.0.0.1:10/";
    expect(s.arm.endpoint).toBe("https://127.0.0.1:10");
    expect(s.armEndpointNote?.endpoint).toBe("https://127.0.0.1:10");
  });
});
