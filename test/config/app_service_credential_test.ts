import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppServiceCredential } from "../../src/config/app_service_credential.ts";
import { type Emulator, startEmulator } from "../../src/emulator/mod.ts";
import { isRequestError } from "../../src/request_errors.ts";
import { expectNoSecrets, rejection } from "../keys/_emulator.ts";

const ARM = "https://management.azure.com/.default";
let emu: Emulator;
let header: string;

beforeAll(async () => {
  emu = await startEmulator();
  header = emu.env.IDENTITY_HEADER.reveal();
});
afterAll(() => emu.stop());

const identityRequests = () => emu.control.requestLog({ listener: "identity" }).length;

describe("AppServiceCredential (the emulator's managed-identity endpoint)", () => {
  it("gets a token for the scope's resource, and reuses it until close to expiry", async () => {
    let now = Date.now();
    const credential = new AppServiceCredential({
      endpoint: emu.identityEndpoint,
      header: emu.env.IDENTITY_HEADER,
      now: () => now,
    });
    const before = identityRequests();
    const token = await credential.getToken(ARM);
    expect(token.token.split(".")).toHaveLength(3);
    expect(token.expiresOnTimestamp).toBeGreaterThan(now + 50 * 60_000);
    const entry = emu.control.requestLog({ listener: "identity" }).at(-1)!;
    expect(entry.status).toBe(200);
    expect(new URLSearchParams(entry.query).get("resource")).toBe("https://management.azure.com");
    expect(await credential.getToken([ARM])).toEqual(token);
    await Promise.all([credential.getToken(ARM), credential.getToken(ARM)]);
    expect(identityRequests() - before).toBe(1);
    now = token.expiresOnTimestamp - 60_000; // within five minutes of expiry: ask again
    await credential.getToken(ARM);
    expect(identityRequests() - before).toBe(2);
  });

  it("a wrong header: CredentialFailed naming where the variables came from, never the header", async () => {
    const credential = new AppServiceCredential({
      endpoint: emu.identityEndpoint,
      header: "not-the-header",
      source: ".env /repo/.env",
    });
    const e = await rejection(credential.getToken(ARM));
    expect(isRequestError(e) && e.code).toBe("CredentialFailed");
    expect(e.message).toBe(
      `Cannot get a managed-identity token: ${emu.identityEndpoint} (IDENTITY_ENDPOINT from .env /repo/.env) ` +
        "answered 401. The IDENTITY_HEADER does not match that endpoint's: use the env file its emulator wrote",
    );
    expectNoSecrets(["not-the-header", header], e);
  });

  it("no answer: CredentialUnavailable, saying to start the emulator again", async () => {
    const other = await startEmulator();
    const endpoint = other.identityEndpoint;
    await other.stop();
    const credential = new AppServiceCredential({ endpoint, header, source: ".env /repo/.env" });
    const e = await rejection(credential.getToken(ARM));
    expect(isRequestError(e) && e.code).toBe("CredentialUnavailable");
    expect(e.message).toMatch(
      /^Cannot get a managed-identity token: http:\/\/127\.0\.0\.1:\d+\/msi\/token \(IDENTITY_ENDPOINT from \.env \/repo\/\.env\) does not answer \(\w+\)\. Start the emulator that wrote these variables again, or remove them to use DefaultAzureCredential$/,
    );
    expectNoSecrets([header], e);
  });

  it("plain HTTP off this machine is refused before anything is sent", async () => {
    let sent = 0;
    for (const endpoint of ["http://example.com/msi/token", "http://10.0.0.4:8081/msi/token", "ftp://127.0.0.1/x"]) {
      const credential = new AppServiceCredential({
        endpoint,
        header,
        fetch: () => {
          sent++;
          return Promise.resolve(new Response("{}"));
        },
      });
      const e = await rejection(credential.getToken(ARM));
      expect(isRequestError(e) && e.code).toBe("CredentialUnavailable");
      expect(e.message).toContain("which would receive the identity header over plain HTTP off this machine");
    }
    expect(sent).toBe(0);
    // App Service's own link-local endpoint and https are fine.
    for (const endpoint of ["http://169.254.129.2:8081/msi/token", "https://identity.example/msi/token"]) {
      const credential = new AppServiceCredential({
        endpoint,
        header,
        fetch: (req) => {
          sent++;
          expect(req.headers.get("x-identity-header")).toBe(header);
          expect(new URL(req.url).searchParams.get("api-version")).toBe("2019-08-01");
          return Promise.resolve(Response.json({ access_token: "t", expires_on: "4102444800" }));
        },
      });
      expect(await credential.getToken(ARM)).toEqual({ token: "t", expiresOnTimestamp: 4102444800_000 });
    }
    expect(sent).toBe(2);
  });

  it("the key operations use it: ws.keys.status() through a .env-made credential", async () => {
    const { connect } = await import("../../src/connect.ts");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "aqn-cred-"));
    const env = emu.revealEnv();
    writeFileSync(
      join(dir, ".env"),
      Object.entries(env).map(([k, v]) => `${k}='${v}'`).join("\n") + "\n",
      { mode: 0o600 },
    );
    const ws = await connect({ envFile: join(dir, ".env"), env: {}, progress: false });
    expect(ws.settings.credentialSource).toBe(
      `App Service managed identity (IDENTITY_ENDPOINT, IDENTITY_HEADER from .env ${join(dir, ".env")})`,
    );
    const status = await ws.keys.status();
    expect(status.inUse).toBe("primary");
    expect(status.toMimeBundle()["text/plain"]).toContain(`Credential:       App Service managed identity`);
    expectNoSecrets([header, env.AZURE_QUANTUM_CONNECTION_STRING], ws, status);
  });
});
