// Row 5: peak RSS of connect + `calls` × listTargets() + one rotation, against an emulator in
// another process (its request log must not count here); heapUsed after a full GC at call
// `sampleFrom` and at the last call. `{ importOnly: true }`: the baseline that only imports.
import process from "node:process";
import { gc, peakRss, runChild, RUNTIME } from "../lib/child.mjs";

await runChild(async ({ importOnly = false, calls = 1000, sampleFrom = 100, every = 100 }) => {
  const mod = await import("azure-quantum-notebook");
  if (importOnly) return { runtime: RUNTIME, peakRss: await peakRss() };
  if (!gc()) throw new Error("run with --expose-gc (Deno: --v8-flags=--expose-gc)");
  const ws = await mod.connect({ envFile: false, progress: false });
  const heap = [];
  for (let i = 1; i <= calls; i++) {
    await ws.listTargets();
    if (i % every === 0 || i === sampleFrom) {
      gc();
      heap.push({
        call: i,
        heapUsed: process.memoryUsage().heapUsed,
        rss: process.memoryUsage().rss,
      });
    }
  }
  const rotation = await ws.keys.rotate({ confirm: true });
  if (rotation.applied === false) throw new Error("keys.rotate() did not apply");
  await ws.listTargets(); // the rotated key works
  return { runtime: RUNTIME, calls, heap, peakRss: await peakRss() };
});
