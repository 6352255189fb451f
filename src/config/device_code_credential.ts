/**
 * The device-code sign-in's credential: `@azure/identity`'s unmodified `DeviceCodeCredential`,
 * imported when a token is first asked for, whose prompt (the code to enter and the page to
 * enter it on) goes to a callback instead of the console. Against a loopback authority (the
 * emulator's) instance discovery is off and the given CA is trusted for that authority only.
 *
 * @module
 */

import { isLoopbackAuthority } from "../connection/quantum_endpoint.ts";
import type { TokenCredentialLike } from "./credential.ts";

/** Microsoft Entra ID in Azure's public cloud. */
export const DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";

/** What the user is asked to do: open `verificationUri`, enter `userCode` (meant to be shown). */
export interface DeviceCodePrompt {
  /** The code the user types on the verification page (not the device code, which is never shown). */
  userCode: string;
  /** The page to type it on. */
  verificationUri: string;
}

/** What {@link deviceCodeCredential} needs. */
export interface DeviceCodeCredentialInputs {
  /** Tenant id or domain, or `organizations` / `common`. */
  tenantId: string;
  /** The authority. @default https://login.microsoftonline.com */
  authorityHost?: string;
  /** PEM CA trusted for a loopback authority (the emulator's); ignored for any other. */
  ca?: string;
  /** The public client to sign in with. @default `@azure/identity`'s (the Azure CLI's) */
  clientId?: string;
  /** Called with each prompt: show it to the user. */
  onPrompt: (prompt: DeviceCodePrompt) => void;
}

const TENANT = /^[0-9A-Za-z][0-9A-Za-z.-]{0,99}$/;

/**
 * A `DeviceCodeCredential` for `inputs`, made (with `@azure/identity`) on the first `getToken`.
 *
 * @throws {RangeError} for a tenant or authority that cannot be one.
 */
export function deviceCodeCredential(inputs: DeviceCodeCredentialInputs): TokenCredentialLike {
  const { tenantId, onPrompt, clientId } = inputs;
  if (typeof tenantId !== "string" || !TENANT.test(tenantId)) {
    throw new RangeError(
      `Cannot sign in: tenantId ${JSON.stringify(String(tenantId).slice(0, 60))} is not a tenant. ` +
        'Pass a tenant id (GUID), a domain such as "contoso.onmicrosoft.com", or "organizations"',
    );
  }
  const authorityHost = (inputs.authorityHost ?? DEFAULT_AUTHORITY_HOST).replace(/\/+$/, "");
  let url: URL | undefined;
  try {
    url = new URL(authorityHost);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== "https:") {
    throw new RangeError(
      `Cannot sign in: the authority "${authorityHost.slice(0, 100)}" is not an https URL. ` +
        `Leave authorityHost out for ${DEFAULT_AUTHORITY_HOST}`,
    );
  }
  const local = isLoopbackAuthority(authorityHost);
  let made: Promise<TokenCredentialLike> | undefined;
  return {
    async getToken(scopes, options) {
      made ??= import("@azure/identity").then((m) =>
        new m.DeviceCodeCredential({
          tenantId,
          authorityHost,
          ...(clientId ? { clientId } : {}),
          ...(local ? { disableInstanceDiscovery: true } : {}),
          ...(local && inputs.ca ? { tlsOptions: { ca: inputs.ca } } : {}),
          userPromptCallback: (info) =>
            onPrompt({ userCode: String(info.userCode), verificationUri: String(info.verificationUri) }),
        })
      );
      return (await made).getToken(scopes, options);
    },
  };
}
