// The credential variables of an encrypted .env (issues 12, 13 and 17 together): the .env that supplied
// the connection (and only that one: the rule that also decides where tokens go) gives its
// credential also when its values are dotenvx ciphertexts, decrypted with
// the file's private key (never sent or shown as ciphertext), the secret ones when a token is first
// asked for. The emulator CLI's `--write-env .env --encrypt` file manages keys as the clear one does.
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { join } from "node:path";
import { parse } from "dotenv";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppServiceCredential } from "../../src/config/app_service_credential.ts";
import { resetDefaultCredential } from "../../src/config/credential.ts";
import { generateKeyPair } from "../../src/config/dotenvx_crypto.ts";
import { DEFAULT_CREDENTIAL_SOURCE } from "../../src/config/env_credential.ts";
import { resolveSettings } from "../../src/config/settings.ts";
import { connect } from "../../src/connect.ts";
import { runEmulatorCli } from "../../src/emulator/mod.ts";
import { cs } from "./_load_fixtures.ts";
import { projectDir, VAR, writeEncryptedEnv } from "./_encrypted_env.ts";
import { clearProcessEnv } from "./_process_env.ts";

const CLIENT_ID = "00000000-0000-4000-8000-0000000000bb";
const CLIENT_SECRET = "client-secret-value-that-must-never-show-0123456789";
const HEADER = "identity-header-value-that-must-never-show-0123456789";
const pair = generateKeyPair();

// No identity variables in the process environment: DefaultAzureCredential could not stand in.
let restoreEnv: () => void;
beforeEach(() => {
  restoreEnv = clearProcessEnv(/^(AZURE_|IDENTITY_|DOTENV_)/);
  resetDefaultCredential();
});
afterEach(() => {
  restoreEnv();
  resetDefaultCredential();
});

function shown(value: unknown): string {
  return `${JSON.stringify(value)}\n${inspect(value, { depth: 8, showHidden: true })}`;
}

describe("credential variables of an encrypted .env", () => {
  it("every value encrypted (as `dotenvx encrypt` does): the client id is named decrypted, the secret never shown", () => {
    const dir = projectDir();
    const envFile = writeEncryptedEnv(dir, {
      [VAR]: cs(),
      AZURE_TENANT_ID: "00000000-0000-4000-8000-0000000000aa",
      AZURE_CLIENT_ID: CLIENT_ID,
      AZURE_CLIENT_SECRET: CLIENT_SECRET,
      AZURE_QUANTUM_ARM_ENDPOINT: "https://127.0.0.1:9",
    }, pair);
    const settings = resolveSettings({ cwd: dir, env: {} });
    expect(settings.connection.sources.apiKey).toBe(`encrypted .env ${envFile} (${VAR})`);
    // The same .env is trusted for where tokens go (issue 13's rule), decrypted.
    expect(settings.armEndpointNote).toEqual({
      endpoint: "https://127.0.0.1:9",
      source: `encrypted .env ${envFile} (AZURE_QUANTUM_ARM_ENDPOINT)`,
    });
    expect(settings.credentialSource).toBe(
      `client secret of application ${CLIENT_ID} (AZURE_TENANT_ID, AZURE_CLIENT_ID, ` +
        `AZURE_CLIENT_SECRET from encrypted .env ${envFile})`,
    );
    for (const value of [settings, settings.credential]) {
      expect(shown(value)).not.toContain(CLIENT_SECRET);
      expect(shown(value)).not.toContain("encrypted:");
    }
  });

  it("IDENTITY_HEADER encrypted: an App Service credential, the header decrypted only when a token is asked for", () => {
    const dir = projectDir();
    const envFile = writeEncryptedEnv(dir, {
      [VAR]: cs(),
      IDENTITY_ENDPOINT: "http://127.0.0.1:9/msi/token",
      IDENTITY_HEADER: HEADER,
    }, pair, { encrypt: [VAR, "IDENTITY_HEADER"] });
    const settings = resolveSettings({ cwd: dir, env: {} });
    expect(settings.credential).toBeInstanceOf(AppServiceCredential);
    expect(settings.credentialSource).toBe(
      `App Service managed identity (IDENTITY_ENDPOINT, IDENTITY_HEADER from encrypted .env ${envFile})`,
    );
    expect(shown(settings.credential)).not.toContain(HEADER);
  });

  it("an encrypted .env that did not supply the connection gives no credential and no ARM endpoint", () => {
    const dir = projectDir();
    writeEncryptedEnv(dir, {
      IDENTITY_ENDPOINT: "http://127.0.0.1:9/msi/token",
      IDENTITY_HEADER: HEADER,
      AZURE_QUANTUM_ARM_ENDPOINT: "https://127.0.0.1:9",
    }, pair);
    const settings = resolveSettings({ cwd: dir, env: { [VAR]: cs() } });
    expect(settings.connection.sources.apiKey).toBe(`env ${VAR}`);
    expect(settings.credentialSource).toBe(DEFAULT_CREDENTIAL_SOURCE);
    expect(settings.armEndpointNote).toBeUndefined();
    expect(settings.sources.armEndpoint).toBe("default");
  });
});

describe("the emulator CLI's `--write-env .env --encrypt` file as the project's .env", () => {
  it("connect() decrypts its connection string and its identity header: key status, disable and enable work", async () => {
    const dir = projectDir();
    const envFile = join(dir, ".env");
    const stop = new AbortController();
    let out = "";
    const done = runEmulatorCli(["--write-env", envFile, "--encrypt"], {
      stdout: (s) => (out += s),
      stderr: () => {},
      signal: stop.signal,
    });
    try {
      for (let i = 0; i < 400 && !out.includes("Press Ctrl+C"); i++) await new Promise((r) => setTimeout(r, 25));
      expect(out).toContain("Press Ctrl+C");
      const vars = parse(readFileSync(envFile, "utf8"));
      expect(vars.IDENTITY_HEADER).toMatch(/^encrypted:/);
      expect(vars[VAR]).toMatch(/^encrypted:/);

      const ws = await connect({ cwd: dir, env: {}, progress: false });
      expect(ws.settings.credentialSource).toBe(
        `App Service managed identity (IDENTITY_ENDPOINT, IDENTITY_HEADER from encrypted .env ${envFile})`,
      );
      const status = await ws.keys.status();
      expect(status.toJSON()).toMatchObject({ apiKeyEnabled: true, inUse: "primary" });
      const text = status.toMimeBundle()["text/plain"];
      expect(text).toContain(`Credential: `);
      expect(text).toContain(`from encrypted .env ${envFile})`);
      const disabled = await ws.keys.disable({ confirm: true, force: true }); // the CLI emulator's identity has no data role
      expect(disabled.applied).toBe(true);
      const enabled = await ws.keys.enable();
      expect(enabled.applied).toBe(true);
      const header = readFileSync(envFile, "utf8"); // still ciphertext only
      expect(header).not.toMatch(/^IDENTITY_HEADER=(?!'?encrypted:)/m);
      await ws.close();
    } finally {
      stop.abort();
      expect(await done).toBe(0);
    }
  });
});
