import assert from "node:assert/strict";
import { connect, display, kernelEmulator } from "../../mod.ts";

const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

// The notebooks' first cell, in Deno: nothing configured (envFile: false stands for a project
// without .env), so the kernel's emulator starts, and a second copy of the module reuses it.
Deno.test('connect({ emulator: "auto" }) starts one emulator per process, shared by a re-imported module', async () => {
  const saved = Deno.env.get("AZURE_QUANTUM_CONNECTION_STRING");
  Deno.env.delete("AZURE_QUANTUM_CONNECTION_STRING");
  try {
    const ws = await connect({ emulator: "auto", envFile: false, progress: false });
    await display(ws);
    const emulator = kernelEmulator();
    assert.ok(emulator?.running);
    assert.equal(ws.info.endpoint, emulator.endpoint);
    assert.ok(Deno.env.get("AZURE_QUANTUM_CONNECTION_STRING"));
    // A second instance of the module that keeps the emulator (another specifier for the same
    // file, as a re-imported or differently resolved package gives) finds the same one.
    const copy = await import(`../../src/start_emulator.ts?copy=${Date.now()}`) as typeof import(
      "../../src/start_emulator.ts"
    );
    assert.notEqual(copy.kernelEmulator, kernelEmulator);
    assert.equal(copy.kernelEmulator(), emulator);
    assert.deepEqual(await copy.startKernelEmulator(), { emulator, started: false });
    const again = await connect({ emulator: "auto", envFile: false, progress: false });
    assert.equal(again.info.endpoint, ws.info.endpoint);
    // Results and errors render as a cell's last value.
    const quotas = await again.quotas();
    const bundle = (quotas as unknown as Record<symbol, () => Record<string, string>>)[JUPYTER_DISPLAY]();
    assert.match(bundle["text/html"], /aria-label="90% used"/);
    await ws.close();
    assert.equal(emulator.running, false);
    assert.equal(Deno.env.get("AZURE_QUANTUM_CONNECTION_STRING"), undefined);
    const error = await connect({ envFile: false, progress: false }).catch((e) => e);
    const card = error[JUPYTER_DISPLAY]();
    assert.match(card["text/html"], /ConnectionNotFound/);
    assert.match(card["text/plain"], /connect\(\{ emulator: "auto" \}\)/);
  } finally {
    await kernelEmulator()?.stop();
    if (saved !== undefined) Deno.env.set("AZURE_QUANTUM_CONNECTION_STRING", saved);
  }
});
