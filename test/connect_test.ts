import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { type Emulator, startEmulator } from "../src/emulator/mod.ts";
import { connect, listTargets } from "../src/connect.ts";
import {
  isUnauthorizedError,
  isNetworkError,
  isNotFoundError,
  isRequestError,
} from "../src/request_errors.ts";
import {
  formatConnectionString,
  parseConnectionString,
} from "../src/connection/connection_string.ts";

let emu: Emulator;
let secrets: string[];

function leakCheck(...things: unknown[]) {
  for (const thing of things) {
    const dump = typeof thing === "string" ? thing : [
      JSON.stringify(thing),
      inspect(thing, { depth: 8, showHidden: true }),
      thing instanceof Error ? `${thing.message}\n${thing.stack}\n${inspect(thing.cause)}` : "",
      thing instanceof Error ? JSON.stringify(thing, Object.getOwnPropertyNames(thing)) : "",
    ].join("\n");
    for (const s of secrets) expect(dump).not.toContain(s);
  }
}

beforeAll(async () => {
  emu = await startEmulator();
  const keys = emu.control.keys();
  secrets = [keys.primary.reveal(), keys.secondary.reveal(), emu.connectionString.reveal()];
});
afterAll(() => emu.stop());

function emulatorEnv(extra: Record<string, string> = {}) {
  return { ...emu.revealEnv(), ...extra };
}

describe("connect()", () => {
  it("connects from a .env found upward from a subfolder, and renders a card", async () => {
    const root = mkdtempSync(join(tmpdir(), "aqn-connect-"));
    mkdirSync(join(root, ".git"));
    mkdirSync(join(root, "a", "b"), { recursive: true });
    writeFileSync(
      join(root, ".env"),
      `# emulator\nAZURE_QUANTUM_CONNECTION_STRING='${emu.connectionString.reveal()}'\nAZURE_QUANTUM_EMULATOR_CA=${emu.caFile}\n`,
    );
    const ws = await connect({ cwd: join(root, "a", "b"), env: {} });
    expect(ws.info.workspaceName).toBe(emu.workspace.workspaceName);
    expect(ws.info.isEmulator).toBe(true);
    expect(ws.probeMs).toBeGreaterThan(0);
    const bundle = ws.toMimeBundle();
    expect(bundle["text/html"]).toContain("Emulator");
    expect(bundle["text/plain"]).toContain(`access key ${emu.connectionString && ws.liveKey!.key.fingerprint}`);
    expect(bundle["text/plain"]).toContain(join(root, ".env"));
    leakCheck(bundle, ws, JSON.stringify(ws));
  });

  it("connects from environment variables and lists targets", async () => {
    const ws = await connect({ env: emulatorEnv(), envFile: false });
    expect(ws.info.sources.apiKey).toBe("env AZURE_QUANTUM_CONNECTION_STRING");
    const targets = await ws.listTargets();
    expect(targets.length).toBeGreaterThan(5);
    const top = await listTargets({ filter: { provider: "IONQ" } });
    expect(top.targets.every((t) => t.providerId === "ionq")).toBe(true);
    leakCheck(targets.toMimeBundle(), top);
  });

  it("follows nextLink across 3 pages with exactly 3 requests", async () => {
    const paged = await startEmulator({ pageSize: 2, providers: [
      { id: "p1", currentAvailability: "Available", targets: [{ id: "p1.a", currentAvailability: "Available", averageQueueTime: 1 }] },
      { id: "p2", currentAvailability: "Available", targets: [{ id: "p2.a", currentAvailability: "Degraded", averageQueueTime: 60 }] },
      { id: "p3", currentAvailability: "Unavailable", targets: [{ id: "p3.a", currentAvailability: "Unavailable", averageQueueTime: 0 }] },
      { id: "p4", currentAvailability: "Available", targets: [{ id: "p4.a", currentAvailability: "Available", averageQueueTime: 7200 }] },
      { id: "p5", currentAvailability: "Available", targets: [] },
    ] });
    try {
      const ws = await connect({ env: paged.revealEnv(), envFile: false, verify: false });
      paged.control.resetLog();
      const list = await ws.listTargets();
      expect(list.providers.map((p) => p.id)).toEqual(["p1", "p2", "p3", "p4", "p5"]);
      expect(list.targets.map((t) => t.id)).toEqual(["p1.a", "p2.a", "p3.a", "p4.a"]);
      expect(paged.control.requestLog({ listener: "dataPlane" }).filter((r) => r.path.endsWith("/providerStatus"))).toHaveLength(3);
    } finally {
      await paged.stop();
    }
  });

  it("survives a 429 and waits at least its Retry-After", async () => {
    const ws = await connect({ env: emulatorEnv(), envFile: false, verify: false });
    emu.control.setFaults([{ fault: 429, count: 1, retryAfterSeconds: 1, listener: "dataPlane" }]);
    const t0 = performance.now();
    const list = await ws.listTargets();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(list.length).toBeGreaterThan(0);
  });

  it("fails a persistent 503 after the retry bound with a typed error", async () => {
    const ws = await connect({ env: emulatorEnv(), envFile: false, verify: false, retry: { maxRetries: 2, baseDelayMs: 10 } });
    emu.control.setFaults([{ fault: 503, count: 100, listener: "dataPlane", retryAfterSeconds: 0 }]);
    emu.control.resetLog();
    const err = await ws.listTargets().catch((e) => e);
    emu.control.setFaults([]);
    expect(isRequestError(err)).toBe(true);
    expect(err.statusCode).toBe(503);
    expect(err.message).toMatch(/^Cannot list targets in workspace "emulator-ws": the service answered 503/);
    expect(emu.control.requestLog({ listener: "dataPlane" })).toHaveLength(3);
    leakCheck(err);
  });

  it("explains a rejected key (401) and an unknown workspace (404)", async () => {
    const info = parseConnectionString(emu.connectionString.reveal());
    const { Secret } = await import("../src/connection/secret.ts");
    const wrong = formatConnectionString({ ...info, apiKey: new Secret("not-the-key-" + "x".repeat(40)) });
    const e401 = await connect({ connectionString: wrong, env: emulatorEnv(), envFile: false }).catch((e) => e);
    expect(isUnauthorizedError(e401)).toBe(true);
    expect(e401.message).toBe(
      'Cannot connect to workspace "emulator-ws": the key was rejected: it may have been regenerated, ' +
        `or access keys may be disabled for this workspace (check with \`keys.status()\`) (request id ${e401.requestId})`,
    );
    const missing = formatConnectionString({ ...info, workspaceName: "no-such-ws" });
    const e404 = await connect({ connectionString: missing, env: emulatorEnv(), envFile: false }).catch((e) => e);
    expect(isNotFoundError(e404)).toBe(true);
    expect(e404.message).toContain(
      `workspace "no-such-ws" was not found in resource group "${info.resourceGroup}" and subscription "${info.subscriptionId}"`,
    );
    leakCheck(e401, e404);
  });

  it("names the endpoint, and nothing secret, when the CA is not trusted", async () => {
    const env = emulatorEnv();
    delete (env as Record<string, string>).AZURE_QUANTUM_EMULATOR_CA;
    const err = await connect({ env, envFile: false, retry: { maxRetries: 0 } }).catch((e) => e);
    expect(isNetworkError(err)).toBe(true);
    expect(err.message).toContain(`Cannot reach ${new URL(emu.endpoint).origin}: its TLS certificate is not trusted`);
    leakCheck(err);
  });

  it("escapes a hostile target id in the HTML", async () => {
    const hostile = await startEmulator({ providers: [{
      id: "evil<b>",
      currentAvailability: "Available",
      targets: [{ id: "<script>alert(1)</script>", currentAvailability: "Available", averageQueueTime: 5, statusPage: "javascript:alert(1)" }],
    }] });
    try {
      const ws = await connect({ env: hostile.revealEnv(), envFile: false });
      const html = (await ws.listTargets()).toMimeBundle()["text/html"] as string;
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(html).not.toContain("<script>");
      expect(html).not.toContain('href="javascript:');
    } finally {
      await hostile.stop();
    }
  });
});

