import assert from "node:assert/strict";
import { detectKernel } from "../../src/kernel/transports.ts";
import { display } from "../../src/kernel/display.ts";
import { createProgress } from "../../src/kernel/notebook_progress.ts";
import { TargetList } from "../../src/workspace/target_list.ts";

const PROVIDERS = [
  {
    id: "ionq",
    currentAvailability: "Available" as const,
    targets: [
      {
        id: "ionq.simulator",
        currentAvailability: "Available" as const,
        averageQueueTime: 1235,
        statusPage: "https://status.ionq.co",
      },
      {
        id: "<script>x</script>",
        currentAvailability: "Unavailable" as const,
        averageQueueTime: 0,
        statusPage: null,
      },
    ],
  },
];

Deno.test("detectKernel() is none under deno test and does not throw", () => {
  // The Deno.jupyter getter throws outside `deno jupyter`: detectKernel must swallow that.
  assert.throws(() => (Deno as unknown as { jupyter: unknown }).jupyter);
  assert.equal(detectKernel(), "none");
});

Deno.test("Deno.inspect() of a TargetList gives the text table", () => {
  const list = new TargetList(PROVIDERS, { workspaceName: "demo" });
  assert.equal(
    Deno.inspect(list),
    [
      "Targets in workspace demo",
      "  Target              Availability  Avg. queue  Status page",
      "  ------------------  ------------  ----------  ----------------------",
      "ionq · Available · 2 targets",
      "  ionq.simulator      Available         21 min  https://status.ionq.co",
      "  <script>x</script>  Unavailable            —  —",
      "2 targets from 1 provider",
    ].join("\n"),
  );
  assert.equal(Deno.inspect(list), list.toString());
});

Deno.test("TargetList carries Symbol.for('Jupyter.display') with escaped HTML", () => {
  const list = new TargetList(PROVIDERS);
  const bundle = (list as unknown as Record<symbol, () => Record<string, unknown>>)
    [Symbol.for("Jupyter.display")]();
  assert.match(String(bundle["text/html"]), /&lt;script&gt;x&lt;\/script&gt;/);
  assert.ok(!String(bundle["text/html"]).includes("<script>"));
});

Deno.test("display() prints text/plain outside a kernel; progress stays silent", async () => {
  const lines: unknown[] = [];
  const original = console.log;
  console.log = (...a: unknown[]) => void lines.push(a.join(" "));
  try {
    await display({ "text/plain": "hello", "text/html": "<b>hello</b>" });
    const p = createProgress("Waiting");
    p.update("attempt 2");
    await p.done("ok");
  } finally {
    console.log = original;
  }
  assert.deepEqual(lines, ["hello"]);
});
