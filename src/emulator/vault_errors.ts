/**
 * Key Vault's error responses: `{"error":{"code","message","innererror"?}}`, in Key Vault's
 * wording where it is known (messages seen in Azure SDK issues and service traces:
 * `AKV10000`/`AKV10022` 401s, `SecretNotFound`, `ForbiddenByRbac`,
 * `ObjectIsDeletedButRecoverable`). Every 401 carries the challenge that
 * `@azure/keyvault-common`'s authentication policy answers. No message holds a secret value or
 * a token (audiences and caller ids are not secrets).
 *
 * @module
 */
import { EMULATOR_TENANT_ID } from "./constants.ts";
import { json } from "./responses.ts";
import { KEY_VAULT_API_VERSIONS, VAULT_AUDIENCE } from "./vault_constants.ts";

/** Headers every vault response carries. */
export const VAULT_HEADERS: Readonly<Record<string, string>> = {
  "cache-control": "no-cache",
  "x-ms-keyvault-region": "eastus",
  "x-ms-keyvault-service-version": "1.9.0.0",
};

/**
 * The `WWW-Authenticate` challenge of every vault 401: the authority (with the tenant) and the
 * resource whose `/.default` scope the client asks a token for.
 */
export function vaultChallenge(tenantId: string = EMULATOR_TENANT_ID): string {
  return `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="${VAULT_AUDIENCE}"`;
}

function error(
  status: number,
  code: string,
  message: string,
  inner?: string,
  headers: Record<string, string> = {},
): Response {
  const body = { error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) } };
  return json(status, body, { ...VAULT_HEADERS, ...headers });
}

const unauthorized = (message: string) =>
  error(401, "Unauthorized", message, undefined, { "www-authenticate": vaultChallenge() });

/** What a 403 `ForbiddenByRbac` names: who asked, for what, on which resource. */
export interface RbacDenial {
  appId: string;
  principalId: string;
  tenantId: string;
  action: string;
  /** Lowercase resource id, as Key Vault prints it. */
  resource: string;
  vaultName: string;
  location: string;
}

/**
 * The emulated vault's error responses.
 */
export const VaultErrors = {
  missingToken: (): Response => unauthorized("AKV10000: Request is missing a Bearer or PoP token."),
  badSignature: (): Response =>
    unauthorized("AKV10046: Unable to resolve the key used for signature validation."),
  wrongAudience: (aud: string): Response =>
    unauthorized(`AKV10022: Invalid audience. Expected ${VAULT_AUDIENCE}, found: ${aud}.`),
  wrongIssuer: (iss: string, tenantId: string): Response =>
    unauthorized(
      `AKV10032: Invalid issuer. Expected one of https://sts.windows.net/${tenantId}/, found: ${iss}.`,
    ),
  expiredToken: (): Response => unauthorized("[TokenExpired] Error validating token: 'S2S12086'."),
  forbiddenByRbac: (d: RbacDenial): Response =>
    error(
      403,
      "Forbidden",
      "Caller is not authorized to perform action on resource.\r\n" +
        "If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n" +
        `Caller: appid=${d.appId};oid=${d.principalId};iss=https://sts.windows.net/${d.tenantId}/\r\n` +
        `Action: '${d.action}'\r\n` +
        `Resource: '${d.resource}'\r\n` +
        "Assignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\n" +
        `Vault: ${d.vaultName};location=${d.location}\r\n`,
      "ForbiddenByRbac",
    ),
  secretDisabled: (): Response =>
    error(403, "Forbidden", "Operation get is not allowed on a disabled secret.", "SecretDisabled"),
  missingApiVersion: (): Response =>
    error(400, "BadParameter", "The request URI must contain an api-version query parameter."),
  invalidApiVersion: (version: string): Response =>
    error(
      400,
      "BadParameter",
      `The specified version (${version}) is not recognized. Consider using the latest supported version (${
        KEY_VAULT_API_VERSIONS.at(-1)
      }).`,
    ),
  invalidName: (name: string): Response =>
    error(400, "BadParameter", `The request URI contains an invalid name: ${name}`),
  badBody: (why: string): Response => error(400, "BadParameter", why),
  badQuery: (why: string): Response => error(400, "BadParameter", why),
  secretNotFound: (nameOrId: string): Response =>
    error(
      404,
      "SecretNotFound",
      `A secret with (name/id) ${nameOrId} was not found in this key vault. If you recently deleted ` +
        "this secret you may be able to recover it using the correct recovery command. For help " +
        "resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182",
    ),
  deletedSecretNotFound: (name: string): Response =>
    error(404, "SecretNotFound", `Deleted Secret not found: ${name}`),
  deletedButRecoverable: (name: string): Response =>
    error(
      409,
      "Conflict",
      `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be ` +
        "reused; in this state, the secret can only be recovered or purged.",
      "ObjectIsDeletedButRecoverable",
    ),
  notImplemented: (method: string, path: string): Response =>
    error(
      501,
      "NotImplemented",
      `The emulator's vault does not implement ${method} ${path}; it serves set, get, list, ` +
        "list versions, delete, get/list deleted, purge and recover.",
    ),
  noRoute: (method: string, path: string): Response =>
    error(404, "NotFound", `No resource matches the request ${method} ${path}.`),
  methodNotAllowed: (method: string, allow: string): Response =>
    error(
      405,
      "MethodNotAllowed",
      `The requested resource does not support http method '${method}'.`,
      undefined,
      {
        allow,
      },
    ),
  fault: (status: 429 | 500 | 503, retryAfterSeconds: number): Response =>
    status === 429
      ? error(
        429,
        "Throttled",
        "Request was not processed because too many requests were received. Retry after the time given in the Retry-After header.",
        undefined,
        { "retry-after": String(retryAfterSeconds) },
      )
      : status === 503
      ? error(503, "ServiceUnavailable", "The service is temporarily unavailable.", undefined, {
        "retry-after": String(retryAfterSeconds),
      })
      : error(500, "InternalServerError", "An unexpected error occurred."),
};
