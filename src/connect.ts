import type { LoadConnectionOptions } from "./config/load_connection.ts";
import type { KeyVaultSourceOptions } from "./config/load_connection_async.ts";
import type { TargetFilter } from "./data_plane/provider_status.ts";
import type { SignInOptions } from "./sign_in.ts";
import type { QuotaList } from "./workspace/quota_list.ts";
import type { TargetList } from "./workspace/target_list.ts";
import type { CallOptions, Workspace, WorkspaceOptions } from "./workspace/workspace.ts";

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
  /**
   * `"auto"`: when no connection is configured (no option, environment variable or `.env`), start
   * this process's local emulator (or reuse the running one), export its variables into
   * `process.env` (`AZURE_QUANTUM_CONNECTION_STRING`, the ARM endpoint, the CA file and the
   * managed-identity endpoint; its `stop()` restores them), and connect to it. With a connection
   * configured it does nothing. `ws.close()` stops the emulator. `AZURE_QUANTUM_EMULATOR_STATE`
   * names a state file for it. @default no emulator
   */
  emulator?: "auto" | false;
  /**
   * Sign in from the notebook with a device code (a card shows the code and the page; see
   * {@link signIn}): `"device-code"` always; `"auto"` only when the credential finds no sign-in
   * (`DefaultAzureCredential` without `az login`, a managed identity or credential variables);
   * or the options of `signIn()` (tenant, authority). With a `credential` given, only `"auto"`
   * applies (when that credential finds no sign-in).
   * @default no sign-in: DefaultAzureCredential
   */
  signIn?: "device-code" | "auto" | SignInOptions;
}

let lastWorkspace: Workspace | undefined;

/**
 * Connects to an Azure Quantum workspace: loads the connection (options > environment > `.env`),
 * probes `providerStatus` once (unless `verify: false`), and returns a {@link Workspace} that
 * renders as a card. The key is never shown, only its fingerprint.
 *
 * Failures are typed: `ConnectionStringError` / `ConfigurationError` for bad or missing
 * configuration, `UnauthorizedError` (401: key regenerated or access keys disabled),
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
  // What connecting needs (the Key Vault reader, Resource Manager, the sign-in, the emulator) is
  // imported on first call, so importing the package stays cheap (bench/ row 1).
  const { openWorkspace } = await import("./open_workspace.ts");
  const workspace = await openWorkspace(options);
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
 * The quotas of the last connected workspace, or connects first (with `options`). Always a
 * `QuotaList`, every page followed, the ones nearest their limit first.
 *
 * @example Usage
 * ```ts
 * import { display, quotas } from "azure-quantum-notebook";
 * await display(await quotas());
 * ```
 */
export async function quotas(options: ConnectOptions & { workspace?: Workspace } = {}): Promise<QuotaList> {
  const workspace = options.workspace ?? lastWorkspace ?? await connect({ ...options, verify: false });
  return workspace.quotas({ signal: options.signal });
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
