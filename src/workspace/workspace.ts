import type { ClientOptions } from "../config/client_options.ts";
import { allOptions, optionsView } from "../config/options_view.ts";
import { resolveSettings, type Settings } from "../config/settings.ts";
import type { ConnectionInfo } from "../connection/connection_info.ts";
import type { DataPlaneClient } from "../data_plane/data_plane_client.ts";
import type { TargetFilter } from "../data_plane/provider_status.ts";
import { DisplayableBase, type MimeBundle } from "../displayable.ts";
import { LiveKey } from "../http/live_key.ts";
import { KeyManager } from "../keys/key_manager.ts";
import type { ProgressSink } from "../progress.ts";
import { renderWorkspaceCard } from "../render/workspace_card.ts";
import { QuotaList } from "./quota_list.ts";
import { TargetList } from "./target_list.ts";

/**
 * Transport, trust and auth settings of a {@link Workspace} (all optional), and where its progress
 * goes.
 *
 * @example Usage
 * ```ts
 * import { connect, type WorkspaceOptions } from "azure-quantum-notebook";
 * const options: WorkspaceOptions = { progress: false, timeoutMs: 10_000 };
 * const ws = await connect(options);
 * ```
 */
export interface WorkspaceOptions extends ClientOptions {
  /**
   * Progress of slow calls (retries, key rotation, waits for the data plane): `false` shows none,
   * a {@link ProgressSink} receives it. `connect()` shows it in the notebook by default; a
   * `Workspace` made with `new` shows it only when given a sink.
   */
  progress?: boolean | ProgressSink;
}

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call. */
  signal?: AbortSignal;
}

// The progress of retries, imported with the first call (importing the package stays cheap).
let retryProgressModule: Promise<typeof import("./retry_progress.ts")> | undefined;
const retryProgress = () => (retryProgressModule ??= import("./retry_progress.ts"));

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
export class Workspace extends DisplayableBase {
  /** The connection (the key only as a `Secret`). */
  readonly info: ConnectionInfo;
  /** "access key" or "Microsoft Entra ID" on the data plane. */
  readonly authMode: "access key" | "Microsoft Entra ID";
  /** The key the data plane sends, swapped in place by rotation (absent with Entra ID). */
  readonly liveKey: LiveKey | undefined;
  /**
   * Settings the workspace was made with, safe to print, spread, tabulate or serialize: without a
   * connection string or key given as an option (those live on in `info`, as a `Secret`), and
   * with `env` (the caller's environment, holding the connection string) and `credential` (which
   * may hold a client secret) readable by name only: not enumerable, shown as `[… not shown]`.
   * `new Workspace(info, ws.options)` gets them all; a spread (`{ ...ws.options }`) leaves those
   * two out: pass them by name.
   */
  readonly options: Readonly<WorkspaceOptions>;
  /** The configuration every client of this workspace uses (printing it shows no secret). */
  readonly settings: Settings;
  /** Where slow calls report progress; `undefined` shows none. */
  readonly progress: ProgressSink | undefined;
  /** Latency of the last probe in ms, if any. */
  probeMs: number | undefined;
  /** Providers seen by the last probe. */
  providerCount: number | undefined;
  /** What `connect()` set up for this workspace, shown on the card (e.g. that it started the emulator). */
  setup: string | undefined;
  #keys: KeyManager | undefined;
  #dataPlane: Promise<DataPlaneClient> | undefined;
  readonly #onClose: (() => Promise<void>)[] = [];
  #closing: Promise<void> | undefined;

  /**
   * A workspace for `info` (`connect()` makes one and probes it first).
   *
   * @param info The connection.
   * @param options Transport, trust, auth and progress.
   * @param settings The settings `connect()` resolved for `info` (default: resolved here, reading
   * only the connection's own `.env`).
   */
  constructor(info: ConnectionInfo, options: WorkspaceOptions = {}, settings?: Settings) {
    super();
    this.info = info;
    this.options = optionsView(options);
    this.settings = settings ?? resolveSettings({ ...allOptions(options), connection: info });
    this.progress = typeof options.progress === "object" ? options.progress : undefined;
    const entra = this.settings.useEntraId || !info.apiKey;
    this.authMode = entra ? "Microsoft Entra ID" : "access key";
    this.liveKey = entra ? undefined : new LiveKey(info.apiKey!);
    // Read now, so an unreadable CA file fails here as it always did; the client comes with the first call.
    void this.settings.dataPlaneCa;
  }

