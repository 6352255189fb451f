/**
 * The recorded Key Vault secret exchanges (`az keyvault secret …` against a real vault; source and
 * licence in recorded_exchange.ts): the 401 challenge a first request without a token gets, which
 * `@azure/keyvault-secrets` answers by fetching a token for the resource it names; setting a
 * secret (a new version); reading a version; listing a secret's versions. Bodies are our own
 * samples with the recorded field names, types and casing; `attributes.created` and `updated` are
 * Unix seconds.
 *
 * The recording is at api-version 7.4; this module's `SecretClient` sends 2025-07-01 (the SDK's
 * default), whose `SecretBundle` and `SecretItem` have the same fields for these answers.
 *
 * @module
 */
import { FIXTURE, type RecordedExchange, type Source } from "./recorded_exchange.ts";

const RECORDED_VERSION = "7.4";
const CLIENT_VERSION = "2025-07-01";
const KV: Omit<Source, "interaction"> = {
  repo: "Azure/azure-cli",
  path: "src/azure-cli/azure/cli/command_modules/keyvault/tests/latest/recordings/test_keyvault_secret.yaml",
  commit: "040d1995fc1a94d56877b1e78a7c900b88a88f3c",
};
/** Where the samples' ids point (the replaying fetch serves any vault origin). */
export const VAULT_URL = "https://fixture-vault.vault.azure.net/";

const attributes = {
  enabled: true,
  created: 1735689600,
  updated: 1735689600,
  recoveryLevel: "Recoverable+Purgeable",
  recoverableDays: 90,
};

/** A secret version as set and get return it (`value` is the secret). */
export function secretBundleSample(value: string, version: string = FIXTURE.secretVersion) {
  return {
    value,
    contentType: "text/plain",
    id: `${VAULT_URL}secrets/${FIXTURE.secretName}/${version}`,
    attributes,
    tags: { purpose: "fixture" },
  };
}

// Our own data: contentType and tags are the caller's (the recording had both with and without).
const BUNDLE_SHAPE = {
  optional: ["/contentType", "/tags", "/tags/*", "/attributes/recoverableDays"],
  exact: ["/attributes/enabled"],
};

/** The recorded Key Vault exchanges. */
export const VAULT_EXCHANGES: readonly RecordedExchange[] = [
  {
    id: "vault.challenge",
    source: { ...KV, interaction: "first PUT /secrets/secret1 of `keyvault secret set`, sent without a token (401 challenge)" },
    request: {
      listener: "vault",
      method: "PUT",
      path: "/secrets/{secret}",
      apiVersion: RECORDED_VERSION,
      clientApiVersion: CLIENT_VERSION,
      auth: "none",
    },
    response: {
      status: 401,
      present: ["www-authenticate"],
      body: { error: { code: "Unauthorized", message: "AKV10000: Request is missing a Bearer or PoP token." } },
    },
    shape: { exact: ["/error/code"] },
    clientUse:
      "SecretClient's first request to a vault gets it; the challenge names the tenant and resource its token must be for",
  },
  {
    id: "vault.secret.set",
    source: { ...KV, interaction: "PUT /secrets/secret1 with value, tags and contentType (a new version)" },
    request: {
      listener: "vault",
      method: "PUT",
      path: "/secrets/{secret}",
      apiVersion: RECORDED_VERSION,
      clientApiVersion: CLIENT_VERSION,
      auth: "bearer",
      body: { value: "fixture-secret-value", tags: { purpose: "fixture" }, contentType: "text/plain" },
    },
    response: { status: 200, body: secretBundleSample("fixture-secret-value") },
    shape: BUNDLE_SHAPE,
    clientUse: "keys.moveToKeyVault(), shareToKeyVault() and rotate()'s write-back store a connection string",
  },
  {
    id: "vault.secret.latest",
    source: { ...KV, interaction: "GET /secrets/secret1/ of `keyvault secret show` (the latest version: an empty version segment)" },
    request: {
      listener: "vault",
      method: "GET",
      path: "/secrets/{secret}/",
      apiVersion: RECORDED_VERSION,
      clientApiVersion: CLIENT_VERSION,
      auth: "bearer",
    },
    response: { status: 200, body: secretBundleSample("fixture-secret-value") },
    shape: BUNDLE_SHAPE,
    clientUse: "connect() resolves a Key Vault reference without a version (it follows the latest)",
  },
  {
    id: "vault.secret.get",
    source: { ...KV, interaction: "GET /secrets/secret1/ of `keyvault secret show` (a pinned version's GET answers the same bundle)" },
    request: {
      listener: "vault",
      method: "GET",
      path: "/secrets/{secret}/{version}",
      apiVersion: RECORDED_VERSION,
      clientApiVersion: CLIENT_VERSION,
      auth: "bearer",
    },
    response: { status: 200, body: secretBundleSample("fixture-secret-value") },
    shape: BUNDLE_SHAPE,
    clientUse: "a write is read back by its version to verify it; a reference pinned to a version reads it",
  },
  {
    id: "vault.secret.versions",
    source: { ...KV, interaction: "GET /secrets/secret1/versions of `keyvault secret list-versions` (one page)" },
    request: {
      listener: "vault",
      method: "GET",
      path: "/secrets/{secret}/versions",
      apiVersion: RECORDED_VERSION,
      auth: "bearer",
    },
    response: {
      status: 200,
      body: {
        value: [{
          contentType: "text/plain",
          id: `${VAULT_URL}secrets/${FIXTURE.secretName}/${FIXTURE.secretVersion}`,
          attributes,
          tags: { purpose: "fixture" },
        }],
        nextLink: null,
      },
    },
    shape: {
      optional: ["/value/*/contentType", "/value/*/tags", "/value/*/tags/*", "/value/*/attributes/recoverableDays"],
      exact: ["/nextLink"],
    },
    clientUse: "not sent (this module reads a version or the latest; it never lists versions)",
  },
];
