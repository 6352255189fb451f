/**
 * Which Microsoft Entra credential a connection uses, and where it came from. Credential variables
 * travel with the connection: when a `.env` file (or an `env` option) supplied the connection, its
 * own `AZURE_TENANT_ID`/`AZURE_CLIENT_ID`/`AZURE_CLIENT_SECRET` or `IDENTITY_ENDPOINT`/
 * `IDENTITY_HEADER` make an explicit credential, without ever being written into `process.env`.
 * Otherwise `DefaultAzureCredential` reads the process environment itself, as it always does.
 *
 * @module
 */

import type { ConnectionInfo } from "../connection/connection_info.ts";
import { Secret } from "../connection/secret.ts";
import { AppServiceCredential } from "./app_service_credential.ts";
import type { EnvVariables } from "./client_options.ts";
import { lazyCredential, type TokenCredentialLike } from "./credential.ts";
import type { DotenvFile } from "./load_connection.ts";

/** The credential of a connection and a one-line account of where it came from (no secret). */
export interface CredentialChoice {
  /** The credential. */
  credential: TokenCredentialLike;
  /** E.g. `"App Service managed identity (IDENTITY_ENDPOINT, IDENTITY_HEADER from .env /repo/.env)"`. */
  source: string;
}

/** What {@link chooseCredential} looks at. */
export interface CredentialInputs {
  /** The `credential` option. */
  explicit?: TokenCredentialLike;
  /** What to call it. @default "argument credential" */
  explicitSource?: string;
  /** The connection, whose `sources` say which file or environment supplied it. */
  connection: ConnectionInfo;
  /** The `.env` file read with the connection. */
  dotenv?: DotenvFile;
  /** The `env` option, when one was given (the process environment is not this). */
  env?: EnvVariables;
  /** The PEM CA trusted for a loopback authority host (the emulator's), read when first needed. */
  ca?: () => string | undefined;
}

/** `DefaultAzureCredential`'s description, as cards show it. */
export const DEFAULT_CREDENTIAL_SOURCE =
  "DefaultAzureCredential (environment, workload or managed identity, Azure CLI, …)";

const LOOPBACK_AUTHORITY = /^https:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i;

// The variables of the place that supplied the connection, if that is a `.env` or an `env` option.
function supplier(inputs: CredentialInputs): { vars: EnvVariables; where: string } | undefined {
  const sources = Object.values(inputs.connection.sources);
  const { dotenv, env } = inputs;
  if (dotenv && sources.some((s) => s?.startsWith(`.env ${dotenv.path} (`))) {
    return { vars: dotenv.vars, where: `.env ${dotenv.path}` };
  }
  if (env && sources.some((s) => s?.startsWith("env "))) return { vars: env, where: "the env option" };
  return undefined;
}

// ClientSecretCredential, imported (with @azure/identity) when a token is first needed.
function clientSecretCredential(
  tenantId: string,
  clientId: string,
  secret: Secret,
  authorityHost: string | undefined,
  ca: (() => string | undefined) | undefined,
): TokenCredentialLike {
  let made: Promise<TokenCredentialLike> | undefined;
  return {
    async getToken(scopes, options) {
      made ??= import("@azure/identity").then((m) => {
        const local = authorityHost !== undefined && LOOPBACK_AUTHORITY.test(authorityHost);
        const pem = local ? ca?.() : undefined;
        return new m.ClientSecretCredential(tenantId, clientId, secret.reveal(), {
          ...(authorityHost ? { authorityHost } : {}),
          ...(local ? { disableInstanceDiscovery: true } : {}),
          ...(pem ? { tlsOptions: { ca: pem } } : {}),
        });
      });
      return (await made).getToken(scopes, options);
    },
  };
}

/**
 * The credential for a connection: the `credential` option; else, when a `.env` file or an `env`
 * option supplied the connection, a `ClientSecretCredential` for its `AZURE_TENANT_ID`,
 * `AZURE_CLIENT_ID` and `AZURE_CLIENT_SECRET` (and `AZURE_AUTHORITY_HOST`), or an
 * {@link AppServiceCredential} for its `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` (with
 * `AZURE_CLIENT_ID` as a user-assigned identity); else `DefaultAzureCredential` on first use.
 */
export function chooseCredential(inputs: CredentialInputs): CredentialChoice {
  if (inputs.explicit) {
    return { credential: inputs.explicit, source: inputs.explicitSource ?? "argument credential" };
  }
  const from = supplier(inputs);
  const v = from?.vars ?? {};
  if (from && v.AZURE_TENANT_ID && v.AZURE_CLIENT_ID && v.AZURE_CLIENT_SECRET) {
    return {
      credential: clientSecretCredential(
        v.AZURE_TENANT_ID,
        v.AZURE_CLIENT_ID,
        new Secret(v.AZURE_CLIENT_SECRET),
        v.AZURE_AUTHORITY_HOST || undefined,
        inputs.ca,
      ),
      source: `client secret of application ${v.AZURE_CLIENT_ID} (AZURE_TENANT_ID, AZURE_CLIENT_ID, ` +
        `AZURE_CLIENT_SECRET from ${from.where})`,
    };
  }
  if (from && v.IDENTITY_ENDPOINT && v.IDENTITY_HEADER) {
    const clientId = v.AZURE_CLIENT_ID || undefined;
    return {
      credential: new AppServiceCredential({
        endpoint: v.IDENTITY_ENDPOINT,
        header: new Secret(v.IDENTITY_HEADER),
        clientId,
        source: from.where,
      }),
      source: `App Service managed identity${clientId ? ` ${clientId}` : ""} (IDENTITY_ENDPOINT, IDENTITY_HEADER ` +
        `from ${from.where})`,
    };
  }
  return { credential: lazyCredential(undefined), source: DEFAULT_CREDENTIAL_SOURCE };
}
