import https from "node:https";
import * as core from "@azure/core-rest-pipeline";
const { connect, startEmulator } = await import("azure-quantum-notebook");
const emulator = await startEmulator();
const ca = emulator.caCertificate;
const ws = await connect({ connectionString: emulator.connectionString, ca, envFile: false, env: {}, progress: false });
const agent = new https.Agent({ ca, keepAlive: true });
const url = ws.dataPlane.providerStatusUrl();
const key = ws.liveKey.key.reveal();
const headers = { accept: "application/json", "user-agent": "azure-quantum-notebook/0.1.0 azsdk-js-core-rest-pipeline/1.24.0 core-rest-pipeline/1.24.0 Node/20.20.2 OS/(x64-Linux-6.1)", "x-ms-client-request-id": crypto.randomUUID(), "x-ms-quantum-api-key": key };
const raw = () => new Promise((resolve, reject) => {
  const req = https.request(url, { method: "GET", headers, agent }, (res) => {
    let text = ""; res.setEncoding("utf8"); res.on("data", (c) => (text += c)); res.on("end", () => resolve(JSON.parse(text)));
  }); req.on("error", reject); req.end();
});
const client = core.createDefaultHttpClient();
const tls = { ca };
const mk = (o) => { const r = core.createPipelineRequest(o); r.tlsSettings = tls; return r; };
const bare = async () => { const r = await client.sendRequest(mk({ url, headers: core.createHttpHeaders(headers), timeout: 30000 })); return JSON.parse(r.bodyAsText); };
const fns = { raw, bare, send: async () => JSON.parse((await ws.dataPlane.http.send({ method: "GET", url })).text), page: () => ws.dataPlane.providerStatusPage(), lp: () => ws.dataPlane.listProviders(), lpr: () => ws.dataPlane.listProviders({ onRetry() {} }), list: () => ws.listTargets() };
for (const f of Object.values(fns)) for (let i = 0; i < 300; i++) await f();
const cpu = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
const wall = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
for (let r = 0; r < 12; r++) for (const [k, f] of Object.entries(fns)) {
  emulator.control.resetLog();
  const c0 = process.cpuUsage(); const t0 = performance.now();
  for (let i = 0; i < 400; i++) await f();
  const c = process.cpuUsage(c0); cpu[k].push((c.user + c.system) / 200); wall[k].push((performance.now() - t0) * 1000 / 400);
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log("cpu ", Object.entries(cpu).map(([k, v]) => `${k}=${med(v).toFixed(0)}µs`).join(" "));
console.log("wall", Object.entries(wall).map(([k, v]) => `${k}=${med(v).toFixed(0)}µs`).join(" "));
await emulator.stop();
