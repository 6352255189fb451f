import { rmSync } from "node:fs";
import process from "node:process";

/**
 * What a running emulator leaves on disk (its CA folder) is removed when the process ends without
 * `stop()`: on a normal exit (the `exit` event, synchronous), and on SIGINT, SIGTERM or SIGHUP
 * when nothing else listens for that signal, i.e. when the signal is about to end the process
 * anyway. There the handler removes the folders, takes itself off and sends the same signal
 * again, so the process still dies by that signal (exit status 128 + n) as it would have without
 * us. A script, the CLI or a kernel (tslab) that handles the signal itself keeps that behaviour
 * untouched: it decides, and its `process.exit()` or `stop()` cleans up. The handlers exist only
 * while an emulator runs.
 *
 * @module
 */

// Ours, across copies of this module: a listener marked with it is not "someone else's".
const MARK = Symbol.for("azure-quantum-notebook.emulatorCleanup");
// Windows (Deno above all) has no SIGTERM/SIGHUP listeners to add; Ctrl+C is what ends a script there.
type Signal = "SIGINT" | "SIGTERM" | "SIGHUP";
const SIGNALS: readonly Signal[] = process.platform === "win32"
  ? ["SIGINT"]
  : ["SIGINT", "SIGTERM", "SIGHUP"];

const folders = new Set<string>();
type Listener = ((signal: Signal) => void) & { [MARK]?: true };

function removeAll(): void {
  for (const folder of folders) {
    try {
      rmSync(folder, { recursive: true, force: true });
    } catch {
      // Best effort: the process is ending.
    }
  }
  folders.clear();
}

const onExit = (): void => removeAll();

const onSignal: Listener = (signal) => {
  const others = process.listeners(signal).filter((l) => !(l as Listener)[MARK]);
  if (others.length > 0) return;
  removeAll();
  uninstall();
  process.kill(process.pid, signal);
};
onSignal[MARK] = true;

function install(): void {
  process.on("exit", onExit);
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function uninstall(): void {
  process.off("exit", onExit);
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

/**
 * Removes `folder` (recursively) when the process ends before the returned function is called;
 * call it when the folder has been removed otherwise (the emulator's `stop()`).
 *
 * @internal
 */
export function removeAtProcessEnd(folder: string): () => void {
  if (folders.size === 0) install();
  folders.add(folder);
  return () => {
    if (!folders.delete(folder)) return;
    if (folders.size === 0) uninstall();
  };
}
