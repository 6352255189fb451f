import process from "node:process";
import { parseArgs } from "node:util";
import type { Role } from "./context.ts";
import type { Emulator } from "./emulator.ts";
import { type FaultRule, parseFault } from "./faults.ts";
import type { DataPlaneAuthorization } from "./rbac_state.ts";
import { startEmulator } from "./start_emulator.ts";
import { checkEnvFile, envFileLine, writeEnvFile } from "./write_env_file.ts";

/** Where the CLI writes, and what stops it besides SIGINT/SIGTERM (for tests). */
export interface CliIo {
  /** Where normal output goes. @default process.stdout */
  stdout?: (text: string) => void;
  /** Where errors go. @default process.stderr */
  stderr?: (text: string) => void;
  /** Stops the emulator (instead of SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

const USAGE = `Usage: azure-quantum-notebook emulator [options]

Starts a local Azure Quantum emulator (data plane, ARM, a Key Vault and a Microsoft Entra authority
over HTTPS, managed-identity token endpoint over HTTP) on 127.0.0.1 (unless --host says otherwise)
and runs until Ctrl+C (SIGINT) or SIGTERM.

Options:
  --host ADDR           listen address: 127.0.0.1, or 0.0.0.0 / :: to accept
                        connections from other machines (warns)           [127.0.0.1]
  --port N              data-plane HTTPS port (0 = free port)             [0]
  --arm-port N          ARM HTTPS port                                     [0]
  --identity-port N     token endpoint HTTP port                           [0]
  --vault-port N        Key Vault HTTPS port                               [0]
  --login-port N        Entra authority (device-code sign-in) HTTPS port  [0]
  --state FILE          keep keys, enabled flag, tags, vault secrets and RBAC
                        in FILE (0600)
  --write-env FILE      write the client environment to FILE (0600, dotenv); an
                        existing FILE keeps every other line (its variables are
                        merged in), and one that points at Azure is refused
  --encrypt             encrypt the values in the --write-env FILE (dotenvx format;
                        private key to .env.keys beside it); a FILE that is
                        encrypted already is always written encrypted
  --lro-ms N            how long a PUT's operation stays Accepted          [0]
  --lro-retry-after N   Retry-After seconds of a PUT's 201                 [none]
  --propagation-ms N    delay before enable/disable reaches the data plane [0]
  --latency-ms N        added to every response                            [0]
  --page-size N         data-plane items per page (nextLink beyond)
  --role ROLE           Owner | Contributor | Reader | None                [Contributor]
  --data-plane-authorization MODE
                        dataRoles: Entra callers need a Quantum Workspace Data role;
                        controlPlaneRoles: Owner/Contributor/Reader suffice  [dataRoles]
  --token-lifetime N    lifetime of issued tokens, seconds                 [3600]
  --fault SPEC          kind[:count[:listener[:method[:path]]]], repeatable; kind 429|500|503|drop
  -h, --help            show this help
`;

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) {
    throw new RangeError(`Cannot parse --${name} "${value}": use a number >= 0`);
  }
  return n;
}

const OLD_ENV_FLAG = /^--env-file(=|$)/;

function describe(
  emulator: Emulator,
  envLine: string | undefined,
  stateFile: string | undefined,
): string {
  const keys = emulator.control.keys();
  const ws = emulator.workspace;
  return [
    "Azure Quantum emulator running",
    `  Data plane     ${emulator.endpoint}`,
    `  ARM            ${emulator.armEndpoint}`,
    `  Identity       ${emulator.identityEndpoint}`,
    `  Key Vault      ${emulator.keyVaultUrl}`,
    `  Authority      ${emulator.authorityHost}`,
    ...(emulator.host === "127.0.0.1"
      ? []
      : [`  Listening on   ${emulator.host} (all interfaces)`]),
    `  Workspace      ${ws.workspaceName} (resource group ${ws.resourceGroup}, ${ws.location}, subscription ${ws.subscriptionId})`,
    `  Access keys    ${
      keys.enabled ? "enabled" : "disabled"
    }; primary ${keys.primary.fingerprint}, secondary ${keys.secondary.fingerprint}`,
    `  CA             ${emulator.caFile}`,
    ...(envLine ? [envLine] : []),
    ...(stateFile ? [`  State file     ${stateFile}`] : []),
    "Press Ctrl+C to stop.",
    "",
  ].join("\n");
}

/**
 * `azure-quantum-notebook emulator [options]`: starts the emulator, prints its endpoints (never a
 * key: fingerprints only) and, on stderr, its warnings (a non-loopback `--host`), writes the env
 * file of `--write-env` (creating it, or merging into it and saying so, or refusing a file that
 * points at Azure), and stops cleanly on SIGINT or SIGTERM. The old spelling `--env-file` is
 * refused with a message naming `--write-env` (Node and Deno read a file with `--env-file`).
 *
 * @param args The arguments after `emulator`.
 * @param io Output functions and an extra stop signal. @default process.stdout / process.stderr
 * @returns The exit code: 0 after a clean stop, 2 for bad arguments, 1 when the start fails.
 *
 * @example Usage
 * ```ts
 * import { runEmulatorCli } from "azure-quantum-notebook/emulator";
 * const stop = new AbortController();
 * const done = runEmulatorCli(["--lro-ms", "500"], { signal: stop.signal });
 * stop.abort();
 * await done; // 0
 * ```
 */
export async function runEmulatorCli(args: string[], io: CliIo = {}): Promise<number> {
  const out = io.stdout ?? ((s: string) => void process.stdout.write(s));
  const err = io.stderr ?? ((s: string) => void process.stderr.write(s));
  let values: Record<string, string | string[] | boolean | undefined>;
  let faults: FaultRule[];
  if (args.some((a) => OLD_ENV_FLAG.test(a))) {
    err(
      "Cannot parse --env-file: the emulator's option is now --write-env FILE (it writes the file; " +
        "Node's and Deno's --env-file read one). Use: azure-quantum-notebook emulator --write-env .env.emulator\n",
    );
    return 2;
  }
  try {
    values = parseArgs({
      args,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        "arm-port": { type: "string" },
        "identity-port": { type: "string" },
        "vault-port": { type: "string" },
        "login-port": { type: "string" },
        "data-plane-authorization": { type: "string" },
        state: { type: "string" },
        "write-env": { type: "string" },
        encrypt: { type: "boolean" },
        "lro-ms": { type: "string" },
        "lro-retry-after": { type: "string" },
        "propagation-ms": { type: "string" },
        "latency-ms": { type: "string" },
        "page-size": { type: "string" },
        role: { type: "string" },
        "token-lifetime": { type: "string" },
        fault: { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
    faults = ((values.fault as string[] | undefined) ?? []).map(parseFault);
  } catch (e) {
    err(`${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    out(USAGE);
    return 0;
  }
  const str = (name: string) => values[name] as string | undefined;
  const envFile = str("write-env");
  if (values.encrypt && envFile === undefined) {
    err(`Cannot use --encrypt alone: it encrypts the file of --write-env FILE. Add --write-env .env.emulator\n\n${USAGE}`);
    return 2;
  }
  if (envFile !== undefined) {
    // Refuse a file that points at Azure before anything starts (checked again when writing).
    try {
      await checkEnvFile(envFile);
    } catch (e) {
      err(`${(e as Error).message}\n`);
      return (e instanceof RangeError) ? 2 : 1;
    }
  }
  let emulator: Emulator;
  try {
    const lifetime = number("token-lifetime", str("token-lifetime"));
    emulator = await startEmulator({
      host: str("host"),
      port: number("port", str("port")),
      armPort: number("arm-port", str("arm-port")),
      identityPort: number("identity-port", str("identity-port")),
      vaultPort: number("vault-port", str("vault-port")),
      loginPort: number("login-port", str("login-port")),
      dataPlaneAuthorization: str("data-plane-authorization") as DataPlaneAuthorization | undefined,
      stateFile: str("state"),
      lroDurationMs: number("lro-ms", str("lro-ms")),
      lroRetryAfterSeconds: number("lro-retry-after", str("lro-retry-after")),
      keyPropagationDelayMs: number("propagation-ms", str("propagation-ms")),
      latencyMs: number("latency-ms", str("latency-ms")),
      pageSize: number("page-size", str("page-size")),
      role: str("role") as Role | undefined,
      identity: lifetime === undefined ? undefined : { tokenLifetimeSeconds: lifetime },
      faults,
      keepProcessAlive: true, // a server process: it runs until a signal (or io.signal) stops it
    });
  } catch (e) {
    err(`Cannot start the emulator: ${(e as Error).message}\n`);
    return e instanceof RangeError ? 2 : 1;
  }
  let envLine: string | undefined;
  const envWarnings: string[] = [];
  try {
    if (envFile !== undefined) {
      const written = await writeEnvFile(envFile, emulator.revealEnv(), values.encrypt === true);
      envLine = envFileLine(envFile, written);
      envWarnings.push(...written.encryption?.warnings ?? []);
    }
  } catch (e) {
    await emulator.stop();
    err(
      e instanceof RangeError
        ? `${e.message}\n`
        : `Cannot write env file "${envFile}": ${(e as Error).message}\n`,
    );
    return e instanceof RangeError ? 2 : 1;
  }
  out(describe(emulator, envLine, str("state")));
  for (const warning of [...emulator.warnings, ...envWarnings]) err(`Warning: ${warning}\n`);

  await new Promise<void>((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      io.signal?.removeEventListener("abort", done);
      resolve();
    };
    process.on("SIGINT", done);
    process.on("SIGTERM", done);
    if (io.signal?.aborted) done();
    else io.signal?.addEventListener("abort", done);
  });
  await emulator.stop();
  out("Azure Quantum emulator stopped.\n");
  return 0;
}
