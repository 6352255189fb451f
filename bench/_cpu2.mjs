import { readFileSync } from "node:fs";
import https from "node:https";
import { parse } from "dotenv";
import * as core from "@azure/core-rest-pipeline";
const env = parse(readFileSync("/tmp/emu.env", "utf8"));
const ca = readFileSync(env.AZURE_QUANTUM_EMULATOR_CA, "utf8");
const { connect } = await import("azure-quantum-notebook");
const ws = await connect({ connectionString: env.AZURE_QUANTUM_CONNECTION_STRING, ca, envFile: false, env: {}, progress: false });
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
const bare = async () => { const r = await client.sendRequest(mk({ url, headers: core.createHttpHeaders(headers), tlsSettings: tls, timeout: 30000 })); return JSON.parse(r.bodyAsText); };
const bareNoTimeout = async () => { const r = await client.sendRequest(mk({ url, headers: core.createHttpHeaders(headers), tlsSettings: tls })); return JSON.parse(r.bodyAsText); };
const pipe = core.createEmptyPipeline();
pipe.addPolicy(core.userAgentPolicy({ userAgentPrefix: "x" }));
pipe.addPolicy(core.setClientRequestIdPolicy());
pipe.addPolicy(core.retryPolicy([{ name: "s", retry: () => ({ skipStrategy: true }) }], { maxRetries: 4 }), { phase: "Retry" });
pipe.addPolicy(core.logPolicy(), { afterPhase: "Sign" });
const piped = async () => { const r = await pipe.sendRequest(client, mk({ url, headers: core.createHttpHeaders({ accept: "application/json", "x-ms-quantum-api-key": key }), tlsSettings: tls, timeout: 30000 })); return JSON.parse(r.bodyAsText); };
const fns = { raw, bare, bareNoTimeout, piped, send: () => ws.dataPlane.http.send({ method: "GET", url }), list: () => ws.listTargets() };
for (const f of Object.values(fns)) for (let i = 0; i < 300; i++) await f();
const cpu = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
for (let r = 0; r < 6; r++) for (const [k, f] of Object.entries(fns)) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < 500; i++) await f();
  const c = process.cpuUsage(c0); cpu[k].push((c.user + c.system) / 500);
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(Object.entries(cpu).map(([k, v]) => `${k}=${med(v).toFixed(0)}µs`).join(" "));
