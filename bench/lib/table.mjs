// The markdown table: one line per measured figure.
import { HEAP_GROWTH_LIMIT, LRO_MAX_POLLS, PER_CALL_TARGET } from "../rows/requests.mjs";
import { IMPORT_TARGET } from "../rows/import_cost.mjs";
import { fmtMiB, fmtMs, fmtRatio } from "./stats.mjs";

const mark = (met) => (met ? "✓" : "✗");
const n = (s, digits = 0) => (Number.isFinite(s.median) ? s.median.toFixed(digits) : "n/a");
const range = (s, f) => `${f(s.median)} (${f(s.min)}–${f(s.max)})`;

export const HEADER = [
  "| # | Measure | Ratio, median (min–max) | Absolute (median) | Target | Met |",
  "|---|---|---|---|---|---|",
];

export function importLine(r) {
  const label = r.runtime === "node" ? "Node, dist/" : "Deno, mod.ts";
  return [
    "1",
    `Import cost (${label}): added start-up time vs \`@azure/identity\`'s, fresh processes ×${r.runs}`,
    fmtRatio(r.ratio),
    `nothing ${fmtMs(r.ms.none.median)}; module ${fmtMs(r.ms.module.median)} (+${
      fmtMs(r.addedMs.module)
    }); ` +
    `@azure/identity ${fmtMs(r.ms.identity.median)} (+${fmtMs(r.addedMs.identity)})`,
    `≤ ${IMPORT_TARGET.toFixed(2)}×`,
    mark(r.met),
  ];
}

export function keyOnlyLine(r) {
  const label = r.runtime === "node" ? "Node" : "Deno";
  return [
    "1",
    `Key-only path (${label}): connect + listTargets with a connection string, modules loaded`,
    `${r.identityOrMsalLoaded.length} of ${r.modules} from @azure/identity or MSAL`,
    `packages: ${r.packages.join(", ") || "none"}; control process: identity ${
      r.controlDetected ? "detected" : "NOT detected"
    }`,
    "none loaded",
    mark(r.met),
  ];
}

export function perCallLine(r) {
  const pages = r.requestsPerPage.paged;
  return [
    "2",
    `Per-call overhead (${r.runtime}): ${r.calls} × \`listTargets()\` vs ${r.calls} raw keep-alive GETs, ×${r.rounds.length}`,
    fmtRatio(r.ratio),
    `${fmtMs(r.msPerCall.module)} vs ${fmtMs(r.msPerCall.raw)} per call (all rounds); ` +
    `${n({ median: Math.max(...r.requestsPerPage.singlePage) }, 2)} request/page ` +
    `(paged: ${pages.requests} requests for ${pages.pages} pages); new connections: ${
      r.newConnections ?? "n/a"
    }`,
    `≤ ${PER_CALL_TARGET.toFixed(2)}×, 1 request/page`,
    mark(r.met),
  ];
}

export function lroLine(r) {
  const ratio = { median: r.ms.median / r.lroMs, min: r.ms.min / r.lroMs, max: r.ms.max / r.lroMs };
  return [
    "3",
    `LRO (${r.runtime}): \`keys.enable()\` after a disable, operation ${
      r.lroMs / 1000
    } s, Retry-After ${r.retryAfterSeconds}, ×${r.rounds.length}`,
    `${fmtRatio(ratio)} of LRO time`,
    `${range(r.ms, fmtMs)}; ${n(r.polls)} polls (emulator saw ${n(r.serverPolls)}); ${
      n(r.armRequests)
    } ARM requests`,
    `≤ ${fmtMs(r.limitMs)}, ≤ ${LRO_MAX_POLLS} polls`,
    mark(r.met),
  ];
}

export function rotationLine(r) {
  const total = r.loop.ok + r.loop.failed;
  return [
    "4",
    `Rotation (${r.runtime}): \`keys.rotate({ confirm: true })\` under a 50 ms \`listTargets()\` loop, ×${r.rounds.length}`,
    `${r.loop.failed} of ${total} loop calls failed (${
      (r.loop.failed / Math.max(total, 1)).toFixed(2)
    })`,
    `${range(r.ms, fmtMs)} (1 s of it the grace wait); requests: ${n(r.requests.arm)} ARM, ` +
    `${n(r.requests.dataPlane)} data plane, ${n(r.requests.identity)} token`,
    "0 failed",
    mark(r.met),
  ];
}

export function memoryLine(r) {
  const kib = (b) => `${b >= 0 ? "+" : ""}${(b / 1024).toFixed(0)} KiB`;
  return [
    "5",
    `Memory (${r.runtime}): peak RSS of connect + ${r.calls} × \`listTargets()\` + 1 rotation vs import only, ×${r.runs.length}`,
    fmtRatio(r.ratio),
    `${fmtMiB(r.workloadPeak.median)} vs ${
      fmtMiB(r.importOnlyPeak.median)
    }; heapUsed after GC, call ${r.calls} − call 100: ` +
    `${range(r.heapGrowth, kib)}`,
    `heap growth ≤ ${HEAP_GROWTH_LIMIT / 1048576} MiB`,
    mark(r.met),
  ];
}

export function keyVaultLine(r) {
  const plus = (x) => `${x.median >= 0 ? "+" : ""}${fmtMs(x.median)}`;
  const v = r.vaultRequests;
  const times = [
    `clear ${fmtMs(r.ms.clear.median)}`,
    `first ${range(r.ms.first, fmtMs)} (imports, token, challenge, read)`,
    `later ${fmtMs(r.ms.cached.median)}`,
    `refresh ${fmtMs(r.ms.refresh.median)}`,
  ];
  const requests = [
    `first connect ${(v.first ?? []).join(", ") || "none"}`,
    `later ${v.cachedPerConnect} per connect`,
    `refresh ${v.refreshPerConnect} per connect`,
  ];
  const tokens = `token requests: first ${r.tokenRequests.first}, later ${r.tokenRequests.cached}`;
  return [
    "6",
    `Key Vault source (${r.runtime}): \`connect()\` with AZURE_QUANTUM_CONNECTION_STRING a Key Vault ` +
    `reference vs in clear text, fresh processes ×${r.runs.length}`,
    [
      `first connect ${plus(r.addedMs.first)}`,
      `later ${plus(r.addedMs.cached)}`,
      `refresh ${plus(r.addedMs.refresh)}`,
    ].join("; "),
    `${times.join(", ")}; vault requests: ${requests.join(", ")}; ${tokens}`,
    "1 vault read per process (after the SDK's challenge), 0 on later connects, 1 per refresh",
    mark(r.met),
  ];
}

export function errorLine(row, what, error) {
  return [
    row,
    what,
    "error",
    String(error?.message ?? error).split("\n")[0].slice(0, 160),
    "—",
    "✗",
  ];
}

export function toMarkdown(lines) {
  return [
    ...HEADER,
    ...lines.map((cells) =>
      `| ${cells.map((c) => String(c).replaceAll("|", "\\|")).join(" | ")} |`
    ),
  ].join("\n");
}
