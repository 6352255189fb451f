// The device-code sign-in end to end, in Node: the unmodified DeviceCodeCredential of
// @azure/identity against the emulator's Microsoft Entra authority over HTTPS (its CA trusted for
// the authority only), the code approved through the emulator's control API as a person would on
// the verification page. The card (here: lines on the terminal) shows the code and the link, then
// who signed in; nothing shows a token or the device code.
import { EnvironmentCredential } from "@azure/identity";
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { connect } from "../src/connect.ts";
import {
  type Emulator,
  EMULATOR_TENANT_ID,
  EMULATOR_USER_ID,
  startEmulator,
} from "../src/emulator/mod.ts";
import { isRequestError } from "../src/request_errors.ts";
import { signIn, SignInCredential } from "../src/sign_in.ts";
import { recordSignedTokens } from "./hardening/_helpers.ts";
import { FAST_RETRY, rejection } from "./keys/_emulator.ts";

let emu: Emulator;
const issued = new Set<string>();
let stopRecording: () => void;

beforeAll(async () => {
  // Every token and ID token the emulator signs, so the checks below can look for them.
  stopRecording = recordSignedTokens(issued);
  emu = await startEmulator();
  emu.control.setDeviceCodeTiming({ intervalSeconds: 0.1 });
});
afterAll(async () => {
  stopRecording();
  await emu.stop();
});
afterEach(() => vi.restoreAllMocks());

const authority = () => ({ authorityHost: emu.authorityHost, ca: emu.caCertificate });
const pending = () => emu.control.deviceCodes().filter((d) => d.status === "pending");

