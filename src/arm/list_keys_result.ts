import { Secret } from "../connection/secret.ts";
import type { ArmApiKey, ArmListKeysResult, KeySlot } from "./arm_types.ts";

/**
 * One access key from `listKeys`, its value held as a {@link Secret}.
 *
 * @example Usage
 * ```ts
 * import type { ListedKey } from "azure-quantum-notebook";
 * const label = (k: ListedKey) => `${k.slot} ${k.key.fingerprint}`;
 * ```
 */
export interface ListedKey {
  slot: KeySlot;
  key: Secret;
  /** When the key was made, if ARM says (real responses often omit it). */
  createdAt: Date | undefined;
}

/**
 * What `listKeys` returned, every secret wrapped: printing it (or `JSON.stringify`) shows only
 * masks and fingerprints.
 *
 * @example Usage
 * ```ts
 * import type { ListKeysResult } from "azure-quantum-notebook";
 * const fingerprints = (k: ListKeysResult) => [k.primary?.key.fingerprint, k.secondary?.key.fingerprint];
 * ```
 */
export interface ListKeysResult {
  /** `undefined` when ARM did not say. */
  apiKeyEnabled: boolean | undefined;
  primary: ListedKey | undefined;
  secondary: ListedKey | undefined;
  primaryConnectionString: Secret | undefined;
  secondaryConnectionString: Secret | undefined;
}

function listed(slot: KeySlot, raw: ArmApiKey | null | undefined): ListedKey | undefined {
  if (!raw || typeof raw.key !== "string" || raw.key === "") return undefined;
  const at = typeof raw.createdAt === "string" ? new Date(raw.createdAt) : undefined;
  return {
    slot,
    key: new Secret(raw.key),
    createdAt: at && !Number.isNaN(at.getTime()) ? at : undefined,
  };
}

function secret(value: string | null | undefined): Secret | undefined {
  return typeof value === "string" && value !== "" ? new Secret(value) : undefined;
}

/**
 * Wraps a `listKeys` body. Missing or null keys (possible while keys are disabled) give
 * `undefined`.
 *
 * @param body The parsed `ListKeysResult`.
 * @returns The wrapped keys.
 *
 * @example Usage
 * ```ts
 * import { listKeysResultFrom } from "./list_keys_result.ts";
 * const keys = listKeysResultFrom({ apiKeyEnabled: true, primaryKey: { key: "k" } });
 * keys.primary?.key.fingerprint; // "sha256:…"
 * ```
 */
export function listKeysResultFrom(body: ArmListKeysResult | undefined): ListKeysResult {
  return {
    apiKeyEnabled: typeof body?.apiKeyEnabled === "boolean" ? body.apiKeyEnabled : undefined,
    primary: listed("primary", body?.primaryKey),
    secondary: listed("secondary", body?.secondaryKey),
    primaryConnectionString: secret(body?.primaryConnectionString),
    secondaryConnectionString: secret(body?.secondaryConnectionString),
  };
}

/**
 * The slot whose key equals `key` (compared by value), or `undefined`.
 *
 * @example Usage
 * ```ts
 * import { Secret } from "../connection/secret.ts";
 * import { slotOf, listKeysResultFrom } from "./list_keys_result.ts";
 * slotOf(listKeysResultFrom({ secondaryKey: { key: "b" } }), new Secret("b")); // "secondary"
 * ```
 */
export function slotOf(keys: ListKeysResult, key: Secret | undefined): KeySlot | undefined {
  if (!key) return undefined;
  if (keys.primary?.key.equals(key)) return "primary";
  if (keys.secondary?.key.equals(key)) return "secondary";
  return undefined;
}

/**
 * The other slot.
 *
 * @example Usage
 * ```ts
 * import { otherSlot } from "./list_keys_result.ts";
 * otherSlot("primary"); // "secondary"
 * ```
 */
export function otherSlot(slot: KeySlot): KeySlot {
  return slot === "primary" ? "secondary" : "primary";
}
