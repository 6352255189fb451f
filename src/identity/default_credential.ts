import type { TokenCredential } from "@azure/core-auth";

let cached: Promise<TokenCredential> | undefined;

/**
 * `DefaultAzureCredential` from `@azure/identity`, imported on first use only: the key-only path
 * (connect and list targets with a connection string) never loads `@azure/identity` or MSAL.
 * One instance per process, so its token cache is shared.
 *
 * @example Usage
 * ```ts
 * import { defaultCredential } from "./default_credential.ts";
 * const credential = await defaultCredential();
 * ```
 */
export function defaultCredential(): Promise<TokenCredential> {
  cached ??= import("@azure/identity").then((m) => new m.DefaultAzureCredential() as TokenCredential);
  return cached;
}

/** Forgets the cached credential (after the environment it read has changed, e.g. in tests). */
export function resetDefaultCredential(): void {
  cached = undefined;
}
