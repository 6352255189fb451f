import { readFileSync } from "node:fs";
import https from "node:https";
import { parse } from "dotenv";
const env = parse(readFileSync("/tmp/emu.env", "utf8"));
const { connect } = await import("azure-quantum-notebook");
const ws = await connect({ connectionString: env.AZURE_QUANTUM_CONNECTION_STRING, ca: readFileSync(env.AZURE_QUANTUM_EMULATOR_CA, "utf8"), envFile: false, env: {}, progress: false });
const agent = new https.Agent({ ca: readFileSync(env.AZURE_QUANTUM_EMULATOR_CA, "utf8"), keepAlive: true });
const url = ws.dataPlane.providerStatusUrl();
const headers = { accept: "application/json", "user-agent": "azure-quantum-notebook/0.1.0 azsdk-js-core-rest-pipeline/1.24.0 core-rest-pipeline/1.24.0 Node/20.20.2 OS/(x64-Linux-6.1)", "x-ms-client-request-id": crypto.randomUUID(), "x-ms-quantum-api-key": ws.liveKey.key.reveal() };
const raw = () => new Promise((resolve, reject) => {
  const req = https.request(url, { method: "GET", headers, agent }, (res) => {
    let text = ""; res.setEncoding("utf8"); res.on("data", (c) => (text += c)); res.on("end", () => resolve(JSON.parse(text)));
  }); req.on("error", reject); req.end();
});
for (let i = 0; i < 300; i++) await raw();
const t0 = performance.now();
for (let i = 0; i < 2000; i++) await raw();
console.log((performance.now() - t0) / 2000);
