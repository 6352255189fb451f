import { readFileSync } from "node:fs";
import { parse } from "dotenv";
const env = parse(readFileSync("/tmp/emu.env", "utf8"));
const { connect } = await import("azure-quantum-notebook");
const ws = await connect({ connectionString: env.AZURE_QUANTUM_CONNECTION_STRING, ca: readFileSync(env.AZURE_QUANTUM_EMULATOR_CA, "utf8"), envFile: false, env: {}, progress: false });
for (let i = 0; i < 300; i++) await ws.listTargets();
const t0 = performance.now();
for (let i = 0; i < 2000; i++) await ws.listTargets();
console.log((performance.now() - t0) / 2000);
