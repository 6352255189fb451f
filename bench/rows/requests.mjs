// Rows 2–5: each runs in fresh child processes (under `runtime`), summarized here.
import { childEnv, runChild } from "../lib/spawn.mjs";
import { summary } from "../lib/stats.mjs";

export const PER_CALL_TARGET = 1.15;
export const LRO_SLACK_MS = 1500;
export const LRO_MAX_POLLS = 4;
/** "No growth": heapUsed after a full GC at the last call minus at call 100, at most this. */
export const HEAP_GROWTH_LIMIT = 1024 * 1024;

/** Row 2: listTargets() vs raw keep-alive GETs, one process, one emulator. */
export async function perCall(runtime, { calls, rounds }) {
  const r = await runChild(runtime, "bench/children/request_overhead.mjs", { calls, rounds });
  // Both sides' requests reach the emulator; the raw side sends exactly one per call.
  const modulePerCall = r.rounds.map((x) => (x.requests - calls) / calls);
  const pagedPerPage = r.paged.requests / r.paged.pages;
  const ratio = summary(r.rounds.map((x) => x.ratio));
  const onePerPage = modulePerCall.every((n) => n === 1) && pagedPerPage === 1 &&
    r.paged.pages === r.paged.expectedPages;
  const newConnections = r.connectionsObservable
    ? r.rounds.reduce((n, x) => n + x.newConnections, 0)
    : null;
  return {
    runtime,
    calls,
    block: r.block,
    rounds: r.rounds,
    ratio,
    // All rounds pooled, so the two figures come from the same calls.
    msPerCall: {
      module: r.rounds.reduce((n, x) => n + x.moduleMs, 0) / (calls * r.rounds.length),
      raw: r.rounds.reduce((n, x) => n + x.rawMs, 0) / (calls * r.rounds.length),
    },
    requestsPerPage: { singlePage: modulePerCall, paged: { ...r.paged, perPage: pagedPerPage } },
    newConnections,
    met: ratio.median <= PER_CALL_TARGET && onePerPage && (newConnections ?? 0) === 0,
    metParts: {
      ratio: ratio.median <= PER_CALL_TARGET,
      onePerPage,
      reused: (newConnections ?? 0) === 0,
    },
  };
}

/** Row 3: keys.enable() after a disable, LRO of `lroMs` with Retry-After `retryAfterSeconds`. */
export async function lro(runtime, { rounds, lroMs = 2000, retryAfterSeconds = 1 }) {
  const r = await runChild(runtime, "bench/children/lro.mjs", { rounds, lroMs, retryAfterSeconds });
  const ms = summary(r.rounds.map((x) => x.ms));
  const polls = summary(r.rounds.map((x) => x.polls));
  const serverPolls = summary(r.rounds.map((x) => x.serverPolls));
  const limitMs = lroMs + LRO_SLACK_MS;
  return {
    runtime,
    lroMs,
    retryAfterSeconds,
    rounds: r.rounds,
    ms,
    overLroMs: summary(r.rounds.map((x) => x.ms - lroMs)),
    polls,
    serverPolls,
    armRequests: summary(r.rounds.map((x) => x.armRequests)),
    limitMs,
    met: ms.median <= limitMs && Math.max(polls.max, serverPolls.max) <= LRO_MAX_POLLS,
  };
}

/** Row 4: keys.rotate() under a concurrent listTargets() loop. */
export async function rotation(runtime, { rounds }) {
  const r = await runChild(runtime, "bench/children/rotation.mjs", { rounds });
  const failed = r.rounds.reduce((n, x) => n + x.loop.failed, 0);
  const pick = (f) => summary(r.rounds.map(f));
  return {
    runtime,
    rounds: r.rounds,
    ms: pick((x) => x.ms),
    requests: {
      arm: pick((x) => x.requests.arm),
      dataPlane: pick((x) => x.requests.dataPlane),
      identity: pick((x) => x.requests.identity),
    },
    loop: { ok: r.rounds.reduce((n, x) => n + x.loop.ok, 0), failed },
    met: failed === 0,
  };
}

/** Row 5: peak RSS of the workload vs an import-only process; heap growth from call 100 to the end. */
export async function memory(runtime, { rounds, calls = 1000 }, emulatorEnv) {
  // A function: each rotation regenerates the primary key, so every run needs the current one.
  const flags = { nodeFlags: ["--expose-gc"], denoFlags: ["--v8-flags=--expose-gc"] };
  const runs = [];
  for (let i = 0; i < rounds; i++) {
    const base = await runChild(runtime, "bench/children/memory.mjs", { importOnly: true }, flags);
    const work = await runChild(runtime, "bench/children/memory.mjs", { calls }, {
      ...flags,
      env: childEnv(emulatorEnv()),
    });
    const at = (n) => work.heap.find((h) => h.call === n);
    runs.push({
      importOnlyPeak: base.peakRss,
      workloadPeak: work.peakRss,
      ratio: work.peakRss / base.peakRss,
      heapGrowth: at(calls).heapUsed - at(100).heapUsed,
      rssGrowth: at(calls).rss - at(100).rss,
      heap: work.heap,
    });
  }
  const growth = summary(runs.map((x) => x.heapGrowth));
  return {
    runtime,
    calls,
    runs,
    ratio: summary(runs.map((x) => x.ratio)),
    importOnlyPeak: summary(runs.map((x) => x.importOnlyPeak)),
    workloadPeak: summary(runs.map((x) => x.workloadPeak)),
    heapGrowth: growth,
    rssGrowth: summary(runs.map((x) => x.rssGrowth)),
    met: growth.max <= HEAP_GROWTH_LIMIT,
  };
}
