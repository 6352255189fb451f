import { readFile } from "node:fs/promises";
import { ConfigurationError } from "../errors.ts";
import { writePrivateFile } from "../config/private_file.ts";
import { parsePersistentRbac } from "./rbac_state.ts";
import type { PersistedKey, PersistentState } from "./store.ts";
import { isVaultState } from "./vault_store.ts";

const isKey = (k: unknown): k is PersistedKey =>
  typeof (k as PersistedKey | null)?.key === "string" && (k as PersistedKey).key.length > 0 &&
  typeof (k as PersistedKey).createdAt === "string";

/**
 * Reads an emulator state file (keys, `apiKeyEnabled`, tags and, when present, RBAC).
 *
 * @param path The state file.
 * @returns The state, or `undefined` when the file does not exist yet.
 * @throws {ConfigurationError} `EmulatorStateInvalid` when the file is not a state file.
 */
export async function loadState(path: string): Promise<PersistentState | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") return undefined;
    throw new ConfigurationError(
      "EmulatorStateInvalid",
      `Cannot read emulator state file "${path}": ${(e as Error).message}. Check its permissions`,
    );
  }
  let state: PersistentState | undefined;
  try {
    state = JSON.parse(text);
  } catch {
    state = undefined;
  }
  const valid = state?.version === 1 && isKey(state.keys?.primary) &&
    isKey(state.keys?.secondary) &&
    typeof state.apiKeyEnabled === "boolean" && typeof state.tags === "object" &&
    state.tags !== null && (state.vault === undefined || isVaultState(state.vault)) &&
    (state.rbac === undefined || parsePersistentRbac(state.rbac) !== undefined);
  if (!valid) {
    throw new ConfigurationError(
      "EmulatorStateInvalid",
      `Cannot load emulator state file "${path}": it is not a version 1 emulator state. Delete it to start with fresh keys`,
    );
  }
  return state;
}

/**
 * Writes state changes to a file, one at a time and in order (each write is atomic, mode 0600).
 */
export class StateWriter {
  readonly path: string;
  #chain: Promise<void> = Promise.resolve();
  #error: unknown;

  constructor(path: string) {
    this.path = path;
  }

  /** Queues a write of `state`. */
  write(state: PersistentState): void {
    const text = JSON.stringify(state, null, 2) + "\n";
    this.#chain = this.#chain.then(() => writePrivateFile(this.path, text)).then(() => {}, (e) => {
      this.#error = e;
    });
  }

  /** Waits for queued writes; throws the first write error, if any. */
  async flush(): Promise<void> {
    await this.#chain;
    if (this.#error) {
      const e = this.#error;
      this.#error = undefined;
      throw new ConfigurationError(
        "EmulatorStateInvalid",
        `Cannot write emulator state file "${this.path}": ${(e as Error).message}`,
        { cause: e },
      );
    }
  }
}
