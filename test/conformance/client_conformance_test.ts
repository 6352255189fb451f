/**
 * Conformance, client side: this module's public API reads the answers Azure gave in the recordings
 * (served by a fetch that replays them; no emulator involved): it parses them, displays them, and
 * gives the results a user would see. It also sends what the recorded clients sent.
 */
import type { TokenCredential } from "@azure/core-auth";
import { describe, expect, it } from "vitest";
import {
  connect,
  type ConnectOptions,
  fingerprint,
  isUnauthorizedError,
  KeyStatus,
  KeyToggleResult,
  type NotApplied,
  parseConnectionString,
  RegenerateResult,
  Secret,
} from "../../mod.ts";
import { keyVaultSecretTarget } from "../../src/config/key_vault_reference.ts";
import { readKeyVaultSecret, writeKeyVaultSecret } from "../../src/config/key_vault_source.ts";
import { EntraReadiness } from "../../src/keys/readiness.ts";
import { RoleAssignmentResult } from "../../src/entra/role_assignment_result.ts";
import { EXCHANGES, exchange, FIXTURE, listKeysSample, workspaceSample } from "./exchanges.ts";
import { fixtureFetch, type Respond, responseFor } from "./fixture_fetch.ts";
import { serveFixture } from "./fixture_server.ts";
import { bodyDifferences } from "./shape.ts";

// An unsigned token with the claims this module reads (who is signed in); the fixture checks none.
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
const fixtureToken = (scope: string) =>
  `${b64({ alg: "none" })}.${
    b64({ oid: FIXTURE.principalId, tid: FIXTURE.tenantId, idtyp: "user", upn: "fixture@example.com", aud: scope })
  }.fixture`;
