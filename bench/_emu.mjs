import { writeFileSync } from "node:fs";
const { startEmulator } = await import("azure-quantum-notebook/emulator");
const e = await startEmulator();
writeFileSync("/tmp/emu.env", Object.entries(e.env).map(([k, v]) => `${k}='${v}'`).join("\n"));
setInterval(() => {}, 1e6);
