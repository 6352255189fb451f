/**
 * What goes wrong between this module and a Key Vault, as this module's typed errors. Each names
 * the vault, the secret and the fix (the role to assign, with its scope, for a 403); none holds a
 * secret value or a token: the SDK's `RestError` (whose `request` holds the `Authorization`
 * header) is never kept as a cause, only its code and status.
 *
 * @module
 */
import {
  NetworkError,
  NotFoundError,
  RequestError,
  type RequestErrorDetails,
  UnauthorizedError,
} from "../request_errors.ts";
import type { KeyVaultReference } from "./key_vault_reference.ts";

/** What was being done when the error happened. */
export interface KeyVaultErrorContext {
  /** `verify`: reading back the version just written (`version` names it). */
  op: "read" | "write" | "verify";
  ref: Pick<
    KeyVaultReference,
    "vaultUrl" | "vaultName" | "secretName" | "secretVersion" | "isLoopback"
  >;
  /** Where the reference came from, e.g. `"env AZURE_QUANTUM_CONNECTION_STRING"`. */
  source?: string;
  /** The version written (for `verify`). */
  version?: string;
}

/** The built-in role that allows reading secret values, and the one that also allows writing. */
export const KEY_VAULT_READ_ROLE = "Key Vault Secrets User";
export const KEY_VAULT_WRITE_ROLE = "Key Vault Secrets Officer";

const TLS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|certificate/i;
const CREDENTIAL_ERRORS = new Set([
  "CredentialUnavailableError",
  "AggregateAuthenticationError",
  "AuthenticationError",
  "AuthenticationRequiredError",
]);

interface RestErrorLike {
  name: string;
  message?: string;
  code?: string;
  statusCode?: number;
  details?: { error?: { code?: string; message?: string; innerError?: { code?: string } } };
  request?: { method?: string; url?: string };
  response?: { headers?: { get(name: string): string | undefined } };
}

