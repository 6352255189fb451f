import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { Secret } from "../connection/secret.ts";
import { DENO_INSPECT, DisplayableBase, type MimeBundle, NODE_INSPECT } from "../displayable.ts";
import { renderEmulatorCard } from "../render/emulator_card.ts";
import { emulatorConnectionString } from "./arm_keys.ts";
import type { WorkspaceIds } from "./context.ts";
import type { EmulatorControl } from "./control.ts";
import { createEmulatorHandlers, type EmulatorHandlerOptions } from "./create_handlers.ts";
import type { Handler } from "./handler.ts";
import { IDENTITY_PATH } from "./identity_routes.ts";
import { type RunningServer, serve } from "./serve.ts";
import { listenAddress, LOOPBACK } from "./listen_address.ts";
import { removeAtProcessEnd } from "./process_end_cleanup.ts";
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
 * The variables a client process needs, as {@link Emulator.env} shows them: the connection string
 * and the identity header as `Secret`s, so printing, spreading, `console.table`, `Object.entries`,
 * `structuredClone` and `JSON.stringify` all show masks. {@link Emulator.revealEnv} gives the
 * values, {@link Emulator.exportEnv} sets them in this process.
 */
export interface EmulatorEnv {
  /** The dev workspace's connection string (current primary key), masked. */
  AZURE_QUANTUM_CONNECTION_STRING: Secret;
  /** The ARM base URL. */
  AZURE_QUANTUM_ARM_ENDPOINT: string;
  /** The path of the CA certificate file (PEM). */
  AZURE_QUANTUM_EMULATOR_CA: string;
  /** The managed-identity token endpoint. */
  IDENTITY_ENDPOINT: string;
  /** The secret the token endpoint requires, masked. */
  IDENTITY_HEADER: Secret;
  /** The emulated Key Vault's URL, `https://127.0.0.1:<port>/` (a vault URL for `SecretClient`; not secret). */
  AZURE_QUANTUM_KEY_VAULT_URL: string;
}

/** The names of the variables in {@link EmulatorEnv}. */
export type EmulatorEnvName = keyof EmulatorEnv;

/**
 * A running emulator: its endpoints, credentials (as `Secret`s), CA, control API and `stop()`.
 * Printing it (inspect, JSON, Jupyter) never shows a key: only fingerprints.
 *
 * @example Usage
 * ```ts
 * import { startEmulator } from "azure-quantum-notebook/emulator";
 * const emulator = await startEmulator();
 * console.log(emulator); // endpoints and fingerprints, no keys
 * await emulator.stop();
 * ```
 */
export class Emulator extends DisplayableBase {
  /** Data-plane endpoint, `https://127.0.0.1:<port>/` (as in connection strings). */
  readonly endpoint: string;
  /** ARM base URL, `https://127.0.0.1:<port>` (no trailing slash). */
  readonly armEndpoint: string;
  /** Token endpoint, `http://127.0.0.1:<port>/msi/token` (the `IDENTITY_ENDPOINT`). */
  readonly identityEndpoint: string;
  /** The emulated Key Vault, `https://127.0.0.1:<port>/` (secrets at `…/secrets/<name>/<version>`). */
  readonly keyVaultUrl: string;
  /**
   * Microsoft Entra authority host, `https://127.0.0.1:<port>`: pass it as `authorityHost` to
   * `DeviceCodeCredential` (with `disableInstanceDiscovery: true` and `tlsOptions: { ca }`).
   */
  readonly authorityHost: string;
  /** The CA certificate (PEM) to trust for the emulator's HTTPS endpoints. */
  readonly caCertificate: string;
  /** A temp file holding {@link caCertificate}; removed on stop. */
  readonly caFile: string;
  /** `sha256:` fingerprint of the CA certificate. */
  readonly caFingerprint: string;
  /** The address the listeners are bound to (`127.0.0.1` unless `host` said otherwise). */
  readonly host: string;
  /** What the user should know about this emulator, e.g. that it is reachable from other machines. */
  readonly warnings: readonly string[];
  /** The dev workspace's names. */
  readonly workspace: WorkspaceIds;
  /** Runtime knobs, keys, roles, faults and the request log. */
  readonly control: EmulatorControl;
  readonly #stop: () => Promise<void>;
  readonly #exportEnv: (env: Record<EmulatorEnvName, string>) => void;
  readonly #identityHeader: Secret;
  #running = true;
  #stopping: Promise<void> | undefined;

