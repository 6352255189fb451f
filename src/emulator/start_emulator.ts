/**
 * `startEmulator()`: the five listeners over one set of handlers, a fresh CA (its certificate in a
 * temp file removed on stop or at process end), the state file, and the environment it exports.
 *
 * @module
 */

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { createEmulatorHandlers, type EmulatorHandlerOptions } from "./create_handlers.ts";
import { Emulator } from "./emulator.ts";
import type { Handler } from "./handler.ts";
import { IDENTITY_PATH } from "./identity_routes.ts";
import { listenAddress } from "./listen_address.ts";
import { removeAtProcessEnd } from "./process_end_cleanup.ts";
import { type RunningServer, serve } from "./serve.ts";
import { loadState, StateWriter } from "./state_file.ts";
import { createTlsMaterial } from "./tls.ts";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions extends EmulatorHandlerOptions {
  /**
   * Address the listeners bind to: `"127.0.0.1"` (loopback only), or the wildcard
   * `"0.0.0.0"` / `"::"` (every interface, e.g. inside a container whose ports are published),
   * which other machines can reach: the emulator then says so in {@link Emulator.warnings}.
   * Clients always use `https://127.0.0.1:<port>/`, the address the certificate and connection
   * strings name. @default "127.0.0.1"
   */
  host?: string;
  /** Data-plane HTTPS port; 0 picks a free one. @default 0 */
  port?: number;
  /** ARM HTTPS port. @default 0 */
  armPort?: number;
  /** Token endpoint (plain HTTP) port. @default 0 */
  identityPort?: number;
  /** Key Vault (secrets) HTTPS port. @default 0 */
  vaultPort?: number;
  /** Microsoft Entra authority (device-code sign-in) HTTPS port. @default 0 */
  loginPort?: number;
  /**
   * State file: keys, enabled flag, tags, the vault's secrets and RBAC are read from it and written
   * to it (0600) on change.
   */
  stateFile?: string;
  /** Also set {@link Emulator.env} in `process.env` (= `Deno.env`), restored on stop. @default false */
  exportEnv?: boolean;
  /** Largest request body a listener accepts; larger ones get 413 unread. @default 1 MiB */
  maxRequestBodyBytes?: number;
  /** Aborting before the emulator is up rejects; aborting later stops it. */
  signal?: AbortSignal;
  /**
   * Keep the process alive while the emulator runs, as a server process does (the CLI sets it).
   * By default its listeners are unref'd: a script that forgets `stop()` still ends once its own
   * work is done, and its CA folder is removed as it exits. @default false
   */
  keepProcessAlive?: boolean;
}