const host = (url: string) => url.replace(/^https:\/\//, "").replace(/\/$/, "");

/** `the Key Vault secret "db" (version 1a2b…) in myvault.vault.azure.net` */
function subject(ctx: KeyVaultErrorContext): string {
  const version = ctx.op === "verify" ? ctx.version : ctx.ref.secretVersion;
  return `the Key Vault secret "${ctx.ref.secretName}"${
    version ? ` (version ${version})` : ""
  } in ${host(ctx.ref.vaultUrl)}`;
}

function doing(ctx: KeyVaultErrorContext): string {
  if (ctx.op === "write") return `Cannot write a new version of ${subject(ctx)}`;
  if (ctx.op === "verify") {
    return `Cannot read back the new version of ${subject(ctx)} just written`;
  }
  return `Cannot read ${subject(ctx)}`;
}

const checkSource = (ctx: KeyVaultErrorContext, what: string) =>
  ctx.source ? `Check ${what} in ${ctx.source}` : `Check ${what}`;

/**
 * Maps whatever `SecretClient` (or the credential) threw to this module's errors:
 * `KeyVaultSecretNotFound` and `KeyVaultNotFound` ({@link NotFoundError}), `KeyVaultForbidden`,
 * `KeyVaultSecretDisabled`, `KeyVaultSecretDeleted`, `KeyVaultRequestFailed` ({@link RequestError}),
 * `KeyVaultUnauthorized` and `KeyVaultCredentialUnavailable` ({@link UnauthorizedError}),
 * `KeyVaultUnreachable` ({@link NetworkError}). An abort returns the signal's reason.
 */
export function keyVaultError(
  e: unknown,
  ctx: KeyVaultErrorContext,
  signal?: AbortSignal,
): unknown {
  if (signal?.aborted) return signal.reason;
  const err = (e ?? {}) as RestErrorLike;
  const url = (err.request?.url ?? `${ctx.ref.vaultUrl}secrets/${ctx.ref.secretName}`).replace(
    /\?.*$/,
    "",
  );
  const details: RequestErrorDetails = {
    statusCode: err.statusCode,
    requestId: err.response?.headers?.get("x-ms-request-id"),
    method: err.request?.method,
    url,
    cause: { name: err.name, code: err.code, statusCode: err.statusCode },
  };
  if (err.name === "RestError" && err.statusCode !== undefined) {
    return fromStatus(err, ctx, details);
  }
  if (err.name === "RestError") return fromTransport(err, ctx, details);
  if (CREDENTIAL_ERRORS.has(err.name)) {
    return new UnauthorizedError(
      "KeyVaultCredentialUnavailable",
      `${
        doing(ctx)
      }: no Microsoft Entra credential could get a token for Key Vault (${err.name}). ` +
        "Sign in with `az login`, or set up the managed identity or service principal that DefaultAzureCredential uses",
      details,
    );
  }
  return new RequestError(
    "KeyVaultRequestFailed",
    `${doing(ctx)}: the Key Vault client failed (${
      err.name || typeof e
    }). Try again; if it persists, report it`,
    details,
  );
}

function fromStatus(
  err: RestErrorLike,
  ctx: KeyVaultErrorContext,
  details: RequestErrorDetails,
): Error {
  const status = err.statusCode!;
  const inner = err.details?.error?.innerError?.code;
  const kvMessage = err.details?.error?.message ?? "";
  const write = ctx.op === "write";
  if (status === 404) {
    return new NotFoundError(
      "KeyVaultSecretNotFound",
      `${doing(ctx)}: the vault has no such secret${
        ctx.ref.secretVersion && !write ? " version" : ""
      } ` +
        `(it may have been deleted). ${
          checkSource(ctx, "the secret name and version")
        }, or create the secret in the vault`,
      details,
    );
  }
  if (status === 403 && inner === "SecretDisabled") {
    return new RequestError(
      "KeyVaultSecretDisabled",
      `${
        doing(ctx)
      }: that version is disabled. Enable it in the vault, or refer to another version`,
      details,
    );
  }
  if (status === 403) {
    const role = write ? KEY_VAULT_WRITE_ROLE : KEY_VAULT_READ_ROLE;
    const oid = /\boid=([0-9a-f-]{36})\b/i.exec(kvMessage)?.[1];
    const scope =
      /Resource: '(\/subscriptions\/[^'\s]+?\/providers\/microsoft\.keyvault\/vaults\/[a-z0-9-]+)/i
        .exec(kvMessage)?.[1];
    const who = oid ? `the identity ${oid}` : "the signed-in identity";
    if (inner === "AccessDenied") {
      return new RequestError(
        "KeyVaultForbidden",
        `${doing(ctx)}: the vault uses access policies and none gives ${who} the secrets ` +
          `"${
            write ? "Set" : "Get"
          }" permission. Add an access policy with it, or switch the vault to ` +
          `Azure RBAC and assign "${role}"`,
        details,
      );
    }
    return new RequestError(
      "KeyVaultForbidden",
      `${
        doing(ctx)
      }: ${who} lacks the role "${role}" on the vault (403 ForbiddenByRbac). Assign it: ` +
        `az role assignment create --role "${role}" --assignee ${oid ?? "<object id>"} --scope ` +
        `${scope ?? "<vault resource id>"}; a new assignment can take a few minutes to apply`,
      details,
    );
  }
  if (status === 401) {
    const code = /^(AKV\d+|\[TokenExpired\])/.exec(kvMessage)?.[1] ?? "401";
    return new UnauthorizedError(
      "KeyVaultUnauthorized",
      `${
        doing(ctx)
      }: Key Vault rejected the credential's token (${code}). Sign in to the vault's ` +
        "tenant (az login --tenant …); for the emulator, load the env file it wrote",
      details,
    );
  }
  if (status === 409 && inner === "ObjectIsDeletedButRecoverable") {
    return new RequestError(
      "KeyVaultSecretDeleted",
      `${
        doing(ctx)
      }: a deleted secret of that name is kept for recovery (soft delete). Recover it ` +
        "(az keyvault secret recover), purge it (az keyvault secret purge), or choose another name",
      details,
    );
  }
  return new RequestError(
    "KeyVaultRequestFailed",
    `${doing(ctx)}: Key Vault answered ${status}${
      err.code ? ` ${err.code}` : ""
    }. Try again later; ` +
      "if it persists, check the vault in the Azure portal",
    details,
  );
}

function fromTransport(
  err: RestErrorLike,
  ctx: KeyVaultErrorContext,
  details: RequestErrorDetails,
): Error {
  const reason = (err.message ?? "").replace(/\?\S*/g, "").slice(0, 200);
  const where = host(ctx.ref.vaultUrl);
  if (/ENOTFOUND/.test(reason) && !ctx.ref.isLoopback) {
    return new NotFoundError(
      "KeyVaultNotFound",
      `Cannot reach the Key Vault "${ctx.ref.vaultName}": ${where} does not resolve, so no vault of ` +
        `that name exists in this cloud (or DNS is down). ${checkSource(ctx, "the vault name")}`,
      details,
    );
  }
  const trust = TLS.test(err.code ?? "") || TLS.test(reason);
  return new NetworkError(
    "KeyVaultUnreachable",
    trust
      ? `Cannot reach the Key Vault at ${where}: its TLS certificate is not trusted (${reason}). ` +
        "For the emulator's vault, set AZURE_QUANTUM_EMULATOR_CA to its CA file or pass the `ca` option"
      : `Cannot reach the Key Vault at ${where}: ${reason || "no response"}. ` +
        `${checkSource(ctx, "the vault URL")} and your network${
          ctx.ref.isLoopback ? " (is the emulator running?)" : ""
        }`,
    details,
  );
}
