// `npm run bench` (Node) / `deno task bench` (Deno): import cost, per-call overhead, LRO,
// rotation, memory and what a Key Vault source adds to connect(), measured side by side on the
// local emulator (see bench/README.md).
// Prints a markdown table and writes bench/results.json (Node, full run; `.quick` / `.deno` in
// the name otherwise), plus bench/RESULTS.md after a full Node run. Exits 0 whether or not
// targets are met (--strict: 1 when one is missed); exits 1 when the benchmark itself breaks.
//
// Under Node, row 1 measures Node (dist/) and Deno (mod.ts) and rows 2–6 run in Node; under
// Deno, everything runs in Deno. Options: --quick (or BENCH_QUICK=1) fewer iterations, for CI;
// --runs N import-cost processes per variant; --rounds N repetitions of rows 2–6; --only 1,3
// some rows; --runtime node|deno for rows 2–6; --out FILE.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { machine } from "./lib/machine.mjs";
import { executables, ROOT, run, RUNTIME } from "./lib/spawn.mjs";
import { rounded } from "./lib/stats.mjs";
import * as table from "./lib/table.mjs";
import { checkKeyOnlyPath, timeImports } from "./rows/import_cost.mjs";
import { lro, memory, perCall, rotation } from "./rows/requests.mjs";
import { keyVaultSource } from "./rows/key_vault.mjs";

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    quick: { type: "boolean", default: false },
    runs: { type: "string" },
    rounds: { type: "string" },
    only: { type: "string" },
    runtime: { type: "string" },
    out: { type: "string" },
    strict: { type: "boolean", default: false },
  },
});
const quick = values.quick || process.env.BENCH_QUICK === "1";
const count = (
  text,
  fallback,
) => (text === undefined ? fallback : Math.max(1, Number.parseInt(text, 10) || 1));
const settings = {
  quick,
  importRuns: count(values.runs, quick ? 3 : 15),
  perCallRounds: count(values.rounds, quick ? 2 : 9),
  lroRounds: count(values.rounds, quick ? 1 : 3),
  rotationRounds: count(values.rounds, quick ? 1 : 3),
  memoryRounds: count(values.rounds, quick ? 1 : 3),
  calls: 200,
  memoryCalls: 1000,
  runtime: values.runtime ?? RUNTIME,
  keyVaultRounds: count(values.rounds, quick ? 1 : 3),
  rows: new Set((values.only ?? "1,2,3,4,5,6").split(",").map((s) => s.trim())),
};
if (!["node", "deno"].includes(settings.runtime)) {
  console.error(
    `Cannot run the benchmark: --runtime must be node or deno, not ${settings.runtime}`,
  );
  process.exit(2);
}
const out = values.out ??
  join(ROOT, "bench", `results${RUNTIME === "deno" ? ".deno" : ""}${quick ? ".quick" : ""}.json`);

