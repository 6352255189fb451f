/**
 * A running emulator, as `startEmulator()` returns it: its endpoints, the variables a client
 * needs (secrets as `Secret`s), its control API, its card, and `stop()`.
 *
 * @module
 */

import { Secret } from "../connection/secret.ts";
import { DENO_INSPECT, DisplayableBase, type MimeBundle, NODE_INSPECT } from "../displayable.ts";
import { renderEmulatorCard } from "../render/emulator_card.ts";
import { emulatorConnectionString } from "./arm_keys.ts";
import type { WorkspaceIds } from "./context.ts";
import type { EmulatorControl } from "./control.ts";
import { LOOPBACK } from "./listen_address.ts";

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

  /** @internal Use `startEmulator()`. */
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
