/**
 * Resource Manager's errors, one factory each, like Azurite's `StorageErrorFactory`: status,
 * code and message in ARM's body format (reference §3.6; the common codes from
 * https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors)
 * with `x-ms-failure-cause`. Messages follow Azure's wording; they never contain a key or a token.
 * The data plane's are in `data_plane_errors.ts`, the token endpoint's in `identity_errors.ts`.
 *
 * @module
 */
import { ARM_API_VERSIONS, EMULATOR_TENANT_ID } from "./constants.ts";
import { json } from "./responses.ts";

/** Where an ARM error comes from: the ARM front door or the resource provider. */
type FailureCause = "gateway" | "service";

/**
 * An error in ARM's body format, `{"error":{"code","message"}}`, with `x-ms-failure-cause`: the
 * envelope of every Resource Manager error, `Microsoft.Authorization`'s too (`rbac_errors.ts`).
 */
export function armError(
  status: number,
  code: string,
  message: string,
  cause: FailureCause = "service",
  headers = {},
): Response {
  return json(status, { error: { code, message } }, { "x-ms-failure-cause": cause, ...headers });
}

const ARM_AUDIENCES =
  "'https://management.core.windows.net/','https://management.core.windows.net'," +
  "'https://management.azure.com/','https://management.azure.com'";

function armUnauthorized(code: string, message: string): Response {
  return armError(401, code, message, "gateway", {
    "www-authenticate":
      `Bearer authorization_uri="https://login.microsoftonline.com/${EMULATOR_TENANT_ID}", ` +
      `error="invalid_token", error_description="${message.replace(/["\\]/g, "")}"`,
  });
}

/**
 * ARM error responses (`{"error":{"code","message"}}` plus `x-ms-failure-cause`).
 */
export const ArmErrors = {
  missingApiVersion: (): Response =>
    armError(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
      "gateway",
    ),
  invalidApiVersion: (version: string, supported: readonly string[] = ARM_API_VERSIONS): Response =>
    armError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${version}' is invalid. The supported versions are '${
        supported.join(",")
      }'.`,
      "gateway",
    ),
  apiVersionWithoutKeys: (version: string, action: string): Response =>
    armError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${version}' does not support '${action}'. Use api-version 2023-11-13-preview or later.`,
      "service",
    ),
  authenticationMissing: (): Response =>
    armUnauthorized(
      "AuthenticationFailed",
      "Authentication failed. The 'Authorization' header is missing.",
    ),
  authenticationMalformed: (): Response =>
    armUnauthorized(
      "AuthenticationFailed",
      "Authentication failed. The 'Authorization' header is provided in an invalid format.",
    ),
  invalidToken: (): Response =>
    armUnauthorized("InvalidAuthenticationToken", "The access token is invalid."),
  wrongAudience: (audience: string): Response =>
    armUnauthorized(
      "InvalidAuthenticationTokenAudience",
      `The access token has been obtained for wrong audience or resource '${audience}'. It should exactly match with one of the allowed audiences ${ARM_AUDIENCES}.`,
    ),
  expiredToken: (expiry: Date, now: Date): Response =>
    armUnauthorized(
      "ExpiredAuthenticationToken",
      `The access token expiry UTC time '${expiry.toISOString()}' is earlier than current UTC time '${now.toISOString()}'.`,
    ),
  /**
   * `client` is a user's sign-in name, else the object id again (as in real messages for
   * service principals: Azure/azure-sdk-for-net#5026, Azure/azure-powershell#10917).
   */
  authorizationFailed: (
    principal: string,
    action: string,
    scope: string,
    client: string = principal,
  ): Response =>
    armError(
      403,
      "AuthorizationFailed",
      `The client '${client}' with object id '${principal}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      "gateway",
    ),
  subscriptionNotFound: (subscriptionId: string): Response =>
    armError(
      404,
      "SubscriptionNotFound",
      `The subscription '${subscriptionId}' could not be found.`,
      "gateway",
    ),
  resourceGroupNotFound: (resourceGroup: string): Response =>
    armError(
      404,
      "ResourceGroupNotFound",
      `Resource group '${resourceGroup}' could not be found.`,
      "gateway",
    ),
  resourceNotFound: (type: string, name: string, resourceGroup: string): Response =>
    armError(
      404,
      "ResourceNotFound",
      `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
      "gateway",
    ),
  operationNotFound: (id: string): Response =>
    armError(404, "ResourceNotFound", `The operation status '${id}' was not found.`, "service"),
  noRoute: (method: string, path: string): Response =>
    armError(
      404,
      "NotFound",
      `No HTTP resource was found that matches the request ${method} ${path}.`,
      "gateway",
    ),
  missingSubscriptionRegistration: (namespace: string): Response => {
    const message =
      `The subscription is not registered to use namespace '${namespace}'. See https://aka.ms/rps-not-found for how to register subscriptions.`;
    return json(
      409,
      {
        error: {
          code: "MissingSubscriptionRegistration",
          message,
          details: [{ code: "MissingSubscriptionRegistration", target: namespace, message }],
        },
      },
      { "x-ms-failure-cause": "gateway" },
    );
  },
  invalidResourceNamespace: (namespace: string): Response =>
    armError(
      400,
      "InvalidResourceNamespace",
      `The resource namespace '${namespace}' is invalid.`,
      "gateway",
    ),
  methodNotAllowed: (method: string, allowed: string[]): Response =>
    armError(
      405,
      "MethodNotAllowed",
      `The requested resource does not support http method '${method}'.`,
      "gateway",
      { allow: allowed.join(", ") },
    ),
  invalidRequestContent: (detail: string): Response =>
    armError(
      400,
      "InvalidRequestContent",
      `The request content was invalid and could not be deserialized: ${detail}`,
      "service",
    ),
  invalidLocation: (given: string, actual: string, name: string, resourceGroup: string): Response =>
    armError(
      400,
      "InvalidResourceLocation",
      `The resource '${name}' already exists in location '${actual}' in resource group '${resourceGroup}'. A resource with the same name cannot be created in location '${given}'. Please select a new resource name.`,
      "service",
    ),
  keysDisabled: (): Response =>
    armError(
      409,
      "ApiKeysDisabled",
      "Access keys are disabled for this workspace. Enable them before regenerating.",
      "service",
    ),
  operationInProgress: (statusUrl: string): Response =>
    armError(
      409,
      "AnotherOperationInProgress",
      `Another operation on this or a dependent resource is in progress. To retrieve status of the operation use uri: ${statusUrl}.`,
      "service",
    ),
  fault: (status: 429 | 500 | 503, retryAfterSeconds: number): Response =>
    status === 429
      ? armError(
        429,
        "TooManyRequests",
        "The request is being throttled as the limit has been reached for operation type. Please retry after the time given in the Retry-After header.",
        "gateway",
        { "retry-after": String(retryAfterSeconds) },
      )
      : status === 503
      ? armError(
        503,
        "ServiceUnavailable",
        "The service is temporarily unavailable. Please retry the request.",
        "service",
        { "retry-after": String(retryAfterSeconds) },
      )
      : armError(
        500,
        "InternalServerError",
        "Encountered internal server error. Please retry the request.",
        "service",
      ),
};
