/**
 * The Microsoft Entra credential: the caller's, or `DefaultAzureCredential` from `@azure/identity`
 * imported on first use only, so the key-only path (connect and list targets with a connection
 * string) never loads `@azure/identity` or MSAL.
 *
 * @module
 */

import type { TokenCredential } from "@azure/core-auth";

let cached: Promise<TokenCredential> | undefined;

/** `DefaultAzureCredential`, made on first use; one instance per process, so its token cache is shared. */
export function defaultCredential(): Promise<TokenCredential> {
  cached ??= import("@azure/identity").then((m) => new m.DefaultAzureCredential() as TokenCredential);
  return cached;
}

/** Forgets the cached credential (after the environment it read has changed, e.g. in tests). */
export function resetDefaultCredential(): void {
  cached = undefined;
}

/** `explicit`, or a credential that asks `DefaultAzureCredential` (imported when a token is first needed). */
export function lazyCredential(explicit: TokenCredential | undefined): TokenCredential {
  if (explicit) return explicit;
  return {
    async getToken(scopes, options) {
      return (await defaultCredential()).getToken(scopes, options);
    },
  };
}
