#!/usr/bin/env -S node --
// `--` stops Node 20 from taking options after the script (Node options such as --env-file) as its own.
/**
 * `azure-quantum-notebook <command> [options]`. Each command is a function from its arguments to
 * an exit code; add one with a line in `COMMANDS`.
 *
 * @example Usage
 * ```sh
 * azure-quantum-notebook emulator --write-env .env.emulator
 * ```
 *
 * @module
 */
import process from "node:process";
import { runDemoCli } from "./demo/cli_demo.ts";
import { runEmulatorCli } from "./emulator/cli_emulator.ts";

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  demo: runDemoCli,
  emulator: runEmulatorCli,
};

const USAGE = `Usage: azure-quantum-notebook <command> [options]

Commands:
${Object.keys(COMMANDS).map((name) => `  ${name}`).join("\n")}

Run "azure-quantum-notebook <command> --help" for a command's options.
`;

/** Runs the command named by `argv[0]` with the rest of `argv`; resolves to the exit code. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Cannot run "${name}": unknown command\n\n${USAGE}`);
    return 2;
  }
  return await command(rest);
}

process.exit(await main(process.argv.slice(2)));
