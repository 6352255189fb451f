/**
 * The end-to-end conformance suite, run against the emulator always and against a real Azure
 * Quantum workspace when asked to (the live switch, as Azurite's tests have):
 *
 *   AZURE_QUANTUM_LIVE=1                 run against Azure too (read-only), with
 *   AZURE_QUANTUM_CONNECTION_STRING      the workspace's connection string, and an Entra sign-in
 *                                        that DefaultAzureCredential finds (`az login`, …) with a
 *                                        role that may list keys (Contributor or Owner)
 *   AZURE_QUANTUM_LIVE_KEY_CHANGES=1     also disable and re-enable access keys and regenerate the
 *                                        secondary key of that workspace (keys stop working for
 *                                        about a minute; anything using the secondary key breaks)
 *
 * Without AZURE_QUANTUM_LIVE=1 the Azure half is skipped, and `.ci/test` says so in its summary.
 * Both halves check the same things: the public API's results, and the recorded exchanges' shapes
 * (the read-only ones always; with key changes also the PUT, its operation status and
 * regenerateKey, sent as the `az quantum` recording sent them).
 */
import type { TokenCredential } from "@azure/core-auth";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { connect, KeyToggleResult, parseConnectionString, RegenerateResult, type Workspace } from "../../mod.ts";
import { type Emulator, startEmulator } from "../../src/emulator/mod.ts";
import { exchange, type RecordedExchange } from "./exchanges.ts";
import { cliPutBody, replay, type Target } from "./replay.ts";
import { type Answer, differences } from "./shape.ts";

const env = process.env;
const LIVE = env.AZURE_QUANTUM_LIVE === "1";
const LIVE_KEY_CHANGES = LIVE && env.AZURE_QUANTUM_LIVE_KEY_CHANGES === "1";
const ARM_SCOPE = "https://management.azure.com/.default";
const DATA_SCOPE = "https://quantum.microsoft.com/.default";
const SCOPES = { arm: ARM_SCOPE, dataPlane: DATA_SCOPE, vault: "https://vault.azure.net/.default" } as const;

/** What a half of the suite runs against. */
interface Setup {
  target: Target;
  connect(): Promise<Workspace>;
  stop(): Promise<void>;
}

/** Recorded exchanges whose shape does not depend on what the workspace holds. */
const READ_ONLY = ["arm.workspace.get", "arm.listKeys", "dataPlane.providerStatus", "dataPlane.quotas"];