/** Waits for the sign-in to ask, then does what the person at the verification page does. */
async function act(what: "approve" | "decline", principalId?: string): Promise<string> {
  // A sign-in left pending by an earlier test (the aborted one) is not this one.
  const earlier = new Set(pending().map((d) => d.userCode));
  const fresh = () => pending().filter((d) => !earlier.has(d.userCode));
  for (let i = 0; i < 200 && fresh().length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  const [code] = fresh();
  expect(code, "a pending device-code sign-in").toBeDefined();
  if (what === "approve") emu.control.approveDeviceCode(code!.userCode, principalId);
  else emu.control.declineDeviceCode(code!.userCode);
  return code!.userCode;
}

function printed(log: ReturnType<typeof vi.spyOn>): string {
  return log.mock.calls.map((c) => c.join(" ")).join("\n");
}

/** Nothing that grants access: no token the emulator issued, no device or refresh token shape. */
function expectNoTokens(...values: unknown[]) {
  const text = values.map((v) =>
    typeof v === "string" ? v : `${inspect(v, { depth: 9, showHidden: true })}\n${JSON.stringify(v)}`
  ).join("\n");
  for (const t of issued) expect(text.includes(t), "an issued token was shown").toBe(false);
  expect(text).not.toMatch(/DAQABIQEAAAB|1\.AQE[A-Za-z0-9_-]{20}|eyJ[A-Za-z0-9_-]{8,}\.eyJ/);
}

describe("signIn(): a device-code sign-in against the emulator's authority", () => {
  it("shows the code and the page, signs in once the code is approved, and says who signed in", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    emu.control.resetLog();
    const [credential, userCode] = await Promise.all([signIn(authority()), act("approve")]);
    expect(credential).toBeInstanceOf(SignInCredential);
    expect(credential.identity).toEqual({
      objectId: EMULATOR_USER_ID,
      principalType: "User",
      tenantId: EMULATOR_TENANT_ID,
      appId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
      displayName: "Ada Lovelace",
      signInName: "ada@emulator.example",
    });
    expect(credential.source).toBe("device-code sign-in as Ada Lovelace (ada@emulator.example)");
    // Outside a kernel the card is printed, one state after the other.
    const out = printed(log);
    expect(out).toContain("Sign in to Microsoft Entra ID  [Waiting for you]");
    expect(out).toMatch(new RegExp(`Open: +${emu.authorityHost.replace(/[.]/g, "\\.")}/devicelogin`));
    expect(out).toMatch(new RegExp(`Enter the code: ${userCode}`));
    expect(out).toMatch(/Tenant: +organizations/);
    expect(out).toContain("Signed in to Microsoft Entra ID  [Signed in]");
    expect(out).toMatch(/As: +Ada Lovelace \(ada@emulator\.example\)/);
    expect(out.indexOf("Waiting for you")).toBeLessThan(out.indexOf("[Signed in]"));
    // The default tenant is "organizations"; the unmodified credential spoke to the emulator only.
    const paths = emu.control.requestLog({ listener: "login" }).map((r) => r.path);
    expect(paths).toContain("/organizations/oauth2/v2.0/devicecode");
    const bundle = credential.toMimeBundle();
    expect(bundle["text/html"]).toContain("Signed in");
    expect(bundle["application/json"]).toMatchObject({ status: "signed-in", who: "Ada Lovelace (ada@emulator.example)" });

    // A second resource (the data plane) comes silently: no second code.
    const data = await credential.getToken("https://quantum.microsoft.com/.default");
    expect(data.token.split(".")).toHaveLength(3);
    expect(emu.control.deviceCodes()).toHaveLength(0); // redeemed, none pending
    expect(printed(log).match(/Waiting for you/g)).toHaveLength(1);
    expectNoTokens(out, credential, bundle, String(credential));
  });

  it("passes to connect(): key status and readiness as the signed-in user, and the fix assigns her data role", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const [credential] = await Promise.all([signIn(authority()), act("approve")]);
    const ws = await connect({ env: emu.revealEnv(), envFile: false, credential, retry: FAST_RETRY, progress: false });
    expect(ws.settings.credentialSource).toBe("device-code sign-in as Ada Lovelace (ada@emulator.example)");
    expect(ws.toMimeBundle()["text/plain"]).toMatch(
      /Credential: +device-code sign-in as Ada Lovelace \(ada@emulator\.example\), for key management/,
    );
    expect((await ws.keys.status()).inUse).toBe("primary"); // Ada owns the subscription
    const before = await ws.keys.readiness();
    expect(before.signedInAs).toBe("Ada Lovelace (ada@emulator.example)");
    expect(before.safe).toBe(false);
    expect(before.roleToAssign?.command).toBe(
      `az role assignment create --role "Quantum Workspace Data Contributor" --assignee-object-id ${EMULATOR_USER_ID} ` +
        `--assignee-principal-type User --scope "${before.workspaceId}"`,
    );
    const fixed = await before.fix();
    expect(fixed).toMatchObject({ applied: true, outcome: "created", principalType: "User", you: true });
    expect((await ws.keys.readiness()).safe).toBe(true);
    expect(emu.control.deviceCodes()).toHaveLength(0);
    emu.control.unassignRole("Quantum Workspace Data Contributor", { principalId: EMULATOR_USER_ID });
    expectNoTokens(ws, before, fixed);
  });

  it("signs in to the tenant named (its id in the authority path), and refuses a tenant that cannot be one", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    emu.control.resetLog();
    const [credential] = await Promise.all([signIn({ ...authority(), tenantId: EMULATOR_TENANT_ID }), act("approve")]);
    expect(credential.tenantId).toBe(EMULATOR_TENANT_ID);
    const paths = emu.control.requestLog({ listener: "login" }).map((r) => r.path);
    expect(paths).toContain(`/${EMULATOR_TENANT_ID}/oauth2/v2.0/devicecode`);
    const bad = await rejection(signIn({ ...authority(), tenantId: "a/b" }));
    expect(bad).toBeInstanceOf(RangeError);
    expect(bad.message).toBe(
      'Cannot sign in: tenantId "a/b" is not a tenant. Pass a tenant id (GUID), a domain such as "contoso.onmicrosoft.com", or "organizations"',
    );
    const http = await rejection(signIn({ authorityHost: "http://127.0.0.1:1" }));
    expect(http.message).toBe(
      'Cannot sign in: the authority "http://127.0.0.1:1" is not an https URL. Leave authorityHost out for https://login.microsoftonline.com',
    );
  });

  it("a declined sign-in: SignInFailed, the card says why, and no code or token is in the error", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const [error, userCode] = await Promise.all([rejection(signIn(authority())), act("decline")]);
    expect(isRequestError(error) && error.code).toBe("SignInFailed");
    expect(error.message).toBe(
      'Cannot sign in to Microsoft Entra ID (tenant "organizations") with a device code: the sign-in was declined. ' +
        "Run the sign-in again for a new code",
    );
    expect(printed(log)).toMatch(/Not signed in to Microsoft Entra ID {2}\[Sign-in failed\]\nWhy: +the sign-in was declined/);
    expect(`${error.message} ${inspect(error, { depth: 9, showHidden: true })}`).not.toContain(userCode);
    expectNoTokens(error);
  });

  it("an aborted sign-in stops polling and says it was cancelled", async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const abort = new AbortController();
    const signingIn = rejection(signIn({ ...authority(), signal: abort.signal }));
    for (let i = 0; i < 200 && pending().length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    abort.abort();
    const error = await signingIn;
    expect(isRequestError(error) && error.code).toBe("SignInFailed");
    expect(error.message).toContain("the sign-in was cancelled");
    const polls = emu.control.requestCount({ listener: "login", path: "/token" });
    await new Promise((r) => setTimeout(r, 400));
    expect(emu.control.requestCount({ listener: "login", path: "/token" })).toBe(polls);
    await rejection(signIn({ ...authority(), signal: AbortSignal.abort() })); // aborted before it starts
  });
});

