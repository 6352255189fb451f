import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { Secret } from "../connection/secret.ts";
import type { PersistentRbac } from "./rbac_state.ts";
import {
  type EmulatorProvider,
  type EmulatorQuota,
  sampleProviders,
  sampleQuotas,
} from "./sample_providers.ts";
import type { VaultState } from "./vault_store.ts";

/** The two access keys of a workspace. */
export type KeyName = "primary" | "secondary";

/** An access key as a state file holds it, and when it was made (ISO 8601). */
export interface PersistedKey {
  /** The key. */
  key: string;
  /** When it was made (ISO 8601). */
  createdAt: string;
}

/** An access key in memory: a `Secret`, so no dump of the store shows it. */
export interface StoredKey {
  /** The key, masked when printed. */
  key: Secret;
  /** When it was made (ISO 8601). */
  createdAt: string;
}

/** What survives a restart when the emulator has a state file. */
export interface PersistentState {
  /** The state file format. */
  version: 1;
  /** Both keys. */
  keys: Record<KeyName, PersistedKey>;
  /** Whether access keys are enabled. */
  apiKeyEnabled: boolean;
  /** The workspace's tags. */
  tags: Record<string, string>;
  /** The emulated vault's secrets (absent in files written before the vault existed). */
  vault?: VaultState;
  /** Principals, role assignments and the data-plane rule; absent in files of older versions. */
  rbac?: PersistentRbac;
}

/** A change a PUT asked for, applied when its long-running operation succeeds. */
export interface WorkspaceChange {
  apiKeyEnabled?: boolean;
  tags?: Record<string, string>;
}

/** An ARM long-running operation (the target of `Azure-AsyncOperation`). */
export interface Operation {
  /** `{uuid}*{hex}`, like Azure's operation ids. */
  id: string;
  startTime: number;
  completesAt: number;
  change: WorkspaceChange;
  applied: boolean;
  /** Principal id of the caller that started it (ARM's `systemData.lastModifiedBy`). */
  by?: string;
}

/** Timing knobs, all changeable at runtime. */
export interface Knobs {
  /** Delay before an enable/disable reaches the data plane. @default 0 */
  keyPropagationDelayMs: number;
  /** Delay before a new role assignment counts on the data plane (Azure: minutes). @default 0 */
  rolePropagationDelayMs: number;
  /** How long a PUT's operation stays `Accepted`. @default 0 */
  lroDurationMs: number;
  /** `Retry-After` (seconds) of a PUT's 201; `undefined` sends none, as Azure's recorded 201 has none. */
  lroRetryAfterSeconds: number | undefined;
  /** Added to every response. @default 0 */
  latencyMs: number;
}

/** Options of {@link EmulatorStore}. */
export interface StoreOptions {
  state?: PersistentState;
  providers?: EmulatorProvider[];
  quotas?: EmulatorQuota[];
  pageSize?: number;
  knobs?: Partial<Knobs>;
  onChange?: (state: PersistentState) => void;
}

/**
 * A fresh random access key: 64 random bytes in base64url, 86 characters like Azure's.
 */
export function newAccessKey(): string {
  return randomBytes(64).toString("base64url");
}

const stored = (k: PersistedKey): StoredKey => ({ key: new Secret(k.key), createdAt: k.createdAt });
const persisted = (k: StoredKey): PersistedKey => ({ key: k.key.reveal(), createdAt: k.createdAt });

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

/**
 * The emulated workspace's mutable state: keys, the ARM view of `apiKeyEnabled` and the data
 * plane's (possibly lagging) view of it, tags, providers, pending operations and knobs. Time is
 * passed in, never read, so the store is deterministic; {@link EmulatorStore.settle} applies
 * operations whose time has come.
 */
export class EmulatorStore {
  keys: Record<KeyName, StoredKey>;
  apiKeyEnabled: boolean;
  tags: Record<string, string>;
  providers: EmulatorProvider[];
  quotas: EmulatorQuota[];
  pageSize: number | undefined;
  readonly knobs: Knobs;
  readonly operations: Map<string, Operation> = new Map();
  /** ARM's `systemData`: when the workspace was made and who changed it last (principal id, if known). */
  readonly created: { at: number };
  modified: { at: number; by?: string };
  /** The data plane's view: each enable/disable and when it takes effect there. */
  #keyStates: { enabled: boolean; effectiveAt: number }[];
  readonly #onChange: ((state: PersistentState) => void) | undefined;

