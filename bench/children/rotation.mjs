// Row 4: `keys.rotate({ confirm: true })` while a loop calls `listTargets()` every 50 ms on the
// same Workspace (made before the rotation). Wall time, requests by listener (the loop's own
// data-plane requests, counted at its pipeline, are taken out), and the loop's failures.
import { runChild, RUNTIME, sleep } from "../lib/child.mjs";

await runChild(async ({ rounds = 3, loopIntervalMs = 50 }) => {
  const { connect, startEmulator } = await import("azure-quantum-notebook");
  const emulator = await startEmulator({ exportEnv: true });
  try {
    const ws = await connect({ envFile: false, progress: false });
    const control = emulator.control;
    await ws.keys.status(); // credential and token ready before anything is timed
    const http = (await ws.dataPlane()).http; // the workspace's data-plane pipeline
    const results = [];
    for (let round = 0; round < rounds; round++) {
      const loop = startLoop(ws, loopIntervalMs);
      await loop.idle(); // counters are read between two loop calls, never during one
      control.resetLog();
      const loopBefore = http.requestCount;
      const okBefore = loop.ok;
      const t0 = performance.now();
      const report = await ws.keys.rotate({ confirm: true });
      const ms = performance.now() - t0;
      await loop.idle();
      const loopRequests = http.requestCount - loopBefore;
      const counts = {
        arm: control.requestCount({ listener: "arm" }),
        dataPlane: control.requestCount({ listener: "dataPlane" }) - loopRequests,
        identity: control.requestCount({ listener: "identity" }),
      };
      const loopOk = loop.ok - okBefore;
      await loop.stop();
      if (report.applied === false) throw new Error("keys.rotate() did not apply");
      results.push({
        ms,
        steps: report.steps.map((s) => ({ name: s.name, status: s.status, ms: s.ms })),
        requests: counts,
        loop: { ok: loopOk, failed: loop.failed, requests: loopRequests, errors: loop.errors },
      });
    }
    return { runtime: RUNTIME, loopIntervalMs, rounds: results };
  } finally {
    await emulator.stop();
  }
});

function startLoop(ws, intervalMs) {
  const state = { ok: 0, failed: 0, errors: [], inFlight: false, running: true };
  let waiters = [];
  const done = (async () => {
    while (state.running) {
      state.inFlight = true;
      try {
        await ws.listTargets();
        state.ok++;
      } catch (e) {
        state.failed++;
        if (state.errors.length < 3) state.errors.push(`${e?.name}: ${e?.code ?? ""}`);
      }
      state.inFlight = false;
      for (const w of waiters) w();
      waiters = [];
      await sleep(intervalMs);
    }
  })();
  return {
    get ok() {
      return state.ok;
    },
    get failed() {
      return state.failed;
    },
    get errors() {
      return state.errors;
    },
    idle: () =>
      state.inFlight ? new Promise((resolve) => waiters.push(resolve)) : Promise.resolve(),
    stop: async () => {
      state.running = false;
      await done;
    },
  };
}
