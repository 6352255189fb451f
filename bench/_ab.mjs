import { readFileSync } from "node:fs";
import https from "node:https";
import { parse } from "dotenv";
const env = parse(readFileSync("/tmp/emu.env", "utf8"));
const ca = readFileSync(env.AZURE_QUANTUM_EMULATOR_CA, "utf8");
const { connect } = await import("azure-quantum-notebook");
const ws = await connect({ connectionString: env.AZURE_QUANTUM_CONNECTION_STRING, ca, envFile: false, env: {}, progress: false });
const agent = new https.Agent({ ca, keepAlive: true });
const url = ws.dataPlane.providerStatusUrl();
const headers = { accept: "application/json", "user-agent": "azure-quantum-notebook/0.1.0 azsdk-js-core-rest-pipeline/1.24.0 core-rest-pipeline/1.24.0 Node/20.20.2 OS/(x64-Linux-6.1)", "x-ms-client-request-id": crypto.randomUUID(), "x-ms-quantum-api-key": ws.liveKey.key.reveal() };
const raw = () => new Promise((resolve, reject) => {
  const req = https.request(url, { method: "GET", headers, agent }, (res) => {
    let text = ""; res.setEncoding("utf8"); res.on("data", (c) => (text += c)); res.on("end", () => resolve(JSON.parse(text)));
  }); req.on("error", reject); req.end();
});
const mode = process.argv[2] ?? "list";
const mod = mode === "list" ? () => ws.listTargets() : () => ws.dataPlane.http.send({ method: "GET", url });
for (let i = 0; i < 200; i++) { await raw(); await mod(); }
const out = [];
for (let r = 0; r < 5; r++) {
  let a = 0, b = 0;
  for (let i = 0; i < 400; i++) {
    const first = (i + r) % 2;
    for (const s of first ? [0, 1] : [1, 0]) { const t = performance.now(); if (s) await mod(); else await raw(); const d = performance.now() - t; if (s) a += d; else b += d; }
  }
  out.push((a / b).toFixed(3) + ` (${(a/400).toFixed(3)}/${(b/400).toFixed(3)})`);
}
console.log(mode, out.join(" "));
