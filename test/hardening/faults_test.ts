/**
 * Fault injection through the emulator's knobs for connect, listTargets and every key operation:
 * bursts of 429 (with Retry-After) and 503 are survived; a persistent 500 ends in a typed error
 * within the retry bounds (attempts and time); dropped connections are retried for reads and never
 * replayed for state-changing POSTs; aborting leaves a consistent, reported state.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type Emulator,
  type FaultRule,
  type ListenerName,
  sampleProviders,
} from "../../src/emulator/mod.ts";
import type { RetryOptions } from "../../src/config/client_options.ts";
import { quantumRetryStrategy } from "../../src/http/retry_strategy.ts";
import { isRotationError, type RotationError } from "../../src/errors.ts";
import { isArmError, isRequestError } from "../../src/request_errors.ts";
import {
  KeyStatus,
  KeyToggleResult,
  RegenerateResult,
  RotationReport,
} from "../../src/keys/results.ts";
import { probeKey } from "../../src/keys/key_probe.ts";
import { TargetList } from "../../src/workspace/target_list.ts";
import type { Workspace } from "../../src/workspace/workspace.ts";
import { connectTo, rejection, startKeysEmulator } from "../keys/_emulator.ts";
import { eventually, SecretBook } from "./_helpers.ts";

let emu: Emulator;
let book: SecretBook;
/** Faults injected in this file, reported at the end (the README quotes the figure). */
let injected = 0;

const BURST_RETRY = { maxRetries: 4, baseDelayMs: 10, maxDelayMs: 150 };
const BOUND = { maxRetries: 3, baseDelayMs: 40, maxDelayMs: 80 };
const TARGETS = sampleProviders().reduce((n, p) => n + p.targets.length, 0);
const ROTATE_FAST = {
  graceMs: 20,
  pollIntervalMs: 20,
  waitTimeoutMs: 3000,
  envFile: false as const,
};

beforeAll(async () => {
  emu = await startKeysEmulator({ pageSize: 2 });
  book = new SecretBook(emu);
});
afterAll(async () => {
  console.info(`[hardening] faults injected through the emulator: ${injected}`);
  await emu.stop();
});
beforeEach(() => {
  emu.control.setFaults([]);
  emu.control.setRole("Owner");
  emu.control.setLro({ durationMs: 0, retryAfterSeconds: 0 });
  emu.control.setLatency(0);
  if (!emu.control.keys().enabled) emu.control.setKeysEnabled(true);
  book.snapshot();
});

function inject(rules: FaultRule[]) {
  emu.control.resetLog();
  emu.control.setFaults(rules);
}

/** The requests that got a fault, and that each was followed by a retry of the same request. */
function faulted(listener: ListenerName) {
  const log = emu.control.requestLog({ listener });
  const hits = log.filter((e) => e.fault !== undefined);
  injected += hits.length;
  const retried = hits.every((hit) => {
    const next = log.find((e) => e.seq > hit.seq);
    return next !== undefined && next.method === hit.method && next.path === hit.path;
  });
  return { hits, retried, log };
}

interface Op {
  name: string;
  listener: ListenerName;
  /** Runs the operation on a workspace connected beforehand (connect itself makes its own). */
  run: (ws: Workspace, retry: RetryOptions) => Promise<unknown>;
  /** Puts the emulator in the state the operation changes. */
  prepare?: () => void;
  /** Checks a successful result against the emulator's state. */
  check: (result: unknown, before: ReturnType<Emulator["control"]["keys"]>) => void;
  /** The request that changes state, for persistent-error checks on it alone. */
  change?: { method: string; path: string };
}

