import { it, expect } from "vitest";
import { startKeysEmulator, connectTo } from "../../test/keys/_emulator.ts";
it("smoke", async () => {
  const emu = await startKeysEmulator();
  try {
    const ws = await connectTo(emu);
    const st = await ws.keys.status();
    console.log(st.toMimeBundle()["text/plain"]);
    const r = await ws.keys.disable({ confirm: true, waitForDataPlane: true, pollIntervalMs: 100 });
    console.log(r.toMimeBundle()["text/plain"]);
    const e = await ws.keys.enable({ waitForDataPlane: true, pollIntervalMs: 100 });
    console.log(e.toMimeBundle()["text/plain"]);
  } finally { await emu.stop(); }
});