describe("connect() with Microsoft Entra ID", () => {
  it("uses DefaultAzureCredential (managed identity from the emulator) and finds the endpoint through ARM", async () => {
    const { resetDefaultCredential } = await import("../src/config/credential.ts");
    const saved = { ...process.env };
    Object.assign(process.env, {
      IDENTITY_ENDPOINT: emu.env.IDENTITY_ENDPOINT,
      IDENTITY_HEADER: emu.env.IDENTITY_HEADER.reveal(),
    });
    emu.control.assignRole("Quantum Workspace Data Contributor"); // Entra callers need a data role
    resetDefaultCredential();
    try {
      const ws = await connect({
        subscriptionId: emu.workspace.subscriptionId,
        resourceGroup: emu.workspace.resourceGroup,
        workspaceName: emu.workspace.workspaceName,
        location: "eastus",
        envFile: false,
        env: { AZURE_QUANTUM_ARM_ENDPOINT: emu.armEndpoint, AZURE_QUANTUM_EMULATOR_CA: emu.caFile },
      });
      expect(ws.authMode).toBe("Microsoft Entra ID");
      expect(ws.info.endpoint).toBe(emu.endpoint);
      expect(ws.info.sources.endpoint).toBe("Resource Manager (endpointUri)");
      expect(ws.toMimeBundle()["text/plain"]).toContain("Microsoft Entra ID");
      const list = await ws.listTargets();
      expect(list.length).toBeGreaterThan(0);
      const bearer = emu.control.requestLog({ listener: "dataPlane" }).filter((r) => r.auth === "bearer");
      expect(bearer.length).toBeGreaterThanOrEqual(2);
    } finally {
      for (const k of ["IDENTITY_ENDPOINT", "IDENTITY_HEADER"]) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      resetDefaultCredential();
    }
  });
});