/**
 * Starts the emulator: five listeners on 127.0.0.1 (data plane, ARM, a Key Vault and the Microsoft
 * Entra authority over HTTPS with a fresh CA, the managed-identity token endpoint over plain HTTP),
 * over one dev workspace. Another `host` (a wildcard address) makes them reachable from other
 * machines, and adds a warning.
 *
 * @param options Ports, listen address, state file, knobs, providers, identity.
 * @returns The running {@link Emulator}.
 * @throws {RangeError} for a `host` other than 127.0.0.1, localhost, 0.0.0.0 or ::.
 *
 * @example Usage
 * ```ts
 * import { startEmulator } from "azure-quantum-notebook/emulator";
 * const emulator = await startEmulator({ keyPropagationDelayMs: 0, exportEnv: true });
 * console.log(emulator.endpoint); // https://127.0.0.1:<port>/
 * await emulator.stop();
 * ```
 *
 * @example Stopped at the end of a block (Deno, TypeScript 5.2+, Node 24+)
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * import { startEmulator } from "azure-quantum-notebook/emulator";
 * {
 *   await using emulator = await startEmulator({ exportEnv: true });
 *   const ws = await connect();
 *   console.log((await ws.listTargets()).length);
 * } // stopped here; a script that forgets stop() still ends, and its CA folder goes with it
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  options.signal?.throwIfAborted();
  const listen = listenAddress(options.host);
  const state = options.stateFile ? await loadState(options.stateFile) : options.state;
  const writer = options.stateFile ? new StateWriter(options.stateFile) : undefined;
  const tls = await createTlsMaterial({ now: options.now });
  const handlers = createEmulatorHandlers({
    ...options,
    state,
    onStateChange: (s) => {
      writer?.write(s);
      options.onStateChange?.(s);
    },
  });
  const servers: RunningServer[] = [];
  const closeAll = () => Promise.all(servers.map((s) => s.close()));
  const serverTls = { key: tls.privateKey, cert: tls.certificate };
  // In this order (the URLs below read them back by position); only the token endpoint is plain
  // HTTP, like App Service's own.
  const listeners: [Handler, number | undefined, boolean][] = [
    [handlers.dataPlane, options.port, true],
    [handlers.arm, options.armPort, true],
    [handlers.identity, options.identityPort, false],
    [handlers.vault, options.vaultPort, true],
    [handlers.login, options.loginPort, true],
  ];
  try {
    for (const [handler, port, https] of listeners) {
      servers.push(
        await serve(handler, {
          port: port ?? 0,
          hostname: listen.host,
          tls: https ? serverTls : undefined,
          maxBodyBytes: options.maxRequestBodyBytes,
          keepProcessAlive: options.keepProcessAlive,
        }),
      );
    }
  } catch (e) {
    await closeAll();
    throw e;
  }
  const [data, arm, identity, vault, login] = servers as [
    RunningServer,
    RunningServer,
    RunningServer,
    RunningServer,
    RunningServer,
  ];
  Object.assign(handlers.context.urls, {
    dataPlane: `https://127.0.0.1:${data.port}/`,
    arm: `https://127.0.0.1:${arm.port}`,
    identity: `http://127.0.0.1:${identity.port}${IDENTITY_PATH}`,
    vault: `https://127.0.0.1:${vault.port}/`,
    login: `https://127.0.0.1:${login.port}`,
  });
  // A fresh state file, or one written before RBAC existed, gets the seeded directory at once.
  if (writer && !state?.rbac) writer.write(handlers.snapshot());
  const caDir = await mkdtemp(join(tmpdir(), "azure-quantum-emulator-"));
  const caFile = join(caDir, "ca.pem");
  // Removed by stop(), or as the process ends without it (exit, or a signal that ends it).
  const forgetCaDir = removeAtProcessEnd(caDir);
  await writeFile(caFile, tls.caCertificate, { mode: 0o644 });

  const saved = new Map<string, string | undefined>();
  let onAbort: (() => void) | undefined;
  const emulator: Emulator = new Emulator({
    endpoint: handlers.context.urls.dataPlane,
    armEndpoint: handlers.context.urls.arm,
    identityEndpoint: handlers.context.urls.identity,
    keyVaultUrl: handlers.context.urls.vault,
    authorityHost: handlers.context.urls.login,
    caCertificate: tls.caCertificate,
    caFile,
    caFingerprint: tls.caFingerprint,
    host: listen.host,
    warnings: listen.warnings,
    workspace: handlers.context.workspace,
    control: handlers.control,
    identityHeader: handlers.context.identityHeader,
    exportEnv: (env) => {
      for (const [name, value] of Object.entries(env)) {
        if (!saved.has(name)) saved.set(name, process.env[name]);
        process.env[name] = value;
      }
    },
    stop: async () => {
      if (onAbort) options.signal?.removeEventListener("abort", onAbort);
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await closeAll();
      await rm(caDir, { recursive: true, force: true });
      forgetCaDir();
      await writer?.flush();
    },
  });
  if (options.exportEnv) emulator.exportEnv();
  if (options.signal) {
    onAbort = () => void emulator.stop();
    if (options.signal.aborted) {
      await emulator.stop();
      throw options.signal.reason;
    }
    options.signal.addEventListener("abort", onAbort, { once: true });
  }
  return emulator;
}