describe("connect({ signIn })", () => {
  it('"device-code": the sign-in happens in connect, and the workspace uses it', async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const [ws] = await Promise.all([
      connect({ env: emu.revealEnv(), envFile: false, signIn: authority(), retry: FAST_RETRY, progress: false }),
      act("approve"),
    ]);
    expect(ws.settings.credentialSource).toBe("device-code sign-in as Ada Lovelace (ada@emulator.example)");
    expect((await ws.keys.status()).apiKeyEnabled).toBe(true);
  });

  it('"auto": a credential that finds no sign-in is replaced by a device-code sign-in; one that works is kept', async () => {
    vi.spyOn(console, "log").mockImplementation(() => {});
    const unavailable = new EnvironmentCredential(); // no AZURE_CLIENT_* anywhere: CredentialUnavailableError
    const options = { env: emu.revealEnv(), envFile: false, retry: FAST_RETRY, progress: false as const };
    const authorityHost = emu.authorityHost;
    const previous = process.env.AZURE_AUTHORITY_HOST;
    process.env.AZURE_AUTHORITY_HOST = authorityHost; // "auto" takes the authority from the environment
    try {
      // The emulator's CA for its authority comes from AZURE_QUANTUM_EMULATOR_CA (the env file's).
      process.env.AZURE_QUANTUM_EMULATOR_CA = emu.caFile;
      const [ws] = await Promise.all([connect({ ...options, credential: unavailable, signIn: "auto" }), act("approve")]);
      expect(ws.settings.credentialSource).toBe("device-code sign-in as Ada Lovelace (ada@emulator.example)");
      const asked = emu.control.deviceCodes().length;
      const kept = await connect({ ...options, signIn: "auto" }); // the env's managed identity works
      expect(kept.settings.credentialSource).toMatch(/^App Service managed identity/);
      expect(emu.control.deviceCodes()).toHaveLength(asked);
    } finally {
      if (previous === undefined) delete process.env.AZURE_AUTHORITY_HOST;
      else process.env.AZURE_AUTHORITY_HOST = previous;
      delete process.env.AZURE_QUANTUM_EMULATOR_CA;
    }
  });
});
