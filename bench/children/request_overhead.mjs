// Row 2: `listTargets()` vs raw keep-alive HTTPS GETs of the same providerStatus URL with the
// same headers, side by side in one process against one emulator; requests counted at the
// emulator, new TLS connections counted at the client (https.Agent#createConnection).
import https from "node:https";
import { runChild, RUNTIME } from "../lib/child.mjs";

const SECRET_LOGGED = "x-ms-quantum-api-key";

await runChild(
  async ({ calls = 200, rounds = 5, block = 10, warmup = 300, pagedCalls = 10, pageSize = 2 }) => {
    const { connect, startEmulator } = await import("azure-quantum-notebook");
    const emulator = await startEmulator();
    const connections = countConnections();
    try {
      const ws = await connect({
        connectionString: emulator.connectionString,
        ca: emulator.caCertificate,
        envFile: false,
        env: {},
        progress: false,
      });
      const control = emulator.control;
      const url = (await ws.dataPlane()).providerStatusUrl();
      // The raw calls send what the pipeline sent (read back from the emulator's log) and the key.
      control.resetLog();
      await ws.listTargets();
      const sent = control.requestLog({ listener: "dataPlane" }).at(-1).headers;
      const headers = { ...pick(sent), [SECRET_LOGGED]: ws.liveKey.key.reveal() };
      const agent = new https.Agent({ ca: emulator.caCertificate, keepAlive: true });
      const raw = () => rawGet(url, headers, agent);
      await raw(); // both sides start with an open connection
      // Node's https.Agent opened one connection per side by now; where the runtime's https does
      // not go through Agent#createConnection (Deno), reuse cannot be observed this way.
      const observable = connections.count >= 2;

      for (let i = 0; i < warmup; i++) {
        await ws.listTargets();
        await raw();
      }

      const results = [];
      for (let round = 0; round < rounds; round++) {
        // Blocks of `block` calls alternate (and which side starts alternates by round), so drift in
        // the machine's load hits both sides alike, while each side runs back to back as a loop in
        // a notebook would (alternating every single call would measure cold caches instead).
        const ms = { module: 0, raw: 0 };
        control.resetLog();
        const before = connections.count;
        for (let b = 0; b * block < calls; b++) {
          const n = Math.min(block, calls - b * block);
          for (const side of (b + round) % 2 ? ["raw", "module"] : ["module", "raw"]) {
            const t0 = performance.now();
            for (let i = 0; i < n; i++) {
              if (side === "module") await ws.listTargets();
              else await raw();
            }
            ms[side] += performance.now() - t0;
          }
        }
        const requests = control.requestCount({ listener: "dataPlane", path: "/providerStatus" });
        results.push({
          moduleMs: ms.module,
          rawMs: ms.raw,
          ratio: ms.module / ms.raw,
          // Both sides together sent this many; each side sent `calls`.
          requests,
          newConnections: observable ? connections.count - before : null,
        });
      }

      // One request per page: with a small page size, a listTargets() call follows every page.
      control.setPageSize(pageSize);
      control.resetLog();
      let pages = 0;
      let targets = 0;
      let providers = 0;
      for (let i = 0; i < pagedCalls; i++) {
        const list = await ws.listTargets();
        pages += list.info.pages ?? 0;
        targets = list.length;
        providers = list.providers.length;
      }
      const pagedRequests = control.requestCount({
        listener: "dataPlane",
        path: "/providerStatus",
      });
      agent.destroy();
      return {
        runtime: RUNTIME,
        calls,
        block,
        rounds: results,
        connectionsObservable: observable,
        paged: {
          calls: pagedCalls,
          pageSize,
          providers,
          targets,
          pages,
          expectedPages: pagedCalls * Math.ceil(providers / pageSize),
          requests: pagedRequests,
        },
      };
    } finally {
      await emulator.stop();
    }
  },
);

function pick(headers) {
  const out = {};
  for (const name of ["accept", "user-agent", "x-ms-client-request-id"]) {
    if (headers[name]) out[name] = headers[name];
  }
  return out;
}

function rawGet(url, headers, agent) {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: "GET", headers, agent }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => {
        if (res.statusCode !== 200) reject(new Error(`raw GET answered ${res.statusCode}`));
        else resolve(JSON.parse(text));
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

// New client sockets, whichever agent opens them (ours inside core-rest-pipeline, or the raw one).
function countConnections() {
  const proto = https.Agent.prototype;
  const original = proto.createConnection;
  const counter = { count: 0 };
  if (typeof original === "function") {
    proto.createConnection = function (...args) {
      counter.count++;
      return original.apply(this, args);
    };
  }
  return counter;
}
