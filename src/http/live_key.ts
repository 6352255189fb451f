import type { Secret } from "../connection/secret.ts";
import { checkApiKey } from "../connection/validate_fields.ts";
import type { ApiKeyProvider } from "./api_key_policy.ts";

/**
 * The access key a workspace's data-plane pipeline sends, swappable in place: rotation swaps it,
 * and every `Workspace` (and request) made before keeps working with the new key.
 *
 * @example Usage
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * const stop = ws.liveKey?.onSwap((key) => console.log(`now sending ${key.fingerprint}`));
 * await ws.keys.rotate({ confirm: true }); // swaps it twice
 * stop?.();
 * ```
 */
export class LiveKey implements ApiKeyProvider {
  #key: Secret;
  #listeners = new Set<(key: Secret) => void>();

  /** Starts with `key`. */
  constructor(key: Secret) {
    this.#key = key;
  }

  /** The key the next request sends. */
  get key(): Secret {
    return this.#key;
  }

  /**
   * Sends `next` from the next request on; returns the key it replaced.
   *
   * @throws {ConnectionStringError} for a key that an HTTP header cannot carry (never shown).
   */
  swap(next: Secret): Secret {
    checkApiKey(next.reveal(), { prefix: "Cannot swap the access key", subject: "the new key" });
    const previous = this.#key;
    this.#key = next;
    for (const listener of this.#listeners) listener(next);
    return previous;
  }

  /** Calls `listener` after every swap; returns an unsubscribe function. */
  onSwap(listener: (key: Secret) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
