import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { inspect } from "node:util";
import { Secret } from "../connection/secret.ts";
import { DENO_INSPECT, DisplayableBase, type MimeBundle, NODE_INSPECT } from "../displayable.ts";
import { renderEmulatorCard } from "../render/emulator_card.ts";
import { emulatorConnectionString } from "./arm_keys.ts";
import type { WorkspaceIds } from "./context.ts";
import type { EmulatorControl } from "./control.ts";
import { createEmulatorHandlers, type EmulatorHandlerOptions } from "./create_handlers.ts";
import { IDENTITY_PATH } from "./identity_routes.ts";
import { type RunningServer, serve } from "./serve.ts";
import { listenAddress, LOOPBACK } from "./listen_address.ts";
import { loadState, StateWriter } from "./state_file.ts";
import { createTlsMaterial } from "./tls.ts";

/** Options of {@link startEmulator}. */
export interface EmulatorOptions extends EmulatorHandlerOptions {
  /**
   * Address the three listeners bind to: `"127.0.0.1"` (loopback only), or the wildcard
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
  /** State file: keys, enabled flag and tags are read from it and written to it (0600) on change. */
  stateFile?: string;
  /** Also set {@link Emulator.env} in `process.env` (= `Deno.env`), restored on stop. @default false */
  exportEnv?: boolean;
  /** Aborting before the emulator is up rejects; aborting later stops it. */
  signal?: AbortSignal;
}

/** The variables a client process needs, as in {@link Emulator.env}. */
export interface EmulatorEnv {
  /** The dev workspace's connection string (current primary key). */
  AZURE_QUANTUM_CONNECTION_STRING: string;
  /** The ARM base URL. */
  AZURE_QUANTUM_ARM_ENDPOINT: string;
  /** The path of the CA certificate file (PEM). */
  AZURE_QUANTUM_EMULATOR_CA: string;
  /** The managed-identity token endpoint. */
  IDENTITY_ENDPOINT: string;
  /** The secret the token endpoint requires. */
  IDENTITY_HEADER: string;
  /** Nothing else, as yet. */
  [name: string]: string;
}

const MASKED = ["AZURE_QUANTUM_CONNECTION_STRING", "IDENTITY_HEADER"];

function masked(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k, MASKED.includes(k) ? new Secret(v).toString() : v]),
  );
}

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
  readonly #identityHeader: string;
  #running = true;
  #stopping: Promise<void> | undefined;

  /** @internal Use {@link startEmulator}. */
  constructor(init: {
    endpoint: string;
    armEndpoint: string;
    identityEndpoint: string;
    caCertificate: string;
    caFile: string;
    caFingerprint: string;
    host?: string;
    warnings?: readonly string[];
    workspace: WorkspaceIds;
    control: EmulatorControl;
    identityHeader: string;
    stop: () => Promise<void>;
  }) {
    super();
    this.endpoint = init.endpoint;
    this.armEndpoint = init.armEndpoint;
    this.identityEndpoint = init.identityEndpoint;
    this.caCertificate = init.caCertificate;
    this.caFile = init.caFile;
    this.caFingerprint = init.caFingerprint;
    this.host = init.host ?? LOOPBACK;
    this.warnings = Object.freeze([...(init.warnings ?? [])]);
    this.workspace = { ...init.workspace };
    this.control = init.control;
    this.#identityHeader = init.identityHeader;
    this.#stop = init.stop;
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
   * What a client process needs (current primary key), as a plain object to spread into a child
   * process's env. Inspecting or JSON-serializing this object masks the secrets.
   */
  get env(): EmulatorEnv {
    const env: EmulatorEnv = {
      AZURE_QUANTUM_CONNECTION_STRING: this.connectionString.reveal(),
      AZURE_QUANTUM_ARM_ENDPOINT: this.armEndpoint,
      AZURE_QUANTUM_EMULATOR_CA: this.caFile,
      IDENTITY_ENDPOINT: this.identityEndpoint,
      IDENTITY_HEADER: this.#identityHeader,
    };
    const show = () => masked(env);
    Object.defineProperty(env, NODE_INSPECT, { value: show, enumerable: false });
    Object.defineProperty(env, DENO_INSPECT, { value: () => inspect(show()), enumerable: false });
    Object.defineProperty(env, "toJSON", { value: show, enumerable: false });
    return env;
  }

  /** Stops the three listeners, removes the CA file, restores exported env vars. Idempotent. */
  stop(): Promise<void> {
    this.#running = false;
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  /** A card with endpoints, workspace and key fingerprints. */
  toMimeBundle(): MimeBundle {
    const keys = this.control.keys();
    return renderEmulatorCard({
      running: this.#running,
      endpoint: this.endpoint,
      armEndpoint: this.armEndpoint,
      identityEndpoint: this.identityEndpoint,
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
      endpoint: this.endpoint,
      armEndpoint: this.armEndpoint,
      identityEndpoint: this.identityEndpoint,
      host: this.host,
      workspace: this.workspace,
      connectionString: this.connectionString.toString(),
      keysEnabled: keys.enabled,
      caFile: this.caFile,
      caFingerprint: this.caFingerprint,
      env: masked(this.env),
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
 * Starts the emulator: three listeners on 127.0.0.1 (data plane and ARM over HTTPS with a fresh
 * CA, the managed-identity token endpoint over plain HTTP), over one dev workspace. Another
 * `host` (a wildcard address) makes them reachable from other machines, and adds a warning.
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
  try {
    const hostname = listen.host;
    servers.push(
      await serve(handlers.dataPlane, { port: options.port ?? 0, hostname, tls: serverTls }),
    );
    servers.push(
      await serve(handlers.arm, { port: options.armPort ?? 0, hostname, tls: serverTls }),
    );
    servers.push(await serve(handlers.identity, { port: options.identityPort ?? 0, hostname }));
  } catch (e) {
    await closeAll();
    throw e;
  }
  const [data, arm, identity] = servers as [RunningServer, RunningServer, RunningServer];
  Object.assign(handlers.context.urls, {
    dataPlane: `https://127.0.0.1:${data.port}/`,
    arm: `https://127.0.0.1:${arm.port}`,
    identity: `http://127.0.0.1:${identity.port}${IDENTITY_PATH}`,
  });
  if (writer && !state) writer.write(handlers.context.store.snapshot());
  const caDir = await mkdtemp(join(tmpdir(), "azure-quantum-emulator-"));
  const caFile = join(caDir, "ca.pem");
  await writeFile(caFile, tls.caCertificate, { mode: 0o644 });

  const saved = new Map<string, string | undefined>();
  let onAbort: (() => void) | undefined;
  const emulator: Emulator = new Emulator({
    endpoint: handlers.context.urls.dataPlane,
    armEndpoint: handlers.context.urls.arm,
    identityEndpoint: handlers.context.urls.identity,
    caCertificate: tls.caCertificate,
    caFile,
    caFingerprint: tls.caFingerprint,
    host: listen.host,
    warnings: listen.warnings,
    workspace: handlers.context.workspace,
    control: handlers.control,
    identityHeader: handlers.context.identityHeader,
    stop: async () => {
      if (onAbort) options.signal?.removeEventListener("abort", onAbort);
      for (const [name, value] of saved) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      await closeAll();
      await rm(caDir, { recursive: true, force: true });
      await writer?.flush();
    },
  });
  if (options.exportEnv) {
    for (const [name, value] of Object.entries(emulator.env)) {
      saved.set(name, process.env[name]);
      process.env[name] = value;
    }
  }
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
