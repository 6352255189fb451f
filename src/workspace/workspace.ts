import type { TokenCredential } from "@azure/core-auth";
import type { ConnectionInfo } from "../connection/connection_info.ts";
import { DisplayableResult } from "../display/displayable_result.ts";
import type { MimeBundle } from "../display/mime_bundle.ts";
import { createHttpPipeline } from "../http/http_pipeline.ts";
import { defaultCredential } from "../identity/default_credential.ts";
import type { RetryOptions } from "../http/retry_strategy.ts";
import { KeyManager } from "../keys/key_manager.ts";
import { DataPlaneClient } from "./data_plane_client.ts";
import { LiveKey } from "./live_key.ts";
import { withRetryProgress } from "./retry_progress.ts";
import { type TargetFilter, TargetList } from "./target_list.ts";
import { renderWorkspaceCard } from "./workspace_card.ts";

const NODE_INSPECT = Symbol.for("nodejs.util.inspect.custom");
const DENO_INSPECT = Symbol.for("Deno.customInspect");

/** Transport and auth settings of a {@link Workspace} (all optional). */
export interface WorkspaceOptions {
  /**
   * Microsoft Entra credential. For the data plane it is used when the connection has no access
   * key (or `useEntraId` is set); for key management (ARM) always.
   * @default DefaultAzureCredential, imported on first use
   */
  credential?: TokenCredential;
  /** Use Entra ID on the data plane even when an access key is configured. */
  useEntraId?: boolean;
  /** PEM CA trusted for the emulator's endpoints only (default: the file named by `AZURE_QUANTUM_EMULATOR_CA`). */
  ca?: string;
  /** Data-plane requests go through this `fetch`-compatible function (tests). */
  fetch?: (request: Request) => Promise<Response>;
  /** Data-plane api-version. @default "2025-12-01-preview" */
  apiVersion?: string;
  /** Retry bounds for every request. */
  retry?: RetryOptions;
  /** Per-attempt timeout in ms. @default 30_000 */
  timeoutMs?: number;
  /** Show progress in a notebook while a call waits for retries. @default true */
  progress?: boolean;
  /** ARM endpoint for key management. @default AZURE_QUANTUM_ARM_ENDPOINT or https://management.azure.com */
  armEndpoint?: string;
  /** ARM requests go through this `fetch`-compatible function (tests). */
  armFetch?: (request: Request) => Promise<Response>;
  /** Token scope for ARM. @default "https://management.azure.com/.default" */
  armScope?: string;
  /** ARM api-version. @default "2025-12-15-preview" */
  armApiVersion?: string;
  /** Environment the key manager reads and updates on rotation. @default the process environment */
  env?: Record<string, string | undefined>;
}

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * A connected Azure Quantum workspace: its connection (key masked), data-plane client, targets,
 * and `keys` for access-key management. Made by `connect()`. Renders as a card.
 *
 * @example Usage
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * const targets = await ws.listTargets({ availability: "Available" });
 * ```
 */
export class Workspace extends DisplayableResult {
  /** The connection (the key only as a `Secret`). */
  readonly info: ConnectionInfo;
  /** "access key" or "Microsoft Entra ID" on the data plane. */
  readonly authMode: "access key" | "Microsoft Entra ID";
  /** The key the data plane sends, swapped in place by rotation (absent with Entra ID). */
  readonly liveKey: LiveKey | undefined;
  /** The data-plane client. */
  readonly dataPlane: DataPlaneClient;
  /**
   * Settings the workspace was made with (key management reuses them), without a connection
   * string or key given as an option (those live on in `info`, as a `Secret`). Printing them
   * (inspect, JSON) does not show `env`, which holds the connection string.
   */
  readonly options: Readonly<WorkspaceOptions>;
  /** Latency of the last probe in ms, if any. */
  probeMs: number | undefined;
  /** Providers seen by the last probe. */
  providerCount: number | undefined;
  #keys: KeyManager | undefined;

  constructor(info: ConnectionInfo, options: WorkspaceOptions = {}) {
    super();
    this.info = info;
    this.options = keptOptions(options);
    const entra = options.useEntraId || !info.apiKey;
    this.authMode = entra ? "Microsoft Entra ID" : "access key";
    this.liveKey = entra ? undefined : new LiveKey(info.apiKey!);
    const http = createHttpPipeline({
      ca: info.isEmulator ? options.ca : undefined,
      fetch: options.fetch,
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      apiKey: this.liveKey,
      credential: entra ? lazyCredential(options.credential) : undefined,
      scopes: entra ? "https://quantum.microsoft.com/.default" : undefined,
    });
    this.dataPlane = new DataPlaneClient(info, http, options.apiVersion);
  }

  /** Access-key management through Azure Resource Manager (Microsoft Entra ID). */
  get keys(): KeyManager {
    this.#keys ??= new KeyManager(this);
    return this.#keys;
  }

  /** Calls `providerStatus` once (first page) and records its latency. */
  async probe(options: CallOptions = {}): Promise<number> {
    const started = performance.now();
    const page = await withRetryProgress(
      `Connecting to ${this.info.workspaceName}`,
      this.options.progress,
      (onRetry) => this.dataPlane.providerStatusPage(undefined, { signal: options.signal, onRetry, action: "connect" }),
    );
    this.probeMs = performance.now() - started;
    this.providerCount = page.value.length;
    return this.probeMs;
  }

  /**
   * Every target of the workspace, all pages followed, optionally filtered by provider id, target
   * id (case-insensitive) and availability. Always a `TargetList`.
   */
  async listTargets(filter: TargetFilter = {}, options: CallOptions = {}): Promise<TargetList> {
    const { providers, pages } = await withRetryProgress(
      `Listing targets of ${this.info.workspaceName}`,
      this.options.progress,
      (onRetry) => this.dataPlane.listProviders({ signal: options.signal, onRetry }),
    );
    const list = new TargetList(providers, {
      workspaceName: this.info.workspaceName,
      fetchedAt: new Date(),
      pages,
    });
    return filter && Object.keys(filter).length ? list.filter(filter) : list;
  }

  /** The workspace card (its JSON, inspect and Jupyter display come from it: no key, a fingerprint). */
  toMimeBundle(): MimeBundle {
    return renderWorkspaceCard(this.info, {
      authMode: this.authMode,
      keyFingerprint: this.liveKey?.key.fingerprint,
      probeMs: this.probeMs,
      providerCount: this.providerCount,
    });
  }
}

// `connect(options)` passes its options on, `connectionString` and `apiKey` included: drop those,
// and mask `env` (the caller's environment, holding the connection string) when printed.
function keptOptions(options: WorkspaceOptions): Readonly<WorkspaceOptions> {
  const { connectionString: _cs, apiKey: _key, ...kept } = options as WorkspaceOptions & {
    connectionString?: unknown;
    apiKey?: unknown;
  };
  const shown = () => ({
    ...kept,
    ...(kept.env ? { env: `[${Object.keys(kept.env).length} variables, not shown]` } : {}),
  });
  Object.defineProperties(kept, {
    toJSON: { value: shown },
    [NODE_INSPECT]: {
      value: (_depth: number, opts: object, inspect: (v: unknown, o: object) => string) =>
        inspect(shown(), opts),
    },
    [DENO_INSPECT]: {
      value: (inspect: (v: unknown, o: unknown) => string, opts: unknown) => inspect(shown(), opts),
    },
  });
  return kept;
}

// DefaultAzureCredential is imported only when a token is first needed.
function lazyCredential(explicit: TokenCredential | undefined): TokenCredential {
  if (explicit) return explicit;
  return {
    async getToken(scopes, options) {
      return (await defaultCredential()).getToken(scopes, options);
    },
  };
}
