/**
 * The Microsoft Entra credential: the caller's, or `DefaultAzureCredential` from `@azure/identity`
 * imported on first use only, so the key-only path (connect and list targets with a connection
 * string) never loads `@azure/identity` or MSAL.
 *
 * @module
 */

import { processEnv } from "../_builtins.ts";

/**
 * A Microsoft Entra credential: any `TokenCredential` of `@azure/identity` (such as
 * `DefaultAzureCredential`), or an object with this one method (tests pass a literal).
 *
 * @example A fixed token, for a test
 * ```ts
 * import { connect, type TokenCredentialLike } from "azure-quantum-notebook";
 * const credential: TokenCredentialLike = {
 *   getToken: () => Promise.resolve({ token: "t", expiresOnTimestamp: Date.now() + 3_600_000 }),
 * };
 * const ws = await connect({ credential, useEntraId: true });
 * ```
 */
export interface TokenCredentialLike {
  /** A token for `scopes`, or `null` when there is none. */
  getToken(
    scopes: string | string[],
    options?: { abortSignal?: AbortSignal },
  ): Promise<{ token: string; expiresOnTimestamp: number } | null>;
}

let cached: Promise<TokenCredentialLike> | undefined;
let cachedFor: string | undefined;

// Where DefaultAzureCredential signs in, as it read the environment when made: its managed identity
// keeps the endpoint it first saw for the life of the process.
function signInVariables(): string {
  const env = processEnv();
  try {
    return JSON.stringify(["IDENTITY_ENDPOINT", "MSI_ENDPOINT", "AZURE_AUTHORITY_HOST"].map((n) => env[n] ?? null));
  } catch {
    return "[]"; // Deno without --allow-env
  }
}

/**
 * `DefaultAzureCredential`, made on first use; one instance per process, so its token cache is
 * shared. Made again when the environment's sign-in endpoints changed since (say the emulator's
 * `IDENTITY_ENDPOINT` was unset), so it never keeps signing in where the environment no longer says.
 */
export function defaultCredential(): Promise<TokenCredentialLike> {
  const now = signInVariables();
  if (cached !== undefined && cachedFor !== now) cached = undefined;
  cachedFor = now;
  cached ??= import("@azure/identity").then((m) => new m.DefaultAzureCredential());
  return cached;
}

/** Forgets the cached credential (after the environment it read has changed, e.g. in tests). */
export function resetDefaultCredential(): void {
  cached = undefined;
}

// One object for the whole process, so clients kept per credential (Key Vault's `SecretClient`,
// which answers the vault's challenge once) are shared by every connect().
const lazyDefault: TokenCredentialLike = {
  async getToken(scopes, options) {
    return (await defaultCredential()).getToken(scopes, options);
  },
};

/** `explicit`, or a credential that asks `DefaultAzureCredential` (imported when a token is first needed). */
export function lazyCredential(explicit: TokenCredentialLike | undefined): TokenCredentialLike {
  return explicit ?? lazyDefault;
}
