import { ARM_AUDIENCE, DATA_PLANE_AUDIENCE } from "./constants.ts";
import type { EmulatorContext } from "./context.ts";
import { ArmErrors } from "./arm_errors.ts";
import { DataPlaneErrors } from "./data_plane_errors.ts";
import { workspaceResourceId } from "./paths.ts";
import { dataPlaneForbidden } from "./rbac_errors.ts";
import type { TokenClaims } from "./tokens.ts";

const trimSlash = (s: string) => s.replace(/\/+$/, "");

function bearer(req: Request): string | undefined | null {
  const header = req.headers.get("authorization");
  if (header === null) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/**
 * Authenticates an ARM request: a bearer token the emulator signed, for the ARM audience
 * (`https://management.azure.com`, `https://management.core.windows.net` or the emulator's own ARM
 * URL, with or without a trailing slash), not expired.
 *
 * @returns The token's claims, or the 401 to answer with.
 */
export function authenticateArm(req: Request, ctx: EmulatorContext): TokenClaims | Response {
  const token = bearer(req);
  if (token === undefined) return ArmErrors.authenticationMissing();
  if (token === null) return ArmErrors.authenticationMalformed();
  const check = ctx.tokens.verify(token);
  if (!check.ok) return ArmErrors.invalidToken();
  const allowed = [ARM_AUDIENCE, "https://management.core.windows.net", ctx.urls.arm];
  if (!allowed.includes(trimSlash(check.claims.aud))) {
    return ArmErrors.wrongAudience(check.claims.aud);
  }
  const now = ctx.now();
  if (check.claims.exp * 1000 <= now) {
    return ArmErrors.expiredToken(new Date(check.claims.exp * 1000), new Date(now));
  }
  return check.claims;
}

/**
 * Checks the caller's role assignments (at `scope` or above it) for `action`, as ARM does.
 *
 * @returns `undefined` when allowed, else the 403 `AuthorizationFailed`.
 */
export function authorizeArm(
  ctx: EmulatorContext,
  claims: TokenClaims,
  action: string,
  scope: string,
): Response | undefined {
  return ctx.rbac.permitted(claims.oid, action, scope)
    ? undefined
    : ArmErrors.authorizationFailed(claims.oid, action, scope, claims.upn);
}

/**
 * Authenticates a data-plane request: `x-ms-quantum-api-key` with a current key while keys are
 * enabled on the data plane, or a bearer token the emulator signed for
 * `https://quantum.microsoft.com`, not expired. A bearer caller must also hold the data action
 * (`Microsoft.Quantum/Workspaces/jobs/read` for a GET, `…/write` otherwise) on the workspace by
 * the current {@link EmulatorContext.rbac} rule; keys bypass RBAC, as in Azure.
 *
 * @returns `undefined` when allowed, else the 401 (empty body, `www-authenticate`) or the 403
 *   `InsufficientPermissions`.
 */
export function authenticateDataPlane(req: Request, ctx: EmulatorContext): Response | undefined {
  const now = ctx.now();
  const key = req.headers.get("x-ms-quantum-api-key");
  if (key !== null) {
    return ctx.store.acceptsKey(key, now) ? undefined : DataPlaneErrors.unauthorized();
  }
  const token = bearer(req);
  if (!token) return DataPlaneErrors.unauthorized();
  const check = ctx.tokens.verify(token);
  if (
    !check.ok || trimSlash(check.claims.aud) !== DATA_PLANE_AUDIENCE ||
    check.claims.exp * 1000 <= now
  ) {
    return DataPlaneErrors.unauthorized();
  }
  const action = `Microsoft.Quantum/Workspaces/jobs/${req.method === "GET" ? "read" : "write"}`;
  const propagated = now - ctx.store.knobs.rolePropagationDelayMs;
  return ctx.rbac.permittedData(check.claims.oid, action, workspaceResourceId(ctx.workspace), propagated)
    ? undefined
    : dataPlaneForbidden();
}
