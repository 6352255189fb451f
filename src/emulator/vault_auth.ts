import { EMULATOR_TENANT_ID } from "./constants.ts";
import type { TokenClaims, TokenIssuer } from "./tokens.ts";
import {
  EMULATOR_VAULT_NAME,
  VAULT_APP_ID,
  VAULT_AUDIENCE,
  type VaultAction,
  type VaultRole,
  vaultRolesAllow,
} from "./vault_constants.ts";
import { VaultErrors } from "./vault_errors.ts";

/** Who may do what on the emulated vault: role assignments at vault scope, by principal id. */
export type VaultRoleAssignments = Map<string, Set<VaultRole>>;

/** What the vault's auth needs from the emulator. */
export interface VaultAuthContext {
  tokens: TokenIssuer;
  now: () => number;
  roles: VaultRoleAssignments;
  /** Subscription and resource group the vault's resource id names. */
  workspace: { subscriptionId: string; resourceGroup: string; location: string };
}

/**
 * Authenticates a vault request as Key Vault does: a bearer token the emulator signed, issued by
 * the vault's tenant, for `https://vault.azure.net` exactly (or Key Vault's app id), not expired.
 * Anything else gets a 401 with the challenge, including a request without `Authorization`
 * (the first request of every `SecretClient`).
 *
 * @returns The token's claims, or the 401 to answer with.
 */
export function authenticateVault(req: Request, ctx: VaultAuthContext): TokenClaims | Response {
  const header = req.headers.get("authorization");
  const m = header === null ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return VaultErrors.missingToken();
  const check = ctx.tokens.verify(m[1]!);
  if (!check.ok) return VaultErrors.badSignature();
  const { claims } = check;
  if (claims.aud !== VAULT_AUDIENCE && claims.aud !== VAULT_APP_ID) {
    return VaultErrors.wrongAudience(claims.aud);
  }
  if (claims.tid !== EMULATOR_TENANT_ID) {
    return VaultErrors.wrongIssuer(claims.iss, EMULATOR_TENANT_ID);
  }
  if (claims.exp * 1000 <= ctx.now()) return VaultErrors.expiredToken();
  return claims;
}

/**
 * The resource id Key Vault prints in a 403: the vault, or one of its secrets (lowercase).
 */
export function vaultResourceId(
  workspace: VaultAuthContext["workspace"],
  secretName?: string,
): string {
  const vault =
    `/subscriptions/${workspace.subscriptionId}/resourcegroups/${workspace.resourceGroup}` +
    `/providers/microsoft.keyvault/vaults/${EMULATOR_VAULT_NAME}`;
  return (secretName === undefined ? vault : `${vault}/secrets/${secretName}`).toLowerCase();
}

/**
 * Checks the caller's role assignments on the vault for `action` (Key Vault's RBAC permission
 * model; access policies are not emulated).
 *
 * @returns `undefined` when allowed, else the 403 `Forbidden` / `ForbiddenByRbac`.
 */
export function authorizeVault(
  ctx: VaultAuthContext,
  claims: TokenClaims,
  action: VaultAction,
  secretName?: string,
): Response | undefined {
  if (vaultRolesAllow(ctx.roles.get(claims.oid) ?? [], action)) return undefined;
  return VaultErrors.forbiddenByRbac({
    appId: claims.appid,
    principalId: claims.oid,
    tenantId: claims.tid,
    action,
    resource: vaultResourceId(ctx.workspace, secretName),
    vaultName: EMULATOR_VAULT_NAME,
    location: ctx.workspace.location,
  });
}
