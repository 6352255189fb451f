/**
 * The Azure Quantum data plane's errors, one factory each, in its body format (reference §2.4):
 * `{"error":{"code","message"}}` with `x-ms-error-code`. Messages follow Azure's wording; they
 * never contain a key or a token.
 *
 * @module
 */
import { DATA_PLANE_API_VERSIONS } from "./constants.ts";
import { empty, json } from "./responses.ts";

/** An error in the data plane's body format, `{"error":{"code","message"}}` with `x-ms-error-code`. */
export function dataPlaneError(
  status: number,
  code: string,
  message: string,
  headers = {},
): Response {
  return json(status, { error: { code, message } }, { "x-ms-error-code": code, ...headers });
}

/**
 * Data-plane error responses: `{"error":{"code","message"}}` with `x-ms-error-code`, and the 401
 * with an empty body and `www-authenticate: Bearer error="invalid_token"` seen in recordings.
 */
export const DataPlaneErrors = {
  unauthorized: (): Response => empty(401, { "www-authenticate": 'Bearer error="invalid_token"' }),
  missingApiVersion: (): Response =>
    dataPlaneError(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    ),
  invalidApiVersion: (version: string): Response =>
    dataPlaneError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${version}' is invalid. The supported versions are '${
        DATA_PLANE_API_VERSIONS.join(",")
      }'.`,
    ),
  workspaceNotFound: (subscriptionId: string, resourceGroup: string, workspace: string): Response =>
    dataPlaneError(
      404,
      "WorkspaceNotFound",
      `Workspace '${workspace}' was not found in resource group '${resourceGroup}' of subscription '${subscriptionId}'.`,
    ),
  noRoute: (method: string, path: string): Response =>
    dataPlaneError(
      404,
      "NotFound",
      `No HTTP resource was found that matches the request ${method} ${path}.`,
    ),
  methodNotAllowed: (method: string): Response =>
    dataPlaneError(
      405,
      "MethodNotAllowed",
      `The requested resource does not support http method '${method}'.`,
      { allow: "GET" },
    ),
  invalidQuery: (name: string, value: string): Response =>
    dataPlaneError(
      400,
      "InvalidQueryParameter",
      `The query parameter '${name}' has an invalid value '${value}'.`,
    ),
  fault: (status: 429 | 500 | 503, retryAfterSeconds: number): Response =>
    status === 429
      ? dataPlaneError(
        429,
        "TooManyRequests",
        "Rate limit exceeded. Retry after the time given in the Retry-After header.",
        { "retry-after": String(retryAfterSeconds) },
      )
      : status === 503
      ? dataPlaneError(503, "ServiceUnavailable", "The service is temporarily unavailable.", {
        "retry-after": String(retryAfterSeconds),
      })
      : dataPlaneError(500, "InternalServerError", "An internal server error occurred."),
};
