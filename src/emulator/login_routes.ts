/**
 * The Microsoft Entra ID authority endpoints a public client needs for the device-code flow
 * (what `@azure/identity`'s `DeviceCodeCredential`, MSAL Node underneath, asks for with
 * `authorityHost` set to the emulator and `disableInstanceDiscovery: true`):
 *
 * - `GET /{tenant}/v2.0/.well-known/openid-configuration` (MSAL's authority metadata; it requires
 *   `authorization_endpoint`, `token_endpoint`, `issuer`, `jwks_uri`, and derives the devicecode
 *   endpoint from `token_endpoint`);
 * - `POST /{tenant}/oauth2/v2.0/devicecode` (`client_id`, `scope`);
 * - `POST /{tenant}/oauth2/v2.0/token` with `grant_type=device_code` (what MSAL sends; the RFC 8628
 *   URN is accepted too), answering `authorization_pending` until the code is approved through the
 *   control API, then tokens; and `grant_type=refresh_token` (MSAL's silent path for a second
 *   resource);
 * - `GET /{tenant}/discovery/v2.0/keys` and `GET /devicelogin` (the verification page).
 *
 * `{tenant}` is `organizations`, `common`, or the id of a tenant the emulator's principals belong
 * to. Instance discovery (`login.microsoftonline.com/common/discovery/instance`) is not served:
 * MSAL calls that host itself unless instance discovery is disabled.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { EmulatorContext } from "./context.ts";
import { LoginErrors } from "./login_errors.ts";
import type { EmulatorPrincipal } from "./principals.ts";
import { isGuid } from "./role_definitions.ts";
import { json } from "./responses.ts";

const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);
const DEVICE_CODE_GRANTS = ["device_code", "urn:ietf:params:oauth:grant-type:device_code"];
const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" };

/**
 * The resource (token audience) of a scope list, or the error to answer with.
 */
export function resourceOf(scopes: string[]): string | Response {
  const resources = new Set<string>();
  for (const scope of scopes) {
    if (OIDC_SCOPES.has(scope)) continue;
    const cut = scope.lastIndexOf("/");
    if (!/^https?:\/\/[^/]/i.test(scope) || cut < "https://x".length) {
      return LoginErrors.invalidScope();
    }
    resources.add(scope.slice(0, cut).replace(/\/$/, "") || scope);
  }
  if (resources.size === 0) return LoginErrors.invalidScope();
  if (resources.size > 1) return LoginErrors.multipleResources();
  return [...resources][0]!;
}

function knownTenant(ctx: EmulatorContext, tenant: string): boolean {
  const t = tenant.toLowerCase();
  return t === "organizations" || t === "common" || t === ctx.identity.tenantId.toLowerCase() ||
    ctx.rbac.principals().some((p) => p.tenantId.toLowerCase() === t);
}

async function form(req: Request): Promise<URLSearchParams> {
  return new URLSearchParams(await req.text());
}

function openIdConfiguration(ctx: EmulatorContext, tenant: string): Response {
  const base = `${ctx.urls.login}/${tenant}`;
  const specific = isGuid(tenant);
  return json(200, {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: [
      "client_secret_post",
      "private_key_jwt",
      "client_secret_basic",
    ],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["HS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${ctx.urls.login}/${specific ? tenant : "{tenantid}"}/v2.0`,
    request_uri_parameter_supported: false,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "nbf",
      "name",
      "oid",
      "tid",
      "preferred_username",
      "ver",
    ],
    tenant_region_scope: null,
    cloud_instance_name: "microsoftonline.com",
  });
}

async function deviceCode(req: Request, ctx: EmulatorContext, tenant: string): Promise<Response> {
  const params = await form(req);
  const clientId = params.get("client_id");
  if (!clientId) return LoginErrors.missingParameter("client_id");
  if (!isGuid(clientId)) return LoginErrors.unknownClient(clientId.slice(0, 80), tenant);
  const scope = params.get("scope");
  if (!scope) return LoginErrors.missingParameter("scope");
  const scopes = scope.split(/\s+/).filter(Boolean);
  const resource = resourceOf(scopes);
  if (resource instanceof Response) return resource;
  const store = ctx.deviceCodes;
  const started = store.start({ clientId, tenant, scopes, resource }, ctx.now());
  const uri = `${ctx.urls.login}/devicelogin`;
  return json(200, {
    user_code: started.userCode,
    device_code: started.deviceCode,
    verification_uri: uri,
    expires_in: store.expiresInSeconds,
    interval: store.intervalSeconds,
    message:
      `To sign in, use a web browser to open the page ${uri} and enter the code ${started.userCode} to authenticate.`,
  }, NO_STORE);
}

