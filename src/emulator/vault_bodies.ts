import type { StoredSecret, StoredSecretVersion } from "./vault_store.ts";
import { RECOVERABLE_DAYS, RECOVERY_LEVEL } from "./vault_store.ts";

/**
 * Key Vault's JSON bodies for secrets (`SecretBundle`, `SecretItem`, `DeletedSecretBundle`,
 * `DeletedSecretItem` of the Key Vault REST API): ids are `{vault}secrets/{name}[/{version}]`,
 * times are seconds since the epoch, absent optional fields are left out. `base` is the vault
 * URL with its trailing slash.
 *
 * @module
 */

function attributes(v: StoredSecretVersion): Record<string, unknown> {
  return {
    enabled: v.enabled,
    ...(v.nbf === undefined ? {} : { nbf: v.nbf }),
    ...(v.exp === undefined ? {} : { exp: v.exp }),
    created: v.created,
    updated: v.updated,
    recoveryLevel: RECOVERY_LEVEL,
    recoverableDays: RECOVERABLE_DAYS,
  };
}

function described(v: StoredSecretVersion): Record<string, unknown> {
  return {
    ...(v.contentType === undefined ? {} : { contentType: v.contentType }),
    attributes: attributes(v),
    ...(v.tags === undefined ? {} : { tags: { ...v.tags } }),
  };
}

/**
 * A `SecretBundle`: one version with its id; `value` only where Key Vault sends it (set, get).
 */
export function secretBundle(
  base: string,
  secret: StoredSecret,
  v: StoredSecretVersion,
  withValue: boolean,
): Record<string, unknown> {
  return {
    ...(withValue ? { value: v.value } : {}),
    id: `${base}secrets/${secret.name}/${v.version}`,
    ...described(v),
  };
}

/**
 * A `SecretItem` of a list: the secret's id without a version and its current version's
 * attributes (list secrets), or one version's id and attributes (list versions). Never a value.
 */
export function secretItem(
  base: string,
  secret: StoredSecret,
  v: StoredSecretVersion,
  withVersion: boolean,
): Record<string, unknown> {
  return {
    id: `${base}secrets/${secret.name}${withVersion ? `/${v.version}` : ""}`,
    ...described(v),
  };
}

function deletion(base: string, secret: StoredSecret): Record<string, unknown> {
  return {
    recoveryId: `${base}deletedsecrets/${secret.name}`,
    deletedDate: secret.deleted!.deletedDate,
    scheduledPurgeDate: secret.deleted!.scheduledPurgeDate,
  };
}

/**
 * A `DeletedSecretBundle` (delete, get deleted): the current version's id and attributes plus
 * `recoveryId`, `deletedDate` and `scheduledPurgeDate`; never a value.
 */
export function deletedSecretBundle(base: string, secret: StoredSecret): Record<string, unknown> {
  return {
    ...deletion(base, secret),
    ...secretBundle(base, secret, secret.versions.at(-1)!, false),
  };
}

/**
 * A `DeletedSecretItem` (list deleted): like a `SecretItem` plus the deletion fields.
 */
export function deletedSecretItem(base: string, secret: StoredSecret): Record<string, unknown> {
  return { ...deletion(base, secret), ...secretItem(base, secret, secret.versions.at(-1)!, false) };
}
