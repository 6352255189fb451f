/**
 * Who a Microsoft Entra access token was issued to, read from its claims for display (the
 * readiness report, the sign-in card). Nothing is verified (the services that receive the token
 * do that) and nothing of the token is kept: only the claims below, which name a principal and
 * grant nothing.
 *
 * @module
 */

import { clip } from "../_text.ts";

/**
 * A principal named by a token: its object id, tenant and, where the token says, its name.
 *
 * @example Usage
 * ```ts
 * import type { TokenIdentity } from "azure-quantum-notebook";
 * const me: TokenIdentity = { objectId: "00000000-0000-4000-8000-0000000000dd", principalType: "User" };
 * ```
 */
export interface TokenIdentity {
  /** Object id (`oid`): what role assignments name as `principalId`. */
  objectId: string;
  /** `User` for a person, `ServicePrincipal` for an application or a managed identity. */
  principalType: "User" | "ServicePrincipal";
  /** Directory (tenant) id (`tid`). */
  tenantId?: string;
  /** Users: display name (`name`). */
  displayName?: string;
  /** Users: sign-in name (`upn`, `unique_name` or `preferred_username`). */
  signInName?: string;
  /** The application: a service principal's own client id, or the client a user signed in with (`appid`, `azp`). */
  appId?: string;
  /** True for a managed identity (the token carries `xms_mirid`, its Azure resource id). */
  managedIdentity?: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function base64UrlJson(part: string): Record<string, unknown> | undefined {
  try {
    const b64 = part.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? value as Record<string, unknown>
      : undefined;
  } catch {
    return undefined;
  }
}

// A claim as display text: a string, on one line, not too long (claims are data from outside).
function text(value: unknown, max = 120): string | undefined {
  return typeof value === "string" && value.trim() ? clip(value, max) : undefined;
}

/**
 * The principal an access token names, from its claims (`oid`, `tid`, `idtyp`, `name`, `upn`,
 * `appid`, ...), or `undefined` when the token is not a JWT with an object id. Users are told
 * from applications by `idtyp`, else by the user-only claims (`scp`, `upn`, `unique_name`).
 *
 * @param token An access token (only its claims are read; it is not verified or kept).
 * @returns The identity, or `undefined`.
 *
 * @example Usage
 * ```ts
 * import { tokenIdentity } from "azure-quantum-notebook";
 * const claims = btoa(JSON.stringify({ oid: "00000000-0000-4000-8000-0000000000dd", idtyp: "user", name: "Ada" }));
 * tokenIdentity(`e30.${claims}.sig`)?.displayName; // "Ada"
 * ```
 */
export function tokenIdentity(token: string): TokenIdentity | undefined {
  const parts = typeof token === "string" ? token.split(".") : [];
  if (parts.length !== 3) return undefined;
  const claims = base64UrlJson(parts[1]!);
  const objectId = text(claims?.oid);
  if (!claims || !objectId || !GUID.test(objectId)) return undefined;
  const idtyp = text(claims.idtyp);
  const user = idtyp === "user" ||
    (idtyp !== "app" && [claims.scp, claims.upn, claims.unique_name].some((c) => text(c)));
  const tenantId = text(claims.tid);
  const appId = text(claims.appid) ?? text(claims.azp);
  const identity: TokenIdentity = {
    objectId: objectId.toLowerCase(),
    principalType: user ? "User" : "ServicePrincipal",
    ...(tenantId && GUID.test(tenantId) ? { tenantId: tenantId.toLowerCase() } : {}),
    ...(appId ? { appId } : {}),
  };
  if (user) {
    const name = text(claims.name);
    const signIn = text(claims.upn) ?? text(claims.unique_name) ?? text(claims.preferred_username);
    if (name) identity.displayName = name;
    if (signIn) identity.signInName = signIn;
  } else if (text(claims.xms_mirid)) {
    identity.managedIdentity = true;
  }
  return identity;
}

/**
 * One line naming an identity: `Ada Lovelace (ada@contoso.com)`, `managed identity (application
 * 0000…)`, or `application 0000…` (its client id); never a token.
 *
 * @example Usage
 * ```ts
 * import { describeIdentity } from "azure-quantum-notebook";
 * describeIdentity({ objectId: "00000000-0000-4000-8000-0000000000dd", principalType: "User", displayName: "Ada Lovelace", signInName: "ada@contoso.com" });
 * // "Ada Lovelace (ada@contoso.com)"
 * ```
 */
export function describeIdentity(identity: TokenIdentity): string {
  if (identity.principalType === "User") {
    const name = identity.displayName ?? identity.signInName ?? `user ${identity.objectId}`;
    return identity.signInName && identity.signInName !== name ? `${name} (${identity.signInName})` : name;
  }
  const app = identity.appId ? `application ${identity.appId}` : `service principal ${identity.objectId}`;
  return identity.managedIdentity ? `managed identity (${app})` : app;
}