function tokens(
  ctx: EmulatorContext,
  principal: EmulatorPrincipal,
  clientId: string,
  scopes: string[],
  resource: string,
): Response {
  const now = ctx.now();
  const lifetime = ctx.identity.tokenLifetimeSeconds;
  const iat = Math.floor(now / 1000);
  const tid = principal.tenantId;
  const user = principal.type === "User"
    ? { name: principal.displayName, upn: principal.userPrincipalName! }
    : undefined;
  const accessToken = ctx.tokens.issue(
    { aud: resource, oid: principal.objectId, clientId, tenantId: tid, user },
    now,
    lifetime,
  );
  // A pairwise `sub`, as Entra's: stable per principal and client, not the object id.
  const sub = createHash("sha256").update(`${principal.objectId}|${clientId}`).digest("base64url")
    .slice(0, 43);
  const idToken = ctx.tokens.sign({
    aud: clientId,
    iss: `${ctx.urls.login}/${tid}/v2.0`,
    iat,
    nbf: iat,
    exp: iat + lifetime,
    name: principal.displayName,
    oid: principal.objectId,
    preferred_username: principal.userPrincipalName ?? principal.displayName,
    sub,
    tid,
    ver: "2.0",
  });
  const clientInfo = Buffer.from(JSON.stringify({ uid: principal.objectId, utid: tid }))
    .toString("base64url");
  return json(200, {
    token_type: "Bearer",
    scope: scopes.join(" "),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
    refresh_token: ctx.deviceCodes.issueRefreshToken({ principalId: principal.objectId, clientId }),
    id_token: idToken,
    client_info: clientInfo,
  }, NO_STORE);
}

async function token(req: Request, ctx: EmulatorContext): Promise<Response> {
  const params = await form(req);
  const grantType = params.get("grant_type");
  if (!grantType) return LoginErrors.missingParameter("grant_type");
  const clientId = params.get("client_id");
  if (!clientId) return LoginErrors.missingParameter("client_id");
  if (DEVICE_CODE_GRANTS.includes(grantType)) {
    const code = params.get("device_code");
    if (!code) return LoginErrors.missingParameter("device_code");
    const poll = ctx.deviceCodes.poll(code, clientId, ctx.now());
    if (poll.status !== "approved") {
      return {
        pending: LoginErrors.authorizationPending,
        declined: LoginErrors.authorizationDeclined,
        expired: LoginErrors.expiredToken,
        invalid: LoginErrors.badVerificationCode,
      }[poll.status]();
    }
    const principal = ctx.rbac.principal(poll.principalId);
    if (!principal) return LoginErrors.invalidGrant();
    return tokens(ctx, principal, clientId, poll.request.scopes, poll.request.resource);
  }
  if (grantType === "refresh_token") {
    const refresh = params.get("refresh_token");
    if (!refresh) return LoginErrors.missingParameter("refresh_token");
    const scope = params.get("scope");
    if (!scope) return LoginErrors.missingParameter("scope");
    const scopes = scope.split(/\s+/).filter(Boolean);
    const resource = resourceOf(scopes);
    if (resource instanceof Response) return resource;
    const grant = ctx.deviceCodes.redeemRefreshToken(refresh, clientId);
    const principal = grant && ctx.rbac.principal(grant.principalId);
    if (!principal) return LoginErrors.invalidGrant();
    return tokens(ctx, principal, clientId, scopes, resource);
  }
  return LoginErrors.unsupportedGrantType(grantType);
}

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Device sign-in</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:2em auto">
<h1>Azure Quantum emulator: device sign-in</h1>
<p>This is the emulator's stand-in for Microsoft's device sign-in page. It asks for no password:
the code shown by your notebook or script is approved through the emulator's control API, for
example <code>emulator.control.approveDeviceCode(code)</code>, which signs in as the emulator's
default user (or as the principal you name).</p></body></html>`;

/**
 * The authority listener's handler (see the module documentation for the routes).
 *
 * @param ctx The shared emulator context.
 * @returns A pure request handler.
 */
export function loginRoutes(ctx: EmulatorContext): (req: Request) => Promise<Response> {
  return (req) => route(req, ctx);
}

async function route(req: Request, ctx: EmulatorContext): Promise<Response> {
  const url = new URL(req.url);
  const path = url.pathname.replace(/\/+$/, "");
  if (path.toLowerCase() === "/devicelogin" && req.method === "GET") {
    return new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } });
  }
  const m =
    /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|discovery\/v2\.0\/keys|oauth2\/v2\.0\/devicecode|oauth2\/v2\.0\/token)$/i
      .exec(path);
  const [, tenant, endpoint] = m ?? [];
  const method = endpoint?.toLowerCase().startsWith("oauth2") ? "POST" : "GET";
  if (!tenant || !endpoint || req.method !== method) return LoginErrors.notFound();
  let decoded: string;
  try {
    decoded = decodeURIComponent(tenant);
  } catch {
    return LoginErrors.notFound();
  }
  if (!knownTenant(ctx, decoded)) return LoginErrors.invalidTenant(decoded.slice(0, 80));
  switch (endpoint.toLowerCase()) {
    case "v2.0/.well-known/openid-configuration":
      return openIdConfiguration(ctx, decoded);
    case "discovery/v2.0/keys":
      return json(200, { keys: [] });
    case "oauth2/v2.0/devicecode":
      return await deviceCode(req, ctx, decoded);
    default:
      return await token(req, ctx);
  }
}