const OPS: Op[] = [
  {
    name: "connect()",
    listener: "dataPlane",
    run: (_, retry) => connectTo(emu, { retry }),
    check: (ws) => expect((ws as Workspace).providerCount).toBeGreaterThan(0),
  },
  {
    name: "listTargets() across pages",
    listener: "dataPlane",
    run: (ws) => ws.listTargets(),
    check: (list) => {
      expect(list).toBeInstanceOf(TargetList);
      expect((list as TargetList).info.pages).toBeGreaterThan(1);
      expect((list as TargetList).length).toBe(TARGETS);
    },
  },
  {
    name: "keys.status()",
    listener: "arm",
    run: (ws) => ws.keys.status(),
    check: (status, before) => {
      expect(status).toBeInstanceOf(KeyStatus);
      expect((status as KeyStatus).primary?.fingerprint).toBe(before.primary.fingerprint);
    },
  },
  {
    name: "keys.enable()",
    listener: "arm",
    prepare: () => emu.control.setKeysEnabled(false),
    run: (ws) => ws.keys.enable(),
    check: (result) => {
      expect(result).toBeInstanceOf(KeyToggleResult);
      expect(result).toMatchObject({ before: false, after: true });
      expect(emu.control.keys().enabled).toBe(true);
    },
    change: { method: "PUT", path: "/workspaces/" },
  },
  {
    name: "keys.disable()",
    listener: "arm",
    run: (ws) => ws.keys.disable({ confirm: true, force: true }), // faults on the PUT, not on the readiness check
    check: (result) => {
      expect(result).toMatchObject({ before: true, after: false });
      expect(emu.control.keys().enabled).toBe(false);
    },
    change: { method: "PUT", path: "/workspaces/" },
  },
  {
    name: "keys.regenerate()",
    listener: "arm",
    run: (ws) => ws.keys.regenerate("secondary", { confirm: true }),
    check: (result, before) => {
      expect(result).toBeInstanceOf(RegenerateResult);
      const after = emu.control.keys();
      expect(after.secondary.equals(before.secondary)).toBe(false);
      expect((result as RegenerateResult).keys[0].after).toBe(after.secondary.fingerprint);
    },
    change: { method: "POST", path: "/regenerateKey" },
  },
  {
    name: "keys.rotate()",
    listener: "arm",
    run: (ws) => ws.keys.rotate({ confirm: true, ...ROTATE_FAST }),
    check: (report, before) => {
      expect(report).toBeInstanceOf(RotationReport);
      const after = emu.control.keys();
      expect(after.primary.equals(before.primary)).toBe(false);
      expect((report as RotationReport).endFingerprint).toBe(after.primary.fingerprint);
    },
    change: { method: "POST", path: "/regenerateKey" },
  },
];

async function ready(op: Op, retry = BURST_RETRY): Promise<Workspace> {
  const ws = await connectTo(emu, { retry });
  op.prepare?.();
  book.snapshot();
  return ws;
}

describe("bursts of 429 (Retry-After) and 503 are survived", () => {
  it.each(OPS)("$name", async (op) => {
    // 429 with Retry-After: 1 s, capped at maxDelayMs 150: the waits prove Retry-After was read
    // (backoff from 10 ms would wait about 70 ms for three retries).
    let ws = await ready(op);
    let before = emu.control.keys();
    inject([{ fault: 429, count: 3, listener: op.listener, retryAfterSeconds: 1 }]);
    const t0 = performance.now();
    let result = await op.run(ws, BURST_RETRY);
    const waited = performance.now() - t0;
    op.check(result, before);
    let seen = faulted(op.listener);
    expect(seen.hits.map((h) => h.status)).toEqual([429, 429, 429]);
    expect(seen.retried).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(3 * 150 - 15);
    expect(emu.control.faults()).toEqual([]);
    book.snapshot().expectNoLeak(op.name, result);

    // 503 with Retry-After: 0 (retry at once), on the listener the operation uses.
    emu.control.setFaults([]);
    if (!emu.control.keys().enabled) emu.control.setKeysEnabled(true);
    ws = await ready(op);
    before = emu.control.keys();
    inject([{ fault: 503, count: 3, listener: op.listener, retryAfterSeconds: 0 }]);
    result = await op.run(ws, BURST_RETRY);
    op.check(result, before);
    seen = faulted(op.listener);
    expect(seen.hits.map((h) => h.status)).toEqual([503, 503, 503]);
    expect(seen.retried).toBe(true);
    book.snapshot().expectNoLeak(op.name, result);
  });

  it("keys.rotate() survives 429 and 503 on both listeners at once", async () => {
    const ws = await connectTo(emu, { retry: BURST_RETRY });
    const before = emu.control.keys();
    inject([
      { fault: 429, count: 2, listener: "dataPlane", retryAfterSeconds: 0 },
      { fault: 503, count: 2, listener: "arm", retryAfterSeconds: 0 },
      { fault: 429, count: 1, listener: "arm", path: "/regenerateKey", retryAfterSeconds: 0 },
      { fault: 503, count: 2, listener: "dataPlane", retryAfterSeconds: 0 },
    ]);
    const report = await ws.keys.rotate({ confirm: true, ...ROTATE_FAST });
    OPS[6].check(report, before);
    expect(faulted("dataPlane").retried && faulted("arm").retried).toBe(true);
    expect(emu.control.requestCount({ path: "/regenerateKey", status: 204 })).toBe(1);
    expect(await probeKey(ws, ws.liveKey!.key)).toBe("accepted");
  });
});

