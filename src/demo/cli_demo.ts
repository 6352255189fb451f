import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { startEmulator } from "../emulator/mod.ts";
import { renderDemoReport } from "./demo_report.ts";
import { type DemoStep, runDemo } from "./run_demo.ts";

const USAGE = `Usage: azure-quantum-notebook demo [--html FILE]

Runs the whole flow on an embedded emulator (no Azure needed): connect, list targets, key status,
disable -> rejected -> enable, regenerate the secondary, move the connection string into Key Vault
and connect through the reference, rotate the primary (new secret versions). Prints text tables;
--html FILE also writes the same flow as one HTML report.`;

/** `azure-quantum-notebook demo [--html FILE]`: resolves to the exit code. */
export async function runDemoCli(args: string[]): Promise<number> {
  let html: string | undefined;
  try {
    const { values } = parseArgs({ args, options: { html: { type: "string" }, help: { type: "boolean", short: "h" } } });
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    html = values.html;
  } catch (e) {
    console.error(`Cannot run the demo: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const emulator = await startEmulator();
  try {
    const steps = await runDemo({ emulator, onStep: printStep });
    if (html) {
      await mkdir(dirname(html), { recursive: true });
      await writeFile(html, renderDemoReport(steps, new Date().toISOString()));
      console.log(`\nHTML report: ${html}`);
    }
    console.log(`\nDemo finished: ${steps.length} steps, no Azure subscription needed.`);
    return 0;
  } catch (e) {
    // Our errors never hold a key; print name and message only (no stack with request objects).
    console.error(`\nDemo failed: ${(e as Error)?.name}: ${(e as Error)?.message}`);
    return 1;
  } finally {
    await emulator.stop();
  }
}

function printStep(step: DemoStep, index: number): void {
  const heading = `${index + 1}. ${step.title}`;
  console.log(`\n${heading}\n${"=".repeat(heading.length)}\n${step.why}\n`);
  console.log(step.bundle["text/plain"]);
}
