// Row 1 check: the key-only path (connect + listTargets with a connection string, from
// AZURE_QUANTUM_CONNECTION_STRING and AZURE_QUANTUM_EMULATOR_CA) against a running emulator.
// The parent records which modules this process loads (Node: node_loader.mjs; Deno: its debug log).
import { runChild } from "../lib/child.mjs";

await runChild(async () => {
  const { connect } = await import("azure-quantum-notebook");
  const ws = await connect({ envFile: false, progress: false });
  const targets = await ws.listTargets();
  return { authMode: ws.authMode, targets: targets.length };
});
