/**
 * The managed-identity token endpoint's errors, in App Service's body format
 * `{statusCode, message, correlationId}`. They never contain the identity header or a token.
 *
 * @module
 */
import { json } from "./responses.ts";

function identity(status: number, message: string, headers = {}): Response {
  return json(status, { statusCode: status, message, correlationId: crypto.randomUUID() }, headers);
}

/**
 * Managed-identity endpoint errors, in App Service's body format `{statusCode, message, correlationId}`.
 */
export const IdentityErrors = {
  missingHeader: (): Response =>
    identity(400, "The request is missing the X-IDENTITY-HEADER header."),
  wrongHeader: (): Response => identity(401, "The X-IDENTITY-HEADER header is not valid."),
  badApiVersion: (version: string): Response =>
    identity(400, `The api-version '${version}' is not supported. Use api-version=2019-08-01.`),
  missingResource: (): Response =>
    identity(400, "The request is missing the 'resource' query parameter."),
  badResource: (resource: string): Response =>
    identity(400, `The resource '${resource}' is not a valid resource URI.`),
  unknownIdentity: (): Response => identity(400, "Unable to load the requested managed identity."),
  noRoute: (): Response => identity(404, "Not found."),
  fault: (status: 429 | 500 | 503, retryAfterSeconds: number): Response =>
    identity(
      status,
      status === 500 ? "Internal server error." : "The service is busy. Retry later.",
      status === 500 ? {} : { "retry-after": String(retryAfterSeconds) },
    ),
};