  /**
   * The data-plane client, made (and its code imported) on first use.
   *
   * @internal
   */
  dataPlane(): Promise<DataPlaneClient> {
    this.#dataPlane ??= import("../data_plane/data_plane_client.ts").then((m) =>
      m.DataPlaneClient.fromSettings(this.settings, this.liveKey)
    );
    return this.#dataPlane;
  }

  /** Access-key management through Azure Resource Manager (Microsoft Entra ID). */
  get keys(): KeyManager {
    this.#keys ??= new KeyManager(this);
    return this.#keys;
  }

  /** Calls `providerStatus` once (first page) and records its latency. */
  async probe(options: CallOptions = {}): Promise<number> {
    const [{ withRetryProgress }, dataPlane] = await Promise.all([retryProgress(), this.dataPlane()]);
    const started = performance.now();
    const page = await withRetryProgress(
      `Connecting to ${this.info.workspaceName}`,
      this.progress,
      (onRetry) => dataPlane.providerStatusPage(undefined, { signal: options.signal, onRetry, action: "connect" }),
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
    const [{ withRetryProgress }, dataPlane] = await Promise.all([retryProgress(), this.dataPlane()]);
    const { providers, pages } = await withRetryProgress(
      `Listing targets of ${this.info.workspaceName}`,
      this.progress,
      (onRetry) => dataPlane.listProviders({ signal: options.signal, onRetry }),
    );
    const list = new TargetList(providers, {
      workspaceName: this.info.workspaceName,
      fetchedAt: new Date(),
      pages,
    });
    return filter && Object.keys(filter).length ? list.filter(filter) : list;
  }

  /**
   * Every quota of the workspace (all pages of `…/quotas`), the ones nearest their limit first.
   * Always a `QuotaList`, which displays as a table with usage bars.
   */
  async quotas(options: CallOptions = {}): Promise<QuotaList> {
    const [{ withRetryProgress }, dataPlane] = await Promise.all([retryProgress(), this.dataPlane()]);
    const { quotas, pages } = await withRetryProgress(
      `Listing quotas of ${this.info.workspaceName}`,
      this.progress,
      (onRetry) => dataPlane.listQuotas({ signal: options.signal, onRetry }),
    );
    return new QuotaList(quotas, { workspaceName: this.info.workspaceName, fetchedAt: new Date(), pages });
  }

  /**
   * Runs `stop` when the workspace is closed (`connect()` registers the kernel's emulator here).
   *
   * @internal
   */
  onClose(stop: () => Promise<void>): void {
    this.#onClose.push(stop);
  }

  /**
   * Releases what `connect()` started for this workspace: with `emulator: "auto"`, the kernel's
   * emulator (stopped, and the environment variables it exported restored). Idempotent; a
   * workspace on Azure has nothing to release.
   */
  close(): Promise<void> {
    this.#closing ??= Promise.all(this.#onClose.map((stop) => stop())).then(() => undefined);
    return this.#closing;
  }

  /** `await using ws = await connect(…)` closes the workspace at the end of the block. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** The workspace card (its JSON, inspect and Jupyter display come from it: no key, a fingerprint). */
  toMimeBundle(): MimeBundle {
    return renderWorkspaceCard(this.info, {
      authMode: this.authMode,
      keyFingerprint: this.liveKey?.key.fingerprint,
      probeMs: this.probeMs,
      providerCount: this.providerCount,
      credentialSource: this.settings.credentialSource,
      setup: this.setup,
      armEndpoint: this.settings.armEndpointNote,
    });
  }
}
