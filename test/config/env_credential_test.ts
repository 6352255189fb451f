import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AppServiceCredential } from "../../src/config/app_service_credential.ts";
import { DEFAULT_CREDENTIAL_SOURCE } from "../../src/config/env_credential.ts";
import { resolveSettings } from "../../src/config/settings.ts";
import { cs } from "./_load_fixtures.ts";

const ENV_FILE = "/repo/.env";
const HEADER = "identity-header-value-that-must-never-show-0123456789";
const CLIENT_SECRET = "client-secret-value-that-must-never-show-0123456789";
const IDENTITY = `IDENTITY_ENDPOINT=http://127.0.0.1:41234/msi/token\nIDENTITY_HEADER=${HEADER}\n`;
const CLIENT = "AZURE_TENANT_ID=00000000-0000-4000-8000-0000000000aa\n" +
  "AZURE_CLIENT_ID=00000000-0000-4000-8000-0000000000bb\n" + `AZURE_CLIENT_SECRET=${CLIENT_SECRET}\n`;

/** Options reading `text` as the project's only .env (at /repo/.env). */
function project(text: string, env: Record<string, string> = {}) {
  return {
    cwd: "/repo",
    env,
    exists: (p: string) => p === ENV_FILE || p === "/repo/.git",
    readTextFile: (p: string) => (p === ENV_FILE ? text : undefined),
  };
}

function expectHidden(value: unknown) {
  const shown = `${JSON.stringify(value)}\n${inspect(value, { depth: 8, showHidden: true })}`;
  expect(shown).not.toContain(HEADER);
  expect(shown).not.toContain(CLIENT_SECRET);
}

afterEach(() => vi.unstubAllEnvs());

describe("the credential travels with the connection", () => {
  it("IDENTITY_ENDPOINT and IDENTITY_HEADER of the .env that supplied the connection: an explicit App Service credential", () => {
    const settings = resolveSettings(project(`AZURE_QUANTUM_CONNECTION_STRING='${cs()}'\n${IDENTITY}`));
    expect(settings.credential).toBeInstanceOf(AppServiceCredential);
    expect(settings.credentialSource).toBe(
      `App Service managed identity (IDENTITY_ENDPOINT, IDENTITY_HEADER from .env ${ENV_FILE})`,
    );
    expectHidden(settings);
    expectHidden(settings.credential);
  });

  it("with AZURE_CLIENT_ID beside them: that user-assigned identity", () => {
    const settings = resolveSettings(
      project(`AZURE_QUANTUM_CONNECTION_STRING='${cs()}'\n${IDENTITY}AZURE_CLIENT_ID=cid\n`),
    );
    expect(settings.credentialSource).toBe(
      `App Service managed identity cid (IDENTITY_ENDPOINT, IDENTITY_HEADER from .env ${ENV_FILE})`,
    );
  });

  it("AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET: a client-secret credential (it wins over the identity variables)", () => {
    const settings = resolveSettings(project(`AZURE_QUANTUM_CONNECTION_STRING='${cs()}'\n${IDENTITY}${CLIENT}`));
    expect(settings.credentialSource).toBe(
      "client secret of application 00000000-0000-4000-8000-0000000000bb (AZURE_TENANT_ID, AZURE_CLIENT_ID, " +
        `AZURE_CLIENT_SECRET from .env ${ENV_FILE})`,
    );
    expectHidden(settings);
    expectHidden(settings.credential);
  });

  it("a .env that did not supply the connection gives no credential: DefaultAzureCredential", () => {
    const env = { AZURE_QUANTUM_CONNECTION_STRING: cs() };
    const settings = resolveSettings(project(IDENTITY + CLIENT, env));
    expect(settings.connection.sources.workspaceName).toBe("env AZURE_QUANTUM_CONNECTION_STRING");
    // The env option supplied it, and holds no credential variables.
    expect(settings.credentialSource).toBe(DEFAULT_CREDENTIAL_SOURCE);
  });

  it("an env option that supplied the connection is read like a .env", () => {
    const env = {
      AZURE_QUANTUM_CONNECTION_STRING: cs(),
      IDENTITY_ENDPOINT: "http://127.0.0.1:41234/msi/token",
      IDENTITY_HEADER: HEADER,
    };
    const settings = resolveSettings({ ...project(""), envFile: false, env });
    expect(settings.credentialSource).toBe(
      "App Service managed identity (IDENTITY_ENDPOINT, IDENTITY_HEADER from the env option)",
    );
  });

  it("the process environment is DefaultAzureCredential's to read, also for a connection it supplied", () => {
    vi.stubEnv("AZURE_QUANTUM_CONNECTION_STRING", cs());
    vi.stubEnv("IDENTITY_ENDPOINT", "http://127.0.0.1:41234/msi/token");
    vi.stubEnv("IDENTITY_HEADER", HEADER);
    const settings = resolveSettings({ envFile: false });
    expect(settings.credentialSource).toBe(DEFAULT_CREDENTIAL_SOURCE);
    // withConnection passes the process environment on as `env`: still not a .env.
    expect(settings.withConnection(settings.connection).credentialSource).toBe(DEFAULT_CREDENTIAL_SOURCE);
  });

  it("the credential option wins, and may be named", () => {
    const credential = { getToken: () => Promise.resolve(null) };
    const text = `AZURE_QUANTUM_CONNECTION_STRING='${cs()}'\n${IDENTITY}`;
    expect(resolveSettings({ ...project(text), credential }).credentialSource).toBe("argument credential");
    expect(resolveSettings({ ...project(text), credential, credentialSource: "mine" }).credential).toBe(credential);
  });

  it("nothing is written into process.env", () => {
    const before = { ...process.env };
    resolveSettings(project(`AZURE_QUANTUM_CONNECTION_STRING='${cs()}'\n${IDENTITY}${CLIENT}`));
    expect(process.env).toEqual(before);
  });
});
