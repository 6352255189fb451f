/**
 * What a `KeyManager` works with: its host (the workspace, whose settings, live key and
 * progress sink it uses; `keys/` never imports `workspace/`), and the options of the manager and
 * of its calls.
 *
 * @module
 */

import type { Settings } from "../config/settings.ts";
import type { ConnectionInfo } from "../connection/connection_info.ts";
import type { LiveKey } from "../http/live_key.ts";
import type { ProgressSink } from "../progress.ts";

/**
 * What the key manager needs from its workspace (a `Workspace` is one): the settings, the key the
 * data plane sends, and where progress goes.
 *
 * @example Usage
 * ```ts
 * import { connect, type KeyHost } from "azure-quantum-notebook";
 * const host: KeyHost = await connect();
 * ```
 */
export interface KeyHost {
  /** The connection (the same as `settings.connection`). */
  readonly info: ConnectionInfo;
  /** The settings its clients use. */
  readonly settings: Settings;
  /** The key every data-plane request sends; rotation swaps it (absent with Entra ID). */
  readonly liveKey: LiveKey | undefined;
  /** Where slow operations report progress; `undefined` shows none. */
  readonly progress: ProgressSink | undefined;
}

/**
 * Options of a `KeyManager`.
 *
 * @example Usage
 * ```ts
 * import type { KeyManagerOptions } from "azure-quantum-notebook";
 * const options: KeyManagerOptions = { now: Date.now };
 * ```
 */
export interface KeyManagerOptions {
  /** Clock. @default Date.now */
  now?: () => number;
}

/**
 * Options every key call takes.
 *
 * @example A time limit
 * ```ts
 * import { connect, type KeyCallOptions } from "azure-quantum-notebook";
 * const options: KeyCallOptions = { signal: AbortSignal.timeout(60_000) };
 * const ws = await connect();
 * await ws.keys.status(options);
 * ```
 */
export interface KeyCallOptions {
  /** Aborts the call. */
  signal?: AbortSignal;
}
