import { Secret } from "../connection/secret.ts";
import { isSendableKey } from "../connection/validate_fields.ts";
import { ArmError } from "../request_errors.ts";
import type { ArmApiKey, ArmListKeysResult, KeySlot } from "./arm_types.ts";

/** One access key from `listKeys`, its value held as a {@link Secret}. */
export interface ListedKey {
  slot: KeySlot;
  key: Secret;
  /** When the key was made, if ARM says (real responses often omit it). */
  createdAt: Date | undefined;
}

/**
 * What `listKeys` returned, every secret wrapped: printing it (or `JSON.stringify`) shows only
 * masks and fingerprints.
 */
export interface ListKeysResult {
  /** `undefined` when ARM did not say. */
  apiKeyEnabled: boolean | undefined;
  primary: ListedKey | undefined;
  secondary: ListedKey | undefined;
  primaryConnectionString: Secret | undefined;
  secondaryConnectionString: Secret | undefined;
}

function listed(slot: KeySlot, raw: ArmApiKey | null | undefined, workspace: string): ListedKey | undefined {
  if (!raw || typeof raw.key !== "string" || raw.key === "") return undefined;
  // A key a header cannot carry would fail later, in a transport message that may quote it.
  if (!isSendableKey(raw.key)) {
    throw new ArmError(
      "InvalidResponse",
      `Cannot list the access keys of workspace "${workspace}": Resource Manager sent a ${slot} key ` +
        "with whitespace, a control, invisible or non-ASCII character, which cannot be sent. " +
        `Regenerate that key (keys.regenerate("${slot}")) and try again`,
    );
  }
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
 * @param workspace The workspace's name, for the error message.
 * @returns The wrapped keys.
 * @throws {ArmError} `InvalidResponse` for a key that an HTTP header cannot carry (never shown).
 */
export function listKeysResultFrom(body: ArmListKeysResult | undefined, workspace = ""): ListKeysResult {
  return {
    apiKeyEnabled: typeof body?.apiKeyEnabled === "boolean" ? body.apiKeyEnabled : undefined,
    primary: listed("primary", body?.primaryKey, workspace),
    secondary: listed("secondary", body?.secondaryKey, workspace),
    primaryConnectionString: secret(body?.primaryConnectionString),
    secondaryConnectionString: secret(body?.secondaryConnectionString),
  };
}

/** The slot whose key equals `key` (compared by value), or `undefined`. */
export function slotOf(keys: ListKeysResult, key: Secret | undefined): KeySlot | undefined {
  if (!key) return undefined;
  if (keys.primary?.key.equals(key)) return "primary";
  if (keys.secondary?.key.equals(key)) return "secondary";
  return undefined;
}

/** The other slot. */
export function otherSlot(slot: KeySlot): KeySlot {
  return slot === "primary" ? "secondary" : "primary";
}
