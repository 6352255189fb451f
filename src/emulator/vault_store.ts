import { randomBytes } from "node:crypto";
import { SECRET_NAME } from "./vault_constants.ts";

/** One version of a secret. Times are seconds since the epoch, as Key Vault sends them. */
export interface StoredSecretVersion {
  /** 32 lowercase hex digits, like Key Vault's. */
  version: string;
  /** The value (in clear: this is what the state file holds). */
  value: string;
  /** Content type, free text. */
  contentType?: string;
  /** Tags of this version. */
  tags?: Record<string, string>;
  /** Whether the version can be read. */
  enabled: boolean;
  /** Not-before: stored and returned, not enforced (Key Vault does not enforce it either). */
  nbf?: number;
  /** Expiry: stored and returned, not enforced (Key Vault does not enforce it either). */
  exp?: number;
  /** When the version was created. */
  created: number;
  /** When the version was last changed. */
  updated: number;
}

/** A secret: its name (as first created) and versions, oldest first; `deleted` once soft-deleted. */
export interface StoredSecret {
  /** The name, in the case it was first created with. */
  name: string;
  /** Every version, oldest first. */
  versions: StoredSecretVersion[];
  /** When it was soft-deleted and when it will be purged; absent while it is live. */
  deleted?: { deletedDate: number; scheduledPurgeDate: number };
}

/** What a state file holds for the vault (secret values included: the file is 0600). */
export interface VaultState {
  /** Every secret, live or soft-deleted. */
  secrets: StoredSecret[];
}

/** What a PUT may set on the new version. */
export interface NewSecretVersion {
  /** The value. */
  value: string;
  /** Content type, free text. */
  contentType?: string;
  /** Tags of the new version. */
  tags?: Record<string, string>;
  /** Whether the version can be read. @default true */
  enabled?: boolean;
  /** Not-before, seconds since the epoch (not enforced). */
  nbf?: number;
  /** Expiry, seconds since the epoch (not enforced). */
  exp?: number;
}

/** Days a soft-deleted secret stays recoverable (Key Vault's default retention). */
export const RECOVERABLE_DAYS = 90;
/** `attributes.recoveryLevel` of a vault with soft delete and without purge protection. */
export const RECOVERY_LEVEL = "Recoverable+Purgeable";

const isStr = (v: unknown): v is string => typeof v === "string";
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isTags = (v: unknown) =>
  v === undefined ||
  (typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every(isStr));

function isVersion(v: unknown): v is StoredSecretVersion {
  const x = v as StoredSecretVersion | null;
  return typeof x === "object" && x !== null && /^[0-9a-f]{32}$/.test(String(x.version)) &&
    isStr(x.value) && typeof x.enabled === "boolean" && isNum(x.created) && isNum(x.updated) &&
    (x.contentType === undefined || isStr(x.contentType)) && isTags(x.tags) &&
    (x.nbf === undefined || isNum(x.nbf)) && (x.exp === undefined || isNum(x.exp));
}

/**
 * Whether `value` is a {@link VaultState} (what `loadState` accepts under `vault`).
 */
export function isVaultState(value: unknown): value is VaultState {
  const secrets = (value as VaultState | null)?.secrets;
  return Array.isArray(secrets) &&
    secrets.every((s: StoredSecret) =>
      typeof s === "object" && s !== null && SECRET_NAME.test(String(s.name)) &&
      Array.isArray(s.versions) && s.versions.length > 0 && s.versions.every(isVersion) &&
      (s.deleted === undefined ||
        (isNum(s.deleted?.deletedDate) && isNum(s.deleted?.scheduledPurgeDate)))
    );
}

/**
 * The emulated vault's secrets: names are case-insensitive (the case of the first creation is
 * kept), every PUT adds a version, a delete is soft (the name stays taken until purged or 90
 * days have passed). Time is passed in, never read.
 */
export class VaultStore {
  readonly #secrets = new Map<string, StoredSecret>();
  readonly #onChange: (() => void) | undefined;