const started = performance.now();
const info = await machine();
const lines = [];
const results = {};
const errors = [];
const log = (text) =>
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)} s] ${text}\n`);

async function step(row, what, fn, line) {
  log(what);
  try {
    const value = await fn();
    lines.push(line(value));
    return value;
  } catch (e) {
    errors.push({ row, what, error: String(e?.stack ?? e) });
    lines.push(table.errorLine(row, what, e));
    log(`FAILED: ${e?.stack ?? e}`);
    return undefined;
  }
}

// One emulator in this process serves the children that must not host their own: the
// key-only-path check (row 1) and the memory workload (row 5, whose RSS must not include it).
const { startEmulator } = await import("azure-quantum-notebook/emulator");
const emulator = await startEmulator();
try {
  // Node's rows need a fresh dist/, which only `npm run bench` builds.
  const runtimes = (RUNTIME === "node" ? ["node", "deno"] : ["deno"]).filter((r) => {
    if (!executables()[r]) {
      log(`no ${r} executable: its row 1 is skipped`);
      return false;
    }
    return r === "deno" || existsSync(join(ROOT, "dist", "mod.js"));
  });
  if (settings.rows.has("1")) {
    results.importCost = {};
    results.keyOnlyPath = {};
    for (const rt of runtimes) {
      results.importCost[rt] = await step(
        "1",
        `import cost (${rt})`,
        () => timeImports(rt, settings.importRuns),
        table.importLine,
      );
    }
    for (const rt of runtimes) {
      results.keyOnlyPath[rt] = await step(
        "1",
        `key-only path modules (${rt})`,
        () => checkKeyOnlyPath(rt, emulator.revealEnv()),
        table.keyOnlyLine,
      );
    }
  }
  const rt = settings.runtime;
  if (settings.rows.has("2")) {
    results.perCall = await step(
      "2",
      `per-call overhead (${rt})`,
      () => perCall(rt, { calls: settings.calls, rounds: settings.perCallRounds }),
      table.perCallLine,
    );
  }
  if (settings.rows.has("3")) {
    results.lro = await step(
      "3",
      `LRO (${rt})`,
      () => lro(rt, { rounds: settings.lroRounds }),
      table.lroLine,
    );
  }
  if (settings.rows.has("4")) {
    results.rotation = await step(
      "4",
      `rotation (${rt})`,
      () => rotation(rt, { rounds: settings.rotationRounds }),
      table.rotationLine,
    );
  }
  if (settings.rows.has("5")) {
    emulator.control.resetLog();
    results.memory = await step(
      "5",
      `memory (${rt})`,
      () =>
        memory(
          rt,
          { rounds: settings.memoryRounds, calls: settings.memoryCalls },
          () => emulator.revealEnv(),
        ),
      table.memoryLine,
    );
  }
  if (settings.rows.has("6")) {
    results.keyVaultSource = await step(
      "6",
      `Key Vault source (${rt})`,
      () => keyVaultSource(rt, { rounds: settings.keyVaultRounds, repeats: quick ? 3 : 5 }),
      table.keyVaultLine,
    );
  }
} finally {
  await emulator.stop();
}

const markdown = table.toMarkdown(lines);
const missed = lines.filter((l) => l.at(-1) === "✗").map((l) => `${l[0]} ${l[1]}`);
info.loadAverageAfter = (await import("node:os")).default.loadavg().map((n) =>
  Number(n.toFixed(2))
);
const seconds = (performance.now() - started) / 1000;
const machineLine =
  `${info.nproc} × ${info.cpu} (${info.os}); Node ${info.node ?? "n/a"}, ${
    info.deno ?? "Deno n/a"
  }; ` +
  `load average ${info.loadAverage.join(" ")} at start, ${info.loadAverageAfter.join(" ")} at end`;
console.log(`\n${markdown}\n`);
console.log(
  `${quick ? "Quick" : "Full"} run under ${RUNTIME} in ${seconds.toFixed(0)} s on ${machineLine}.`,
);
console.log(
  missed.length ? `Targets missed: ${missed.length} (${missed.join("; ")})` : "All targets met.",
);
if (errors.length) console.log(`Benchmark errors: ${errors.length} (see above and ${out})`);

writeFileSync(
  out,
  JSON.stringify(
    rounded({
      generatedAt: new Date().toISOString(),
      command: `${RUNTIME} bench/run.mjs ${process.argv.slice(2).join(" ")}`.trim(),
      seconds,
      machine: info,
      settings: { ...settings, rows: [...settings.rows] },
      allTargetsMet: missed.length === 0 && errors.length === 0,
      missed,
      errors,
      table: markdown,
      results,
    }),
    null,
    2,
  ) + "\n",
);
if (!quick && !values.only && RUNTIME === "node") {
  const page = join(ROOT, "bench", "RESULTS.md");
  writeFileSync(page, resultsPage(markdown, machineLine, seconds));
  // In the repository's own style (`deno fmt` aligns the table), when Deno is at hand.
  const { deno } = executables();
  if (deno) await run(deno, ["fmt", "--quiet", page]).catch(() => undefined);
}

process.exit(errors.length ? 1 : values.strict && missed.length ? 1 : 0);

function resultsPage(markdown, machineLine, seconds) {
  return `# Benchmark results

One full run of \`npm run bench\` (${seconds.toFixed(0)} s, ${
    new Date().toISOString().slice(0, 10)
  }), on ${machineLine}.
Every ratio is measured side by side in the same run; the middle figure is the median of the
repetitions (×N), with the min–max in brackets. See \`bench/README.md\` for what each row measures.

${markdown}
`;
}