describe("a persistent 500 ends in a typed error within the retry bounds", () => {
  // BOUND: 1 attempt + 3 retries, waits 40·2^k ms ±20 % capped at 80 ms: 32..48, 64..80, 80.
  const MIN_WAIT = 32 + 64 + 80;
  const MAX_WAIT = 48 + 80 + 80;

  async function persistent(op: Op, rule: Partial<FaultRule>) {
    const ws = await ready(op, BOUND);
    const before = emu.control.keys();
    inject([{ fault: 500, count: Infinity, listener: op.listener, ...rule }]);
    const t0 = performance.now();
    const error = await rejection(op.run(ws, BOUND));
    const elapsed = performance.now() - t0;
    emu.control.setFaults([]);
    const { hits } = faulted(op.listener);
    return { error, elapsed, hits, before };
  }

  function expectTyped(op: Op, error: Error) {
    const cause = isRotationError(error) ? (error as RotationError).cause as Error : error;
    if (op.listener === "arm") {
      expect(isArmError(cause)).toBe(true);
      expect(cause).toMatchObject({ statusCode: 500, armCode: "InternalServerError" });
      expect(cause.message).toContain("ARM is busy or failing: try again in a minute");
    } else {
      expect(isRequestError(cause)).toBe(true);
      expect(cause).toMatchObject({ statusCode: 500, serviceCode: "InternalServerError" });
      expect(cause.message).toContain("The service is busy or failing; try again in a minute");
    }
    expect(error.message).toMatch(/^Cannot /);
  }

  it.each(OPS)("$name: first request", async (op) => {
    const { error, elapsed, hits, before } = await persistent(op, {});
    expectTyped(op, error);
    if (op.name === "keys.rotate()") {
      expect(error).toMatchObject({ name: "RotationError", stoppedAt: "find key in use" });
    }
    // Exactly 1 + maxRetries attempts, all of the same request, and the backoff between them.
    expect(hits).toHaveLength(BOUND.maxRetries + 1);
    expect(new Set(hits.map((h) => `${h.method} ${h.path}`)).size).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(MIN_WAIT - 10);
    expect(elapsed).toBeLessThan(MAX_WAIT + 1500);
    const after = emu.control.keys();
    expect([after.primary.equals(before.primary), after.secondary.equals(before.secondary)])
      .toEqual([true, true]);
    expect(after.enabled).toBe(before.enabled);
    book.snapshot().expectNoLeak(op.name, error);
  });

  it.each(OPS.filter((op) => op.change))("$name: the state-changing request", async (op) => {
    const { error, hits, before } = await persistent(op, op.change!);
    expectTyped(op, error);
    expect(hits).toHaveLength(BOUND.maxRetries + 1);
    expect(hits.every((h) => h.method === op.change!.method)).toBe(true);
    // The service refused every attempt: nothing changed, and the error says which step failed.
    const after = emu.control.keys();
    expect([after.primary.equals(before.primary), after.secondary.equals(before.secondary)])
      .toEqual([true, true]);
    expect(after.enabled).toBe(before.enabled);
    if (op.name === "keys.rotate()") {
      expect(error).toMatchObject({ stoppedAt: "regenerate old key" });
      // Rotation stopped on the other key, which works.
      const report = (error as RotationError).report as RotationReport;
      expect(report.endSlot).toBe("secondary");
      expect(error.message).toContain("which works");
    }
    book.snapshot().expectNoLeak(op.name, error);
  });

  it("the documented default bounds: 1 + 4 attempts, at most 7.2 s of backoff, 60 s in all", async () => {
    const core = await import("@azure/core-rest-pipeline");
    let clock = 0;
    const strategy = quantumRetryStrategy({}, undefined, () => clock);
    const request = core.createPipelineRequest({ url: "https://x.example/", method: "POST" });
    const response = { request, status: 500, headers: core.createHttpHeaders() };
    const waits: number[] = [];
    for (let retryCount = 0;; retryCount++) {
      const decision = strategy.retry({ retryCount, response });
      if (decision.skipStrategy) break;
      waits.push(decision.retryAfterInMs!);
      clock += decision.retryAfterInMs!;
    }
    expect(waits).toHaveLength(4);
    waits.forEach((ms, k) => {
      expect(ms).toBeGreaterThanOrEqual(0.8 * 400 * 2 ** k - 1);
      expect(ms).toBeLessThanOrEqual(1.2 * 400 * 2 ** k + 1);
    });
    expect(waits.reduce((a, b) => a + b)).toBeLessThanOrEqual(7200);
    // Retry-After is honoured up to maxDelayMs (10 s), and nothing starts after 60 s.
    const busy = {
      ...response,
      status: 429,
      headers: core.createHttpHeaders({ "retry-after": "30" }),
    };
    clock = 0;
    const slow = quantumRetryStrategy({}, undefined, () => clock);
    const first = slow.retry({ retryCount: 0, response: busy });
    expect(first.retryAfterInMs).toBe(10_000);
    clock = 55_000;
    expect(slow.retry({ retryCount: 1, response: busy }).skipStrategy).toBe(true);
  });

  it("the time bound cuts retries short: Retry-After 1 s against maxElapsedMs 1.5 s", async () => {
    inject([{ fault: 503, count: Infinity, listener: "dataPlane", retryAfterSeconds: 1 }]);
    const t0 = performance.now();
    const error = await rejection(
      connectTo(emu, { retry: { maxRetries: 10, maxElapsedMs: 1500 } }),
    );
    const elapsed = performance.now() - t0;
    expect(isRequestError(error)).toBe(true);
    expect(error).toMatchObject({ statusCode: 503, serviceCode: "ServiceUnavailable" });
    expect(faulted("dataPlane").hits).toHaveLength(2); // 0 s, then 1 s; a third would end at 2 s
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(elapsed).toBeLessThan(1500 + 500);
  });
});