  /** @internal Use {@link startEmulator}. */
  constructor(init: {
    endpoint: string;
    armEndpoint: string;
    identityEndpoint: string;
    keyVaultUrl: string;
    authorityHost: string;
    caCertificate: string;
    caFile: string;
    caFingerprint: string;
    host?: string;
    warnings?: readonly string[];
    workspace: WorkspaceIds;
    control: EmulatorControl;
    identityHeader: Secret;
    stop: () => Promise<void>;
    exportEnv: (env: Record<EmulatorEnvName, string>) => void;
  }) {
    super();
    this.endpoint = init.endpoint;
    this.armEndpoint = init.armEndpoint;
    this.identityEndpoint = init.identityEndpoint;
    this.keyVaultUrl = init.keyVaultUrl;
    this.authorityHost = init.authorityHost;
    this.caCertificate = init.caCertificate;
    this.caFile = init.caFile;
    this.caFingerprint = init.caFingerprint;
    this.host = init.host ?? LOOPBACK;
    this.warnings = Object.freeze([...(init.warnings ?? [])]);
    this.workspace = { ...init.workspace };
    this.control = init.control;
    this.#identityHeader = init.identityHeader;
    this.#stop = init.stop;
    this.#exportEnv = init.exportEnv;
  }

  /** The current primary key's connection string. */
  get connectionString(): Secret {
    return new Secret(
      emulatorConnectionString(this.workspace, this.control.keys().primary.reveal(), this.endpoint),
    );
  }

  /** False once {@link stop} has been called. */
  get running(): boolean {
    return this.#running;
  }

  /**
   * What a client process needs (current primary key), secrets as `Secret`s: safe to print, spread
   * or tabulate. To pass the values on, call {@link revealEnv}; to set them in this process,
   * {@link exportEnv}.
   */
  get env(): EmulatorEnv {
    return Object.freeze({
      AZURE_QUANTUM_CONNECTION_STRING: this.connectionString,
      AZURE_QUANTUM_ARM_ENDPOINT: this.armEndpoint,
      AZURE_QUANTUM_EMULATOR_CA: this.caFile,
      IDENTITY_ENDPOINT: this.identityEndpoint,
      IDENTITY_HEADER: this.#identityHeader,
      AZURE_QUANTUM_KEY_VAULT_URL: this.keyVaultUrl,
    });
  }

  /**
   * The variables of {@link env} with their values in clear (current primary key), e.g. for a child
   * process: `spawn(cmd, { env: { ...process.env, ...emulator.revealEnv() } })`. The one explicit
   * way to them besides {@link exportEnv}; do not print the result.
   */
  revealEnv(): Record<EmulatorEnvName, string> {
    const env = this.env;
    return {
      AZURE_QUANTUM_CONNECTION_STRING: env.AZURE_QUANTUM_CONNECTION_STRING.reveal(),
      AZURE_QUANTUM_ARM_ENDPOINT: env.AZURE_QUANTUM_ARM_ENDPOINT,
      AZURE_QUANTUM_EMULATOR_CA: env.AZURE_QUANTUM_EMULATOR_CA,
      IDENTITY_ENDPOINT: env.IDENTITY_ENDPOINT,
      IDENTITY_HEADER: env.IDENTITY_HEADER.reveal(),
      AZURE_QUANTUM_KEY_VAULT_URL: env.AZURE_QUANTUM_KEY_VAULT_URL,
    };
  }

  /**
   * Sets the variables of {@link env} in this process (`process.env`, which is `Deno.env` in Deno),
   * as the `exportEnv` option of `startEmulator` does; {@link stop} restores what was there.
   */
  exportEnv(): void {
    this.#exportEnv(this.revealEnv());
  }

  /** Stops the listeners, removes the CA file, restores exported env vars. Idempotent. */
  stop(): Promise<void> {
    this.#running = false;
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  /** `await using emulator = await startEmulator()` stops it at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }

  /** The five listeners' URLs, as the card and the JSON summary show them. */
  #endpoints() {
    const { endpoint, armEndpoint, identityEndpoint, keyVaultUrl, authorityHost } = this;
    return { endpoint, armEndpoint, identityEndpoint, keyVaultUrl, authorityHost };
  }

  /** A card with endpoints, workspace and key fingerprints. */
  toMimeBundle(): MimeBundle {
    const keys = this.control.keys();
    return renderEmulatorCard({
      running: this.#running,
      ...this.#endpoints(),
      workspace: this.workspace,
      keysEnabled: keys.enabled,
      primaryFingerprint: keys.primary.fingerprint,
      secondaryFingerprint: keys.secondary.fingerprint,
      caFingerprint: this.caFingerprint,
      caFile: this.caFile,
    });
  }

  /** A summary without secrets. */
  override toJSON(): Record<string, unknown> {
    const keys = this.control.keys();
    return {
      running: this.#running,
      ...this.#endpoints(),
      host: this.host,
      workspace: this.workspace,
      connectionString: this.connectionString.toString(),
      keysEnabled: keys.enabled,
      caFile: this.caFile,
      caFingerprint: this.caFingerprint,
      env: JSON.parse(JSON.stringify(this.env)),
    };
  }

  /** `util.inspect` shows the summary (no secret). */
  override [NODE_INSPECT](): string {
    return `Emulator ${JSON.stringify(this.toJSON(), null, 2)}`;
  }

  /** `Deno.inspect` shows the summary (no secret). */
  override [DENO_INSPECT](): string {
    return this[NODE_INSPECT]();
  }
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