  constructor(state?: VaultState, onChange?: () => void) {
    for (const s of structuredClone(state?.secrets ?? [])) {
      this.#secrets.set(s.name.toLowerCase(), s);
    }
    this.#onChange = onChange;
  }

  /** What a state file holds. */
  snapshot(): VaultState {
    return { secrets: structuredClone([...this.#secrets.values()]) };
  }

  /** Purges soft-deleted secrets whose scheduled purge date has passed. */
  settle(now: number): void {
    let changed = false;
    for (const [key, s] of this.#secrets) {
      if (s.deleted && s.deleted.scheduledPurgeDate <= now) {
        this.#secrets.delete(key);
        changed = true;
      }
    }
    if (changed) this.#onChange?.();
  }

  /** The secret named `name` (any case), unless it is deleted or absent. */
  secret(name: string): StoredSecret | undefined {
    const s = this.#secrets.get(name.toLowerCase());
    return s && !s.deleted ? s : undefined;
  }

  /** The soft-deleted secret named `name`, if any. */
  deletedSecret(name: string): StoredSecret | undefined {
    const s = this.#secrets.get(name.toLowerCase());
    return s?.deleted ? s : undefined;
  }

  /** The current (newest) version of a live secret. */
  latest(name: string): StoredSecretVersion | undefined {
    return this.secret(name)?.versions.at(-1);
  }

  /** A version of a live secret (version ids compared case-insensitively). */
  version(name: string, version: string): StoredSecretVersion | undefined {
    const v = version.toLowerCase();
    return this.secret(name)?.versions.find((x) => x.version === v);
  }

  /** Live secrets, by name (case-insensitive order). */
  secrets(): StoredSecret[] {
    return this.#sorted().filter((s) => !s.deleted);
  }

  /** Soft-deleted secrets, by name. */
  deletedSecrets(): StoredSecret[] {
    return this.#sorted().filter((s) => s.deleted);
  }

  /**
   * Adds a version (creating the secret if needed).
   *
   * @returns The secret and its new version, or `"deleted"` when the name belongs to a
   *   soft-deleted secret (Key Vault answers 409).
   */
  set(
    name: string,
    input: NewSecretVersion,
    now: number,
  ): { secret: StoredSecret; version: StoredSecretVersion } | "deleted" {
    const key = name.toLowerCase();
    const existing = this.#secrets.get(key);
    if (existing?.deleted) return "deleted";
    const version: StoredSecretVersion = {
      version: randomBytes(16).toString("hex"),
      value: input.value,
      enabled: input.enabled ?? true,
      created: now,
      updated: now,
      ...(input.contentType === undefined ? {} : { contentType: input.contentType }),
      ...(input.tags === undefined ? {} : { tags: { ...input.tags } }),
      ...(input.nbf === undefined ? {} : { nbf: input.nbf }),
      ...(input.exp === undefined ? {} : { exp: input.exp }),
    };
    const secret = existing ?? { name, versions: [] };
    secret.versions.push(version);
    this.#secrets.set(key, secret);
    this.#onChange?.();
    return { secret, version };
  }

  /** Soft-deletes a live secret; `undefined` when there is none. */
  delete(name: string, now: number): StoredSecret | undefined {
    const secret = this.secret(name);
    if (!secret) return undefined;
    secret.deleted = { deletedDate: now, scheduledPurgeDate: now + RECOVERABLE_DAYS * 86_400 };
    this.#onChange?.();
    return secret;
  }

  /** Removes a soft-deleted secret for good; false when there is none. */
  purge(name: string): boolean {
    if (!this.deletedSecret(name)) return false;
    this.#secrets.delete(name.toLowerCase());
    this.#onChange?.();
    return true;
  }

  /** Makes a soft-deleted secret live again; `undefined` when there is none. */
  recover(name: string): StoredSecret | undefined {
    const secret = this.deletedSecret(name);
    if (!secret) return undefined;
    delete secret.deleted;
    this.#onChange?.();
    return secret;
  }

  #sorted(): StoredSecret[] {
    return [...this.#secrets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, s]) => s);
  }
}