/** The answers to an `apiKeyEnabled` PUT sent as the CLI sends it, and to its operation's polls. */
async function putAndPoll(target: Target, apiKeyEnabled: boolean): Promise<{ put: Answer; polls: Answer[] }> {
  const current = JSON.parse((await replay(target, exchange("arm.workspace.get"))).text);
  const put = await replay(target, exchange("arm.workspace.put"), { body: cliPutBody(current, apiKeyEnabled) });
  const url = put.headers["azure-asyncoperation"];
  const polls: Answer[] = [];
  for (let i = 0; url && i < 120; i++) {
    const poll = await replay(target, exchange("arm.operation.succeeded"), { url });
    polls.push(poll);
    if (poll.status !== 200 || JSON.parse(poll.text).status !== "Accepted") break;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  return { put, polls };
}

/** The differences of each captured answer from its recorded exchange, by exchange id. */
function keyChangeDifferences(put: Answer, polls: Answer[]): Record<string, string[]> {
  const last = polls.at(-1)!;
  return {
    "arm.workspace.put": differences(exchange("arm.workspace.put"), put),
    // Azure's first poll was still Accepted (the emulator's default operation is done at once).
    ...(polls.length > 1 ? { "arm.operation.accepted": differences(exchange("arm.operation.accepted"), polls[0]!) } : {}),
    "arm.operation.succeeded": differences(exchange("arm.operation.succeeded"), last),
  };
}

function suite(name: string, start: () => Promise<Setup>, keyChanges: boolean) {
  let setup: Setup;
  let ws: Workspace;
  // Set up inside the tests, not in beforeAll: a failing start (no sign-in, a bad connection
  // string) then fails every test, where a failing hook would show them as skipped.
  let started: Promise<void> | undefined;
  const ready = () =>
    started ??= (async () => {
      setup = await start();
      ws = await setup.connect();
    })();
  beforeEach(() => ready(), 120_000);
  afterAll(() => setup?.stop());

  it(`${name}: connect() and listTargets() give a workspace card and a target list`, async () => {
    expect(ws.info.workspaceName).toBe(setup.target.ids.workspaceName);
    expect(ws.toMimeBundle()["text/plain"]).toContain(ws.info.workspaceName);
    const targets = await ws.listTargets();
    expect(targets.providers.length).toBeGreaterThan(0);
    for (const t of targets.targets) expect(["Available", "Degraded", "Unavailable"]).toContain(t.currentAvailability);
  });

  it(`${name}: keys.status() shows whether keys are enabled and which one this process uses`, async () => {
    const status = await ws.keys.status();
    expect(typeof status.apiKeyEnabled).toBe("boolean");
    expect(status.primary?.fingerprint).toMatch(/^sha256:[0-9a-f]{8}$/);
    expect(["primary", "secondary"]).toContain(status.inUse);
  });

  for (const id of READ_ONLY) {
    it(`${name}: ${id} answers in the recorded shape`, async () => {
      const e: RecordedExchange = exchange(id);
      const answer = await replay(setup.target, e);
      expect(differences(e, answer)).toEqual([]);
    });
  }

  it.runIf(keyChanges)(`${name}: keys.disable() then keys.enable() follow the operation at a sane pace`, async () => {
    const disabled = await ws.keys.disable({ confirm: true });
    expect(disabled).toBeInstanceOf(KeyToggleResult);
    const d = disabled as KeyToggleResult;
    expect([d.before, d.after]).toEqual([true, false]);
    // No Retry-After (as Azure's recorded 201): the client's own 1 s interval, not 0 and not 30 s.
    expect(d.polls).toBeGreaterThanOrEqual(1);
    expect(d.ms).toBeGreaterThanOrEqual(1000);
    if (setup.target.name === "emulator") expect([d.polls, d.ms < 3000]).toEqual([1, true]);
    const enabled = await ws.keys.enable({ waitForDataPlane: true, waitTimeoutMs: 180_000 });
    expect((enabled as KeyToggleResult).after).toBe(true);
  }, 300_000);

  it.runIf(keyChanges)(`${name}: the apiKeyEnabled PUT, its operation status and regenerateKey answer in the recorded shape`, async () => {
    const off = await putAndPoll(setup.target, false);
    const on = await putAndPoll(setup.target, true); // back on at once: the workspace keeps working
    expect(off.polls.length, "polls of the operation").toBeGreaterThan(0);
    for (const { put, polls } of [off, on]) {
      const found = keyChangeDifferences(put, polls);
      expect(found).toEqual(Object.fromEntries(Object.keys(found).map((id) => [id, []])));
    }
    const regenerated = await replay(setup.target, exchange("arm.regenerateKey"));
    expect(differences(exchange("arm.regenerateKey"), regenerated)).toEqual([]);
  }, 600_000);

  it.runIf(keyChanges)(`${name}: keys.regenerate("secondary") gives the secondary a new fingerprint`, async () => {
    const result = await ws.keys.regenerate("secondary", { confirm: true });
    expect(result).toBeInstanceOf(RegenerateResult);
    const [key] = (result as RegenerateResult).keys;
    expect(key!.slot).toBe("secondary");
    expect(key!.after).not.toBe(key!.before);
  }, 120_000);
}

describe("end to end, against the emulator", () => {
  suite("emulator", async () => {
    const emulator: Emulator = await startEmulator();
    emulator.control.assignRole("Quantum Workspace Data Contributor"); // Entra callers need a data role
    const credential: TokenCredential = {
      getToken: (scopes) => {
        const scope = [scopes].flat()[0]!;
        const audience = scope.replace(/\/\.default$/, "");
        const token = emulator.control.issueToken({ audience }).reveal();
        return Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 });
      },
    };
    return {
      target: {
        name: "emulator",
        ids: emulator.workspace,
        dataPlane: emulator.endpoint,
        arm: emulator.armEndpoint,
        ca: emulator.caCertificate,
        token: async (a) => (await credential.getToken(SCOPES[a]))!.token,
        key: () => Promise.resolve(emulator.control.keys().primary.reveal()),
      },
      connect: () => connect({ env: emulator.revealEnv(), envFile: false, credential, progress: false }),
      stop: () => emulator.stop(),
    };
  }, true);
});

describe.skipIf(!LIVE)("live Azure (AZURE_QUANTUM_LIVE=1)", () => {
  suite("Azure", async () => {
    const text = env.AZURE_QUANTUM_CONNECTION_STRING;
    if (!text) {
      throw new Error(
        "Cannot run the live Azure suite: AZURE_QUANTUM_LIVE=1 but AZURE_QUANTUM_CONNECTION_STRING is not set. " +
          "Set it to a workspace's connection string (portal: Operations > Access keys), or unset AZURE_QUANTUM_LIVE",
      );
    }
    const info = parseConnectionString(text);
    if (info.isEmulator) {
      throw new Error(
        "Cannot run the live Azure suite: AZURE_QUANTUM_CONNECTION_STRING names an emulator. Use a real workspace's",
      );
    }
    const { DefaultAzureCredential } = await import("@azure/identity");
    const credential = new DefaultAzureCredential();
    return {
      target: {
        name: "Azure",
        ids: info,
        dataPlane: info.endpoint,
        arm: "https://management.azure.com",
        token: async (a) => (await credential.getToken(SCOPES[a])).token,
        key: () => Promise.resolve(info.apiKey!.reveal()),
      },
      // The key-change tests run only with AZURE_QUANTUM_LIVE_KEY_CHANGES=1: that is the opt-in.
      connect: () =>
        connect({
          connectionString: text,
          envFile: false,
          env: {},
          credential,
          progress: false,
          allowKeyChanges: LIVE_KEY_CHANGES,
        }),
      stop: () => Promise.resolve(),
    };
  }, LIVE_KEY_CHANGES);
});