const credential: TokenCredential = {
  getToken: (scopes) =>
    Promise.resolve({ token: fixtureToken([scopes].flat()[0]!), expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const keyConnection = `SubscriptionId=${FIXTURE.subscriptionId};ResourceGroupName=${FIXTURE.resourceGroup};` +
  `WorkspaceName=${FIXTURE.workspaceName};ApiKey=fixture-primary-key;QuantumEndpoint=https://eastus.quantum.azure.com/;`;
const servedEverywhere = new Set<string>();

/** Connects through the recorded answers, at the ARM api-version of the recordings. */
async function connected(options: ConnectOptions, respond?: Respond) {
  const fixture = fixtureFetch(respond);
  const ws = await connect({
    envFile: false,
    env: {},
    credential,
    fetch: fixture.fetch,
    armFetch: fixture.fetch,
    armApiVersion: exchange("arm.listKeys").request.apiVersion,
    progress: false,
    retry: { maxRetries: 0 },
    ...options,
  });
  return { ws, fixture };
}

function settle(fixture: ReturnType<typeof fixtureFetch>) {
  expect(fixture.unserved, "requests no recording answers").toEqual([]);
  for (const id of fixture.served) servedEverywhere.add(id);
}

describe("the public API reads Azure's recorded answers", () => {
  it("connect() with Entra ID takes the endpoint from the recorded GET, and listTargets() reads providerStatus", async () => {
    const { ws, fixture } = await connected({
      subscriptionId: FIXTURE.subscriptionId,
      resourceGroup: FIXTURE.resourceGroup,
      workspaceName: FIXTURE.workspaceName,
      location: "East US",
    });
    expect(ws.info.endpoint).toBe("https://fixture-ws.eastus.quantum.azure.com/");
    expect(ws.info.sources.endpoint).toBe("Resource Manager (endpointUri)");
    expect(ws.authMode).toBe("Microsoft Entra ID");
    const card = ws.toMimeBundle()["text/plain"];
    expect(card).toContain("fixture-ws");
    expect(card).toContain("Azure");
    const targets = await ws.listTargets();
    expect(targets.providers.map((p) => p.id)).toEqual(["ionq", "pasqal"]);
    expect(targets.targets.map((t) => [t.id, t.currentAvailability, t.averageQueueTime, t.statusPage])).toEqual([
      ["ionq.simulator", "Available", 42, "https://status.example.com/ionq"],
      ["ionq.qpu.fixture-1", "Unavailable", 0, "https://status.example.com/ionq"],
      ["pasqal.qpu.fixture", "Degraded", 0, ""],
    ]);
    expect((await ws.listTargets({ availability: "Available" })).targets.map((t) => t.id)).toEqual([
      "ionq.simulator",
    ]);
    const table = targets.toMimeBundle();
    expect(table["text/plain"]).toContain("ionq.simulator");
    expect(table["text/html"]).toContain('href="https://status.example.com/ionq"');
    expect(fixture.served).toEqual([
      "arm.workspace.get",
      "dataPlane.providerStatus",
      "dataPlane.providerStatus",
      "dataPlane.providerStatus",
    ]);
    settle(fixture);
  });

  it("connect() turns the recorded keys-disabled 401 (empty body, www-authenticate) into an UnauthorizedError", async () => {
    const recorded = exchange("dataPlane.jobs.keysDisabled");
    const probes: string[] = [];
    const error = await connect({
      connectionString: keyConnection,
      envFile: false,
      env: {},
      progress: false,
      retry: { maxRetries: 0 },
      // The recorded 401 (on jobs) answers the probe: the data plane rejects a key alike everywhere.
      fetch: (req) => {
        probes.push(new URL(req.url).pathname.split("/").pop()!);
        return Promise.resolve(responseFor(recorded));
      },
    }).then(() => undefined, (e: unknown) => e as Error);
    expect(isUnauthorizedError(error)).toBe(true);
    expect(probes).toEqual(["providerStatus"]);
    expect((error as Error).message).toMatch(
      /^Cannot connect to workspace "fixture-ws": the key was rejected: it may have been regenerated, or access keys may be disabled for this workspace \(check with `keys.status\(\)`\) \(request id [0-9a-f-]{36}\)$/,
    );
    expect((error as { statusCode?: number }).statusCode).toBe(401);
    expect(`${(error as Error).message}${JSON.stringify(error)}`).not.toContain("fixture-primary-key");
    servedEverywhere.add(recorded.id);
  });

  it("keys.status() reads listKeys without createdAt: fingerprints, no age, the key in use", async () => {
    const { ws, fixture } = await connected({ connectionString: keyConnection, verify: false });
    const status = await ws.keys.status();
    expect(status).toBeInstanceOf(KeyStatus);
    expect(status.apiKeyEnabled).toBe(true);
    expect(status.primary).toEqual({ slot: "primary", fingerprint: fingerprint("fixture-primary-key"), createdAt: undefined, ageMs: undefined });
    expect(status.secondary?.fingerprint).toBe(fingerprint("fixture-secondary-key"));
    expect(status.inUse).toBe("primary");
    const text = status.toMimeBundle()["text/plain"];
    expect(text).toContain(`Primary:     ${fingerprint("fixture-primary-key")}`);
    expect(text).not.toContain("created");
    expect(JSON.stringify(status.toMimeBundle())).not.toContain("fixture-primary-key");
    expect(fixture.served).toEqual(["arm.listKeys"]);
    settle(fixture);
  });

  it("on Azure, disable, regenerate and rotate change nothing without the opt-in, and say how to give it", async () => {
    const { ws, fixture } = await connected({ connectionString: keyConnection, verify: false });
    const disabled = await ws.keys.disable({ confirm: true });
    const regenerated = await ws.keys.regenerate("secondary", { confirm: true });
    const rotated = await ws.keys.rotate({ confirm: true });
    for (const result of [disabled, regenerated, rotated]) {
      expect(result.applied).toBe(false);
      expect((result as NotApplied).reason).toBe("opt-in-required");
      expect((result as NotApplied).fix).toBe(
        "To change its keys, set AZURE_QUANTUM_ALLOW_KEY_CHANGES=1 in the environment, or connect({ allowKeyChanges: true }), then run this again.",
      );
    }
    expect((disabled as NotApplied).message).toBe(
      "Not done: this would disable access keys of workspace 'fixture-ws'. Workspace 'fixture-ws' is on Azure " +
        "(https://eastus.quantum.azure.com/), not the emulator: applications that use its keys would be affected. " +
        "To change its keys, set AZURE_QUANTUM_ALLOW_KEY_CHANGES=1 in the environment, or connect({ allowKeyChanges: true }), then run this again.",
    );
    const unconfirmed = await ws.keys.disable();
    expect((unconfirmed as NotApplied).fix).toBe(
      "Run again with { confirm: true }; on Azure also opt in: set AZURE_QUANTUM_ALLOW_KEY_CHANGES=1 in the environment, or connect({ allowKeyChanges: true }).",
    );
    // Reads only: no PUT, no regenerateKey, no role assignment.
    expect(fixture.served.filter((id) => /put|regenerate|create/i.test(id))).toEqual([]);
    settle(fixture);
  });

  it("the environment variable opts in as the option does", async () => {
    const { ws } = await connected({
      connectionString: keyConnection,
      verify: false,
      env: { AZURE_QUANTUM_ALLOW_KEY_CHANGES: "1" },
    });
    expect(ws.settings.keyChanges).toEqual({ allowed: true, source: "env AZURE_QUANTUM_ALLOW_KEY_CHANGES" });
    const off = await connected({
      connectionString: keyConnection,
      verify: false,
      allowKeyChanges: false,
      env: { AZURE_QUANTUM_ALLOW_KEY_CHANGES: "1" },
    });
    expect(off.ws.settings.keyChanges).toEqual({ allowed: false, source: "argument allowKeyChanges" });
  });

  it("ws.quotas() reads the recorded quotas into a QuotaList", async () => {
    const { ws, fixture } = await connected({
      subscriptionId: FIXTURE.subscriptionId,
      resourceGroup: FIXTURE.resourceGroup,
      workspaceName: FIXTURE.workspaceName,
      location: "East US",
      verify: false,
    });
    const quotas = await ws.quotas();
    expect(quotas.quotas).toEqual([{
      dimension: "fixture_dimension",
      scope: "Workspace",
      providerId: "microsoft-qc",
      utilization: 0,
      holds: 0,
      limit: 10,
      period: "None",
      usedFraction: 0,
    }]);
    expect(quotas.info.pages).toBe(1);
    expect(quotas.toMimeBundle()["text/plain"]).toContain("microsoft-qc  fixture_dimension  Workspace  None");
    expect(fixture.served).toEqual(["arm.workspace.get", "dataPlane.quotas"]);
    settle(fixture);
  });

  it("keys.disable() sends the CLI's PUT, follows Azure-AsyncOperation at its own 1 s pace (no Retry-After), and reports the change", async () => {
    const { ws, fixture } = await connected(
      { connectionString: keyConnection, verify: false, allowKeyChanges: true },
      (id, call) => id === "arm.workspace.get" ? workspaceSample(call === 0) : undefined,
    );
    const waits: number[] = [];
    const result = await ws.keys.disable({
      confirm: true,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    });
    expect(result).toBeInstanceOf(KeyToggleResult);
    const toggled = result as KeyToggleResult;
    expect([toggled.before, toggled.after, toggled.putStatus, toggled.polls]).toEqual([true, false, 201, 2]);
    expect(waits).toEqual([1000, 1000]);
    expect(fixture.served).toEqual([
      "arm.workspace.get",
      // The Entra readiness check: this identity reaches the data plane, and who holds which role.
      "dataPlane.providerStatus",
      "authorization.roleAssignments.list",
      "authorization.roleDefinitions.get",
      "arm.workspace.put",
      "arm.operation.accepted",
      "arm.operation.succeeded",
      "arm.workspace.get",
    ]);
    const put = fixture.sent.find((s) => s.id === "arm.workspace.put")!;
    expect(bodyDifferences(exchange("arm.workspace.put").request.body, put.body, { optional: ["/tags/*"] })).toEqual([]);
    expect(toggled.toMimeBundle()["text/plain"]).toContain("disabled");
    settle(fixture);
  });

  it("keys.regenerate() sends the recorded body, takes the empty 204 (with a JSON content-type), and shows the new fingerprint", async () => {
    const { ws, fixture } = await connected(
      { connectionString: keyConnection, verify: false, allowKeyChanges: true },
      (id, call) =>
        id === "arm.listKeys" ? listKeysSample("fixture-primary-key", call === 0 ? "old-secondary" : "new-secondary") : undefined,
    );
    const result = await ws.keys.regenerate("secondary", { confirm: true });
    expect(result).toBeInstanceOf(RegenerateResult);
    expect((result as RegenerateResult).keys).toEqual([
      { slot: "secondary", before: fingerprint("old-secondary"), after: fingerprint("new-secondary") },
    ]);
    expect(fixture.served).toEqual(["arm.listKeys", "arm.regenerateKey", "arm.listKeys"]);
    expect(fixture.sent.find((s) => s.id === "arm.regenerateKey")!.body).toEqual(exchange("arm.regenerateKey").request.body);
    settle(fixture);
  });

  it("keys.connectionString() wraps the recorded connection string, which parses", async () => {
    const { ws, fixture } = await connected({ connectionString: keyConnection, verify: false });
    const secondary = await ws.keys.connectionString("secondary");
    expect(secondary.fingerprint).toBe(fingerprint(listKeysSample("p", "fixture-secondary-key").secondaryConnectionString));
    expect(String(secondary)).not.toContain("fixture-secondary-key");
    const parsed = parseConnectionString(secondary.reveal());
    expect([parsed.workspaceName, parsed.location, parsed.apiKey?.reveal()]).toEqual([FIXTURE.workspaceName, "eastus", "fixture-secondary-key"]);
    settle(fixture);
  });

  it("keys.readiness() reads the recorded role assignments and the role definition they name", async () => {
    const { ws, fixture } = await connected({ connectionString: keyConnection, verify: false });
    const readiness = await ws.keys.readiness();
    expect(readiness).toBeInstanceOf(EntraReadiness);
    expect([readiness.safe, readiness.dataPlane.outcome]).toEqual([true, "reached"]);
    expect(readiness.assignments?.map((a) => [a.roleName, a.principalType, a.level, a.dataAccess, a.you])).toEqual([
      ["Reader", "User", "above the subscription", "none", false],
      ["Reader", "User", "workspace", "none", true],
    ]);
    expect(readiness.toMimeBundle()["text/plain"]).toContain("Reader");
    // One GET per distinct role definition, at the workspace's scope.
    expect(fixture.served).toEqual([
      "dataPlane.providerStatus",
      "arm.workspace.get",
      "authorization.roleAssignments.list",
      "authorization.roleDefinitions.get",
    ]);
    settle(fixture);
  });

  it("keys.assignRole() looks the role up by name, sends the recorded PUT body, and reports the 201", async () => {
    const other = "12345678-1234-4123-8123-123456789012";
    const { ws, fixture } = await connected({ connectionString: keyConnection, verify: false, allowKeyChanges: true });
    const result = await ws.keys.assignRole("Reader", { principalId: other, principalType: "User" });
    expect(result).toBeInstanceOf(RoleAssignmentResult);
    const r = result as RoleAssignmentResult;
    expect([r.outcome, r.putStatus, r.role, r.principalType, r.you]).toEqual(["created", 201, "Reader", "User", false]);
    expect(r.assignmentId).toMatch(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[0-9a-f-]{36}$/);
    expect(fixture.served).toEqual([
      "authorization.roleDefinitions.byName",
      "authorization.roleAssignments.list",
      "authorization.roleAssignments.create",
    ]);
    const put = fixture.sent.find((x) => x.id === "authorization.roleAssignments.create")!;
    expect(bodyDifferences(exchange("authorization.roleAssignments.create").request.body, put.body)).toEqual([]);
    expect((put.body as { properties: { principalId: string } }).properties.principalId).toBe(other);
    settle(fixture);
  });

  it("Key Vault: SecretClient answers the recorded 401 challenge, writes a version, reads it back, reads a pinned one and the latest", async () => {
    const fixture = fixtureFetch();
    const server = await serveFixture(fixture); // the vault client takes no fetch
    try {
      const vaultUrl = server.url;
      const access = { credential, ca: server.ca, maxRetries: 0 };
      const value = new Secret("fixture-secret-value");
      const written = await writeKeyVaultSecret(keyVaultSecretTarget(vaultUrl, FIXTURE.secretName), value, {
        ...access,
        contentType: "text/plain",
        tags: { purpose: "fixture" },
      });
      expect([written.version, written.contentType, written.tags, written.enabled]).toEqual([
        FIXTURE.secretVersion,
        "text/plain",
        { purpose: "fixture" },
        true,
      ]);
      expect(written.createdOn?.toISOString()).toBe("2025-01-01T00:00:00.000Z"); // Unix seconds, as recorded
      expect(written.value.equals(value)).toBe(true);
      const read = await readKeyVaultSecret(keyVaultSecretTarget(vaultUrl, FIXTURE.secretName, FIXTURE.secretVersion), access);
      expect(read.secretId).toBe(`https://fixture-vault.vault.azure.net/secrets/${FIXTURE.secretName}/${FIXTURE.secretVersion}`);
      const latest = await readKeyVaultSecret(keyVaultSecretTarget(vaultUrl, FIXTURE.secretName), access);
      expect([latest.version, latest.value.equals(value)]).toEqual([FIXTURE.secretVersion, true]);
      expect(fixture.served).toEqual([
        "vault.challenge",
        "vault.secret.set",
        "vault.secret.get",
        "vault.secret.get",
        "vault.secret.latest",
      ]);
      const set = fixture.sent.find((x) => x.id === "vault.secret.set")!;
      expect(bodyDifferences(exchange("vault.secret.set").request.body, set.body, { optional: ["/attributes"] })).toEqual([]);
      settle(fixture);
    } finally {
      await server.close();
    }
  });

  // Runs last (tests of a file run in order): every route the scenarios above used has a recorded
  // exchange, and every exchange they did not use says why ("not sent …").
  it("covers every recorded exchange the clients use, and only those", () => {
    const used = EXCHANGES.filter((e) => !e.clientUse.startsWith("not sent")).map((e) => e.id);
    expect([...servedEverywhere].sort()).toEqual(used.sort());
  });
});
