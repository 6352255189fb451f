import { readFileSync } from "node:fs";
import https from "node:https";
import { parse } from "dotenv";
const env = parse(readFileSync("/tmp/emu.env", "utf8"));
const ca = readFileSync(env.AZURE_QUANTUM_EMULATOR_CA, "utf8");
const { connect } = await import(process.env.MOD ?? "azure-quantum-notebook");
const ws = await connect({ connectionString: env.AZURE_QUANTUM_CONNECTION_STRING, ca, envFile: false, env: {}, progress: false });
const agent = new https.Agent({ ca, keepAlive: true });
const url = ws.dataPlane.providerStatusUrl();
const headers = { accept: "application/json", "user-agent": "azure-quantum-notebook/0.1.0 azsdk-js-core-rest-pipeline/1.24.0 core-rest-pipeline/1.24.0 Node/20.20.2 OS/(x64-Linux-6.1)", "x-ms-client-request-id": crypto.randomUUID(), "x-ms-quantum-api-key": ws.liveKey.key.reveal() };
const raw = () => new Promise((resolve, reject) => {
  const req = https.request(url, { method: "GET", headers, agent }, (res) => {
    let text = ""; res.setEncoding("utf8"); res.on("data", (c) => (text += c)); res.on("end", () => resolve(JSON.parse(text)));
  }); req.on("error", reject); req.end();
});
const fns = { raw, list: () => ws.listTargets(), send: () => ws.dataPlane.http.send({ method: "GET", url }), page: () => ws.dataPlane.providerStatusPage() };
for (const f of Object.values(fns)) for (let i = 0; i < 300; i++) await f();
const cpu = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
for (let r = 0; r < 6; r++) for (const [k, f] of Object.entries(fns)) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < 500; i++) await f();
  const c = process.cpuUsage(c0); cpu[k].push((c.user + c.system) / 500);
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(Object.entries(cpu).map(([k, v]) => `${k}=${med(v).toFixed(0)}µs`).join(" "));