describe("dropped connections", () => {
  it("a GET dropped before or in the middle of its response is retried", async () => {
    const ws = await connectTo(emu, { retry: BURST_RETRY });
    inject([
      { fault: "drop", listener: "dataPlane", path: "skiptoken=2" },
      { fault: "drop", at: "response", listener: "dataPlane", path: "skiptoken=4" },
      { fault: "drop", at: "response", listener: "dataPlane", count: 2 },
    ]);
    const list = await ws.listTargets();
    expect(list.length).toBe(TARGETS);
    const { hits, retried } = faulted("dataPlane");
    expect(hits).toHaveLength(4);
    expect(hits.every((h) => h.status === 0 && h.fault === "drop")).toBe(true);
    expect(retried).toBe(true);

    inject([{ fault: "drop", at: "response", listener: "dataPlane" }]);
    const again = await connectTo(emu, { retry: BURST_RETRY });
    expect(again.providerCount).toBeGreaterThan(0);
    expect(faulted("dataPlane").retried).toBe(true);
  });

  it("keys.status(): a dropped listKeys (read-only) is sent again", async () => {
    const ws = await connectTo(emu, { retry: BURST_RETRY });
    const before = emu.control.keys();
    inject([{ fault: "drop", at: "response", listener: "arm", path: "/listKeys" }]);
    const status = await ws.keys.status();
    OPS[2].check(status, before);
    expect(emu.control.requestCount({ path: "/listKeys" })).toBe(2);
    expect(faulted("arm").retried).toBe(true);
  });

  it.each([OPS[3], OPS[4]])(
    "$name: dropped GET and PUT are sent again (PUT is idempotent)",
    async (op) => {
      const ws = await ready(op);
      const before = emu.control.keys();
      inject([
        { fault: "drop", at: "response", listener: "arm", method: "GET" },
        { fault: "drop", at: "response", listener: "arm", method: "PUT" },
      ]);
      const result = await op.run(ws, BURST_RETRY);
      op.check(result, before);
      const { hits, retried } = faulted("arm");
      expect(hits.map((h) => h.method)).toEqual(["GET", "PUT"]);
      expect(retried).toBe(true);
    },
  );

  it("keys.regenerate(): a POST dropped mid-response is not replayed; the result says so", async () => {
    const ws = await connectTo(emu, { retry: BURST_RETRY });
    const before = emu.control.keys();
    inject([{ fault: "drop", at: "response", listener: "arm", path: "/regenerateKey" }]);
    const result = await ws.keys.regenerate("secondary", { confirm: true });
    // Exactly one regenerateKey reached the emulator: a replay would have replaced the new key.
    expect(emu.control.requestCount({ path: "/regenerateKey" })).toBe(1);
    expect(faulted("arm").hits).toHaveLength(1);
    const after = emu.control.keys();
    expect(result).toBeInstanceOf(RegenerateResult);
    expect(result).toMatchObject({
      connectionDropped: true,
      keys: [{
        slot: "secondary",
        before: before.secondary.fingerprint,
        after: after.secondary.fingerprint,
      }],
    });
    expect(after.secondary.equals(before.secondary)).toBe(false);
    expect(result.toMimeBundle()["text/plain"]).toContain(
      "The connection dropped before ARM answered; listKeys confirmed the regeneration.",
    );
    expect(await probeKey(ws, after.secondary)).toBe("accepted");
    expect(await probeKey(ws, before.secondary)).toBe("rejected");
    book.snapshot().expectNoLeak("regenerate", result, result.toMimeBundle());
  });

  it("keys.rotate(): the regenerateKey POST dropped mid-response is not replayed", async () => {
    const ws = await connectTo(emu, { retry: BURST_RETRY });
    const before = emu.control.keys();
    inject([{ fault: "drop", at: "response", listener: "arm", path: "/regenerateKey" }]);
    const report = await ws.keys.rotate({ confirm: true, ...ROTATE_FAST }) as RotationReport;
    OPS[6].check(report, before);
    expect(emu.control.requestCount({ path: "/regenerateKey" })).toBe(1);
    injected += faulted("arm").hits.length;
    const step = report.steps.find((s) => s.name === "regenerate old key");
    expect(step?.detail).toContain("(connection dropped; listKeys confirms)");
    expect(await probeKey(ws, ws.liveKey!.key)).toBe("accepted");
    expect(await probeKey(ws, before.primary)).toBe("rejected");
  });
});

