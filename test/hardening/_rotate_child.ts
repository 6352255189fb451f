/**
 * The overlapping-rotation test's kernel (run by Deno): connects with the `.env` at `<path>`,
 * rotates its key, then lists targets with the key it ended on, and prints one JSON line:
 * `{ rotated, error?, message?, endFingerprint, worksAfter }`.
 * Usage: deno run -A _rotate_child.ts <path>
 */
import { connect, isRotationError } from "../../mod.ts";

const [path] = Deno.args;
const ws = await connect({
  envFile: path,
  progress: false,
  retry: { baseDelayMs: 10, maxDelayMs: 50 },
});
const out: Record<string, unknown> = {};
try {
  const report = await ws.keys.rotate({
    confirm: true,
    graceMs: 150,
    pollIntervalMs: 50,
    waitTimeoutMs: 4000,
  });
  out.rotated = report.applied;
} catch (e) {
  out.rotated = false;
  out.error = isRotationError(e) ? "RotationError" : (e as Error).name;
  out.message = (e as Error).message;
}
out.endFingerprint = ws.liveKey?.key.fingerprint;
out.worksAfter = await ws.listTargets().then(() => true, () => false);
console.log(JSON.stringify(out));
