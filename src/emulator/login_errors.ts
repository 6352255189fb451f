/**
 * Microsoft Entra ID's OAuth 2.0 error responses, as the authority endpoints send them: 400 (or
 * the status given) with `{error, error_description: "AADSTS…: …\r\nTrace ID: …\r\nCorrelation ID:
 * …\r\nTimestamp: …", error_codes, timestamp, trace_id, correlation_id, error_uri}`. The shape and
 * the AADSTS70016 text are from a recorded exchange (Microsoft Q&A 981553, "OAuth 2.0 device
 * authorization grant flow"); other texts follow Entra's wording [inferred]. No message echoes a
 * device code or a refresh token.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { json } from "./responses.ts";

function entra(error: string, code: number, text: string, status = 400): Response {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
  return json(status, {
    error,
    error_description:
      `AADSTS${code}: ${text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  }, { "cache-control": "no-store", pragma: "no-cache" });
}

/**
 * The authority endpoints' errors.
 */
export const LoginErrors = {
  missingParameter: (name: string): Response =>
    entra(
      "invalid_request",
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    ),
  invalidTenant: (tenant: string): Response =>
    entra(
      "invalid_tenant",
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  unknownClient: (clientId: string, tenant: string): Response =>
    entra(
      "unauthorized_client",
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  invalidScope: (): Response =>
    entra(
      "invalid_scope",
      70011,
      "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid.",
    ),
  multipleResources: (): Response =>
    entra(
      "invalid_scope",
      28000,
      "Provided value for the input parameter scope is not valid because it contains more than one resource.",
    ),
  unsupportedGrantType: (grantType: string): Response =>
    entra(
      "unsupported_grant_type",
      70003,
      `The app requested an unsupported grant type '${grantType.slice(0, 80)}'.`,
    ),
  authorizationPending: (): Response =>
    entra(
      "authorization_pending",
      70016,
      "The provided request has not yet been authorized by the user. The user must input their code.",
    ),
  authorizationDeclined: (): Response =>
    entra("authorization_declined", 70000, "The user denied the authorization request."),
  expiredToken: (): Response =>
    entra(
      "expired_token",
      70020,
      "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
    ),
  badVerificationCode: (): Response =>
    entra(
      "bad_verification_code",
      70019,
      "The provided value for the input parameter 'device_code' is not valid.",
    ),
  invalidGrant: (): Response =>
    entra(
      "invalid_grant",
      9002313,
      "Invalid request. Request is malformed or invalid.",
    ),
  notFound: (): Response =>
    entra(
      "invalid_request",
      900561,
      "The endpoint only accepts the methods and paths of the OpenID and OAuth 2.0 protocols.",
      404,
    ),
  fault: (status: 429 | 500 | 503, retryAfterSeconds: number): Response => {
    const res = entra(
      "temporarily_unavailable",
      status === 429 ? 50196 : 90033,
      "The service is temporarily unavailable. Retry the request.",
      status,
    );
    if (status !== 500) res.headers.set("retry-after", String(retryAfterSeconds));
    return res;
  },
};
