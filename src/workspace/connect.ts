import { loadConnection, type LoadConnectionOptions } from "../connection/load_connection.ts";
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
  const info = loadConnection(options);
  const ca = resolveEmulatorCa(info, options);
  const workspace = new Workspace(info, { ...options, ca });
  if (options.verify !== false) await workspace.probe({ signal: options.signal });
  lastWorkspace = workspace;
  return workspace;
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
