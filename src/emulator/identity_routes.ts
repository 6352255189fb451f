import { createHash, timingSafeEqual } from "node:crypto";
import { IDENTITY_API_VERSION } from "./constants.ts";
import type { EmulatorContext } from "./context.ts";
import { IdentityErrors } from "./identity_errors.ts";
import { json } from "./responses.ts";
import { workspaceResourceId } from "./paths.ts";

/**
 * Path of the token endpoint on the identity listener.
 */
export const IDENTITY_PATH = "/msi/token";

const sha = (s: string) => createHash("sha256").update(s, "utf8").digest();

/**
 * The managed-identity token endpoint in App Service's protocol (what `@azure/identity` 4.13 /
 * MSAL Node's `AppService` source sends): `GET {IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=…`
 * with header `X-IDENTITY-HEADER: {IDENTITY_HEADER}`. Answers
 * `{access_token, expires_on, resource, token_type: "Bearer", client_id}` where `expires_on` is a
 * string of seconds since the epoch, as App Service sends it.
 *
 * Errors: missing header 400, wrong header 401, other api-version 400, missing or non-URL
 * `resource` 400, a `client_id`/`principal_id`/`object_id`/`mi_res_id` other than the emulator's
 * identity 400.
 *
 * @param ctx The shared emulator context.
 * @returns A pure request handler.
 */
export function identityRoutes(ctx: EmulatorContext): (req: Request) => Promise<Response> {
  return (req) => Promise.resolve(route(req, ctx));
}

function route(req: Request, ctx: EmulatorContext): Response {
  const url = new URL(req.url);
  if (url.pathname.replace(/\/+$/, "") !== IDENTITY_PATH || req.method !== "GET") {
    return IdentityErrors.noRoute();
  }
  const secret = req.headers.get("x-identity-header");
  if (secret === null || secret === "") return IdentityErrors.missingHeader();
  if (!timingSafeEqual(sha(secret), sha(ctx.identityHeader.reveal()))) return IdentityErrors.wrongHeader();
  const version = url.searchParams.get("api-version") ?? "";
  if (version !== IDENTITY_API_VERSION) return IdentityErrors.badApiVersion(version);
  const resource = url.searchParams.get("resource");
  if (!resource) return IdentityErrors.missingResource();
  if (!/^https?:\/\/[^\s/]+/i.test(resource)) return IdentityErrors.badResource(resource);
  const id = ctx.identity;
  const asked = [
    [url.searchParams.get("client_id"), id.clientId],
    [url.searchParams.get("principal_id") ?? url.searchParams.get("object_id"), id.principalId],
  ] as const;
  if (
    asked.some(([given, ours]) => given !== null && given.toLowerCase() !== ours.toLowerCase()) ||
    url.searchParams.has("mi_res_id")
  ) {
    return IdentityErrors.unknownIdentity();
  }
  const now = ctx.now();
  const token = ctx.tokens.issue(
    {
      aud: resource,
      oid: id.principalId,
      clientId: id.clientId,
      tenantId: id.tenantId,
      // The workspace's system-assigned identity: its resource id is the workspace's.
      managedIdentityResourceId: workspaceResourceId(ctx.workspace),
    },
    now,
    id.tokenLifetimeSeconds,
  );
  return json(200, {
    access_token: token,
    expires_on: String(Math.floor(now / 1000) + id.tokenLifetimeSeconds),
    resource,
    token_type: "Bearer",
    client_id: id.clientId,
  });
}
