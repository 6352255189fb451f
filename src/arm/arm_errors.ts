import { clip, redactTokens } from "../_text.ts";
import { errorCodeForStatus } from "../error_codes.ts";
import { isQuantumError } from "../errors.ts";
import { ArmError } from "../request_errors.ts";
import type { HttpResponse } from "../http/http_pipeline.ts";
import { authorizationHint, parseAuthorizationFailed } from "./role_hints.ts";

/** What an ARM error message names: the action and the workspace. */
export interface ArmErrorContext {
  /** What was being done, e.g. `"list the access keys"`. */
  action: string;
  workspaceName: string;
  resourceGroup: string;
  subscriptionId: string;
  method: string;
  /** Request URL without its query string. */
  url: string;
}

/** How to sign in for ARM, shown on 401 and when no credential is available. */
export const SIGN_IN_HINT =
  "Sign in so that DefaultAzureCredential finds a credential: run `az login` (Azure CLI), or set " +
  "AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET (service principal), or run where a " +
  "managed identity is available (IDENTITY_ENDPOINT/IDENTITY_HEADER or IMDS); or pass `credential`. " +
  'Without any of these (a remote Jupyter server, a container), sign in from the notebook: connect({ signIn: "device-code" })';

/** The role key management needs, shown on 403. */
export const ROLE_HINT =
  "Managing access keys needs the Contributor or Owner role on the workspace; Reader can only read. " +
  "Ask an Owner of the workspace (or its resource group) to assign you Contributor";

function hintFor(
  status: number,
  armCode: string | undefined,
  armMessage: string | undefined,
  ctx: ArmErrorContext,
): string {
  if (status === 401) return SIGN_IN_HINT;
  if (status === 403) {
    const failure = armCode === "AuthorizationFailed" ? parseAuthorizationFailed(armMessage) : undefined;
    return failure ? authorizationHint(failure) : ROLE_HINT;
  }
  if (status === 404) {
    return `Check the workspace name "${ctx.workspaceName}", resource group "${ctx.resourceGroup}" and ` +
      `subscription "${ctx.subscriptionId}" (they come from the connection string), and the ARM endpoint ` +
      "(AZURE_QUANTUM_ARM_ENDPOINT)";
  }
  if (status === 409 && /disabled/i.test(armCode ?? "")) {
    return "Access keys are disabled: enable them first with `await ws.keys.enable()`, then run this again";
  }
  if (status === 409) {
    return "Another operation on the workspace is still running: wait for it to finish (see `keys.status()`), then try again";
  }
  if (status === 400 && /apiversion/i.test(armCode ?? "")) {
    return "Pass a supported `armApiVersion` (the default is 2025-12-15-preview)";
  }
  if (status === 429 || status >= 500) return "ARM is busy or failing: try again in a minute";
  return "Check the request options";
}

/**
 * Turns an ARM error response into an {@link ArmError}: the ARM `code` and `message`, the HTTP
 * status, `x-ms-request-id`, and a hint of what to do (sign in on 401, the role on 403, the names
 * on 404, enable keys first on a 409 for disabled keys).
 *
 * @param response The non-2xx response.
 * @param ctx What was being done, to which workspace.
 * @returns The error to throw.
 */
export function armErrorFrom(response: HttpResponse, ctx: ArmErrorContext): ArmError {
  const body = response.json<{ error?: { code?: unknown; message?: unknown } }>();
  const armCode = typeof body?.error?.code === "string" ? clip(body.error.code) : undefined;
  const fullMessage = typeof body?.error?.message === "string" ? body.error.message : undefined;
  const armMessage = fullMessage === undefined ? undefined : clip(fullMessage);
  // Parsed before clipping: a long scope would cut the action and scope out of the message.
  const hint = hintFor(response.status, armCode, fullMessage?.slice(0, 4000), ctx);
  const what = armCode ? `${armCode}: ${armMessage ?? ""}`.trim() : `HTTP ${response.status}`;
  const rid = response.requestId ? `, request id ${response.requestId}` : "";
  return new ArmError(
    errorCodeForStatus(response.status),
    `Cannot ${ctx.action} of workspace "${ctx.workspaceName}": Azure Resource Manager answered ` +
      `${response.status} (${what}${rid}). ${hint}`,
    {
      statusCode: response.status,
      requestId: response.requestId,
      method: ctx.method,
      url: ctx.url,
      armCode,
      armMessage,
      hint,
    },
  );
}


/**
 * Turns a failure of the credential (no token: `CredentialUnavailableError`,
 * `AggregateAuthenticationError`, or a rejected sign-in from `@azure/identity`) into an
 * {@link ArmError} telling how to sign in. Long token-like strings in the underlying message are
 * redacted; the cause keeps only the error's name.
 *
 * @param error What `getToken` threw.
 * @param action What was being done, e.g. `"list the access keys"`.
 * @param workspaceName The workspace.
 * @returns The error to throw.
 */
export function credentialError(error: unknown, action: string, workspaceName: string): ArmError {
  const name = clip(String((error as { name?: unknown } | null)?.name ?? "Error"));
  // Our own explicit credentials (config/app_service_credential.ts) say it in their code.
  const code = isQuantumError(error) ? error.code : undefined;
  const unavailable = code === "CredentialUnavailable" ||
    (code !== "CredentialFailed" && /CredentialUnavailable|AggregateAuthentication/.test(name));
  const reason = redactTokens(String((error as { message?: unknown } | null)?.message ?? ""));
  return new ArmError(
    unavailable ? "CredentialUnavailable" : "CredentialFailed",
    `Cannot ${action} of workspace "${workspaceName}": no Microsoft Entra token for Azure Resource Manager ` +
      `(${name}${reason ? `: ${reason}` : ""}). ${SIGN_IN_HINT}`,
    { hint: SIGN_IN_HINT, cause: { name } },
  );
}