describe("aborting leaves a consistent, reported state", () => {
  // (An abort of disable() mid-LRO is covered in test/keys/arm_client_test.ts.)
  it("keys.enable() aborted mid-LRO: the error says what is known; status() later shows the outcome", async () => {
    const ws = await connectTo(emu, { retry: BURST_RETRY });
    emu.control.resetLog();
    emu.control.setKeysEnabled(false);
    emu.control.setLro({ durationMs: 600, retryAfterSeconds: 1 });
    const abort = new AbortController();
    const pending = ws.keys.enable({ signal: abort.signal });
    await eventually(() => emu.control.requestCount({ method: "PUT", status: 201 }) > 0);
    setTimeout(() => abort.abort(new Error("stopped by the user")), 100);
    const error = await rejection(pending);
    expect(isArmError(error)).toBe(true);
    expect(error).toMatchObject({ code: "OperationAborted" });
    expect(error.message).toMatch(
      new RegExp(
        '^Cannot enable access keys of workspace "emulator-ws": the wait was aborted while the operation ' +
          "was still running \\(operation https://127\\.0\\.0\\.1:\\d+/providers/Microsoft\\.Quantum/locations/" +
          'EASTUS/operationStatuses/[^ ]+, last status "Accepted", 0 polls\\)\\. ARM may still complete it: ' +
          "check with `keys.status\\(\\)`$",
      ),
    );
    expect((error.cause as Error).message).toBe("stopped by the user");
    // Right after the abort the operation is still running: nothing applied yet.
    expect((await ws.keys.status()).apiKeyEnabled).toBe(false);
    // ARM completes it: a later status() shows the real state, and the data plane follows.
    await eventually(async () => (await ws.keys.status()).apiKeyEnabled === true, 3000);
    expect(await probeKey(ws, emu.control.keys().primary)).toBe("accepted");
    book.snapshot().expectNoLeak("enable", error);
  });

  it.each([
    [
      "regenerate",
      "/regenerateKey",
      'Cannot regenerate the secondary key of workspace "emulator-ws"',
    ],
    ["disable", "/workspaces/emulator-ws", 'Cannot disable access keys of workspace "emulator-ws"'],
  ])(
    "keys.%s() aborted while its request is in flight: the error says it may have happened",
    async (name, path, head) => {
      const ws = await connectTo(emu, { retry: BURST_RETRY });
      const before = emu.control.keys();
      await ws.keys.status(); // the token is cached: the next ARM request goes out at once
      emu.control.resetLog();
      emu.control.setLatency(300);
      const abort = new AbortController();
      const pending = name === "regenerate"
        ? ws.keys.regenerate("secondary", { confirm: true, signal: abort.signal })
        : ws.keys.disable({ confirm: true, force: true, signal: abort.signal });
      const method = name === "regenerate" ? "POST" : "PUT";
      await eventually(() => emu.control.requestCount({ method, path }) > 0);
      abort.abort(new Error("stopped by the user"));
      const error = await rejection(pending);
      expect(isArmError(error)).toBe(true);
      expect(error).toMatchObject({ code: "RequestAborted", method });
      expect(error.message).toBe(
        `${head}: the request was aborted after it was sent, so Azure Resource Manager may still ` +
          "carry it out. Check with `keys.status()` before trying again",
      );
      expect((error.cause as Error).message).toBe("stopped by the user");
      emu.control.setLatency(0);
      // It did happen: status() tells.
      await eventually(() =>
        emu.control.requestCount({ method, path, status: method === "PUT" ? 201 : 204 }) > 0
      );
      const status = await ws.keys.status();
      if (name === "regenerate") {
        expect(status.secondary?.fingerprint).not.toBe(before.secondary.fingerprint);
        expect(status.secondary?.fingerprint).toBe(emu.control.keys().secondary.fingerprint);
      } else {
        expect(status.apiKeyEnabled).toBe(false);
      }
      book.snapshot().expectNoLeak(name, error);
    },
  );

  it("keys.rotate() aborted after switching: the error names the key in use, which works", async () => {
    const ws = await connectTo(emu, { retry: BURST_RETRY });
    const before = emu.control.keys();
    const abort = new AbortController();
    const pending = ws.keys.rotate({
      confirm: true,
      ...ROTATE_FAST,
      graceMs: 2000,
      signal: abort.signal,
    });
    await eventually(() => ws.liveKey!.key.equals(before.secondary));
    abort.abort(new Error("stopped by the user"));
    const error = await rejection(pending) as RotationError;
    expect(isRotationError(error)).toBe(true);
    expect(error.stoppedAt).toBe("switch to other key");
    expect(error.message).toContain(
      `This kernel uses the secondary key ${before.secondary.fingerprint}, which works.`,
    );
    const report = error.report as RotationReport;
    expect([report.startSlot, report.endSlot]).toEqual(["primary", "secondary"]);
    // Nothing was regenerated, and what the error says is true.
    expect(emu.control.requestCount({ path: "/regenerateKey" })).toBe(0);
    const now = emu.control.keys();
    expect(now.primary.equals(before.primary) && now.secondary.equals(before.secondary)).toBe(true);
    expect(await probeKey(ws, ws.liveKey!.key)).toBe("accepted");
    expect((await ws.keys.status()).inUse).toBe("secondary");
    book.snapshot().expectNoLeak("rotate", error, report);
  });
});
