import type { ConnectionInfo } from "../connection/connection_info.ts";
import { loadConnection, type LoadConnectionOptions } from "../connection/load_connection.ts";
import { parseQuantumEndpoint } from "../connection/quantum_endpoint.ts";
import { ArmClient } from "../keys/arm_client.ts";
import { resolveEmulatorCa } from "./environment_settings.ts";
import type { TargetFilter, TargetList } from "./target_list.ts";
import { type CallOptions, Workspace, type WorkspaceOptions } from "./workspace.ts";

/** Options of {@link connect}: where the connection comes from, transport, and the probe. */
export interface ConnectOptions extends LoadConnectionOptions, WorkspaceOptions, CallOptions {
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
  let info = loadConnection(options);
  if (!info.apiKey && info.sources.endpoint === "derived from location") {
    info = await endpointFromArm(info, options);
  }
  const ca = resolveEmulatorCa(info, options);
  const workspace = new Workspace(info, { ...options, ca });
  if (options.verify !== false) await workspace.probe({ signal: options.signal });
  lastWorkspace = workspace;
  return workspace;
}

// With Entra ID and no endpoint given, ask Resource Manager for the workspace's endpointUri, as
// the Python SDK does (the derived regional host is only a guess; the emulator has its own).
async function endpointFromArm(info: ConnectionInfo, options: ConnectOptions): Promise<ConnectionInfo> {
  const arm = new ArmClient(info, {
    credential: options.credential,
    armEndpoint: options.armEndpoint,
    armApiVersion: options.armApiVersion,
    fetch: options.armFetch,
    ca: options.ca,
    env: options.env,
    retry: options.retry,
    timeoutMs: options.timeoutMs,
  });
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
