import { ArmClient } from "./arm/arm_client.ts";
import { keyVaultCacheGeneration } from "./config/key_vault_cache.ts";
import type { LoadConnectionOptions } from "./config/load_connection.ts";
import { type KeyVaultSourceOptions, resolveSettingsAsync } from "./config/load_connection_async.ts";
import type { Settings } from "./config/settings.ts";
import type { ConnectionInfo } from "./connection/connection_info.ts";
import { parseQuantumEndpoint } from "./connection/quantum_endpoint.ts";
import type { TargetFilter } from "./data_plane/provider_status.ts";
import { notebookProgress } from "./kernel/notebook_progress.ts";
import { isUnauthorizedError } from "./request_errors.ts";
import type { TargetList } from "./workspace/target_list.ts";
import { type CallOptions, Workspace, type WorkspaceOptions } from "./workspace/workspace.ts";

/**
 * Options of {@link connect}: where the connection comes from, transport, and the probe.
 *
 * @example Usage
 * ```ts
 * import { connect, type ConnectOptions } from "azure-quantum-notebook";
 * const options: ConnectOptions = { envFile: ".env", verify: false };
 * const ws = await connect(options);
 * ```
 */
export interface ConnectOptions
  extends LoadConnectionOptions, KeyVaultSourceOptions, WorkspaceOptions, CallOptions {
  /** Probe `providerStatus` once before returning. @default true */
  verify?: boolean;
}

let lastWorkspace: Workspace | undefined;

/**
 * Connects to an Azure Quantum workspace: loads the connection (options > environment > `.env`),
 * probes `providerStatus` once (unless `verify: false`), and returns a {@link Workspace} that
 * renders as a card. The key is never shown, only its fingerprint.
 *
 * Failures are typed: `ConnectionStringError` / `ConfigurationError` for bad or missing
 * configuration, `AuthenticationError` (401: key regenerated or access keys disabled),
 * `NotFoundError` (404), `NetworkError` (unreachable or untrusted endpoint).
 *
 * @example Connect with the connection string from `.env` or AZURE_QUANTUM_CONNECTION_STRING
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * ws; // the workspace card
 * ```
 */
export async function connect(options: ConnectOptions = {}): Promise<Workspace> {
  options.signal?.throwIfAborted();
  const generation = keyVaultCacheGeneration();
  let settings = await resolveSettingsAsync(options);
  const info = settings.connection;
  if (!info.apiKey && info.sources.endpoint === "derived from location") {
    settings = settings.withConnection(await endpointFromArm(settings, options));
  }
  // The notebook adapter is the default progress sink: the clients below never import it.
  const progress = options.progress === false || typeof options.progress === "object"
    ? options.progress
    : notebookProgress;
  const workspace = new Workspace(settings.connection, { ...options, progress }, settings);
  if (options.verify !== false) {
    try {
      await workspace.probe({ signal: options.signal });
    } catch (e) {
      // A key this process read from Key Vault earlier may have been rotated since: read again.
      const reused = settings.connection.keySource?.keyVault && keyVaultCacheGeneration() === generation;
      if (!reused || options.refresh || !isUnauthorizedError(e) || e.statusCode !== 401) throw e;
      return connect({ ...options, refresh: true });
    }
  }
  lastWorkspace = workspace;
  return workspace;
}

// With Entra ID and no endpoint given, ask Resource Manager for the workspace's endpointUri, as
// the Python SDK does (the derived regional host is only a guess; the emulator has its own).
async function endpointFromArm(settings: Settings, options: ConnectOptions): Promise<ConnectionInfo> {
  const info = settings.connection;
  const arm = new ArmClient(settings);
  const workspace = await arm.getWorkspace({ signal: options.signal });
  const uri = workspace.properties?.endpointUri;
  if (!uri) return info;
  const parsed = parseQuantumEndpoint(uri, { workspaceName: info.workspaceName, source: "Resource Manager endpointUri" });
  return {
    ...info,
    endpoint: parsed.endpoint,
    isEmulator: parsed.isEmulator,
    workspaceKind: workspace.properties?.workspaceKind === "V2" ? "V2" : parsed.workspaceKind,
    sources: { ...info.sources, endpoint: "Resource Manager (endpointUri)" },
  };
}

/**
 * Lists the targets of the last connected workspace, or connects first (with `options`).
 * Always a `TargetList`, every page followed.
 *
 * @example Usage
 * ```ts
 * import { listTargets } from "azure-quantum-notebook";
 * const ionq = await listTargets({ filter: { provider: "ionq" } });
 * ```
 */
export async function listTargets(
  options: ConnectOptions & { filter?: TargetFilter; workspace?: Workspace } = {},
): Promise<TargetList> {
  const workspace = options.workspace ?? lastWorkspace ?? await connect({ ...options, verify: false });
  return workspace.listTargets(options.filter ?? {}, { signal: options.signal });
}

/**
 * The workspace the last successful `connect()` returned, if any.
 *
 * @example Usage
 * ```ts
 * import { currentWorkspace } from "azure-quantum-notebook";
 * currentWorkspace()?.info.workspaceName;
 * ```
 */
export function currentWorkspace(): Workspace | undefined {
  return lastWorkspace;
}
