// Row 3: `keys.enable()` after a disable, against an emulator whose PUT operation takes
// `lroMs` with `Retry-After: retryAfterSeconds`. Wall time and polls (client and emulator view).
import { runChild, RUNTIME } from "../lib/child.mjs";

await runChild(async ({ rounds = 3, lroMs = 2000, retryAfterSeconds = 1 }) => {
  const { connect, startEmulator } = await import("azure-quantum-notebook");
  // exportEnv: the connection string, the CA and the managed-identity endpoint the unmodified
  // DefaultAzureCredential reads (as the demo does).
  const emulator = await startEmulator({ exportEnv: true });
  try {
    const ws = await connect({ envFile: false, progress: false });
    const control = emulator.control;
    await ws.keys.status(); // the credential and token are ready before anything is timed
    const results = [];
    for (let round = 0; round < rounds; round++) {
      control.setLro({ durationMs: 0, retryAfterSeconds: 0 });
      const disabled = await ws.keys.disable({ confirm: true, force: true }); // row 3 times enable() only
      if (disabled.applied !== true) throw new Error("keys.disable() did not apply");
      control.setLro({ durationMs: lroMs, retryAfterSeconds });
      control.resetLog();
      const t0 = performance.now();
      const enabled = await ws.keys.enable();
      const ms = performance.now() - t0;
      if (enabled.applied !== true || enabled.after !== true) {
        throw new Error("keys.enable() did not apply");
      }
      results.push({
        ms,
        polls: enabled.polls,
        serverPolls: control.requestCount({ listener: "arm", path: "/operationStatuses/" }),
        armRequests: control.requestCount({ listener: "arm" }),
        tokenRequests: control.requestCount({ listener: "identity" }),
      });
    }
    return { runtime: RUNTIME, lroMs, retryAfterSeconds, rounds: results };
  } finally {
    await emulator.stop();
  }
});