  constructor(options: StoreOptions, now: number) {
    const created = new Date(now).toISOString();
    const kept = options.state?.keys;
    this.keys = {
      primary: stored(kept?.primary ?? { key: newAccessKey(), createdAt: created }),
      secondary: stored(kept?.secondary ?? { key: newAccessKey(), createdAt: created }),
    };
    this.created = { at: now };
    this.modified = { at: now };
    this.apiKeyEnabled = options.state?.apiKeyEnabled ?? true;
    this.tags = options.state ? { ...options.state.tags } : { environment: "emulator" };
    this.providers = options.providers ?? sampleProviders();
    this.quotas = options.quotas ?? sampleQuotas();
    this.pageSize = options.pageSize;
    this.knobs = {
      keyPropagationDelayMs: 0,
      rolePropagationDelayMs: 0,
      lroDurationMs: 0,
      lroRetryAfterSeconds: undefined,
      latencyMs: 0,
      ...options.knobs,
    };
    this.#keyStates = [{ enabled: this.apiKeyEnabled, effectiveAt: 0 }];
    this.#onChange = options.onChange;
  }

  /** What a state file holds. */
  snapshot(): PersistentState {
    return {
      version: 1,
      keys: { primary: persisted(this.keys.primary), secondary: persisted(this.keys.secondary) },
      apiKeyEnabled: this.apiKeyEnabled,
      tags: { ...this.tags },
    };
  }

  #changed(): void {
    this.#onChange?.(this.snapshot());
  }

  /** Applies every operation whose completion time has passed. */
  settle(now: number): void {
    for (const op of this.operations.values()) {
      if (!op.applied && op.completesAt <= now) {
        op.applied = true;
        this.apply(op.change, op.completesAt, op.by);
      }
    }
  }

  /** True while an operation has not completed. */
  hasPendingOperation(): boolean {
    return [...this.operations.values()].some((op) => !op.applied);
  }

  /**
   * Applies a change now (ARM view) and schedules it on the data plane after the delay. `by` is the
   * caller's principal id (for `systemData`); the control API passes none.
   */
  apply(change: WorkspaceChange, at: number, by?: string): void {
    this.modified = { at, by };
    if (change.tags) this.tags = { ...change.tags };
    if (change.apiKeyEnabled !== undefined && change.apiKeyEnabled !== this.apiKeyEnabled) {
      this.apiKeyEnabled = change.apiKeyEnabled;
      this.#keyStates.push({
        enabled: change.apiKeyEnabled,
        effectiveAt: at + this.knobs.keyPropagationDelayMs,
      });
    }
    this.#changed();
  }

  /** Starts a long-running operation for `change`, on behalf of principal `by`. */
  startOperation(change: WorkspaceChange, now: number, by?: string): Operation {
    const id = `${randomUUID()}*${randomBytes(32).toString("hex").toUpperCase()}`;
    const op: Operation = {
      id,
      startTime: now,
      completesAt: now + this.knobs.lroDurationMs,
      change,
      applied: false,
      by,
    };
    this.operations.set(id, op);
    this.settle(now);
    return op;
  }

  /** Whether the data plane currently honours access keys. */
  dataPlaneKeysEnabled(now: number): boolean {
    let enabled = this.#keyStates[0]!.enabled;
    for (const s of this.#keyStates) if (s.effectiveAt <= now) enabled = s.enabled;
    return enabled;
  }

  /** True when `key` is the current primary or secondary key and keys are enabled on the data plane. */
  acceptsKey(key: string, now: number): boolean {
    if (!this.dataPlaneKeysEnabled(now)) return false;
    const given = digest(key);
    let ok = false;
    for (const k of [this.keys.primary, this.keys.secondary]) {
      if (timingSafeEqual(given, digest(k.key.reveal()))) ok = true;
    }
    return ok;
  }

  /** Replaces the named keys; the old ones stop working at once. */
  regenerate(names: readonly KeyName[], now: number): void {
    for (const name of names) {
      this.keys[name] = { key: new Secret(newAccessKey()), createdAt: new Date(now).toISOString() };
    }
    this.#changed();
  }
}
