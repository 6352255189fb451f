/**
 * Which Microsoft Entra credential a connection uses, and where it came from. Credential variables
 * travel with the connection: when a `.env` file (or an `env` option) supplied the connection, its
 * own `AZURE_TENANT_ID`/`AZURE_CLIENT_ID`/`AZURE_CLIENT_SECRET` or `IDENTITY_ENDPOINT`/
 * `IDENTITY_HEADER` make an explicit credential, without ever being written into `process.env`.
 * Otherwise `DefaultAzureCredential` reads the process environment itself, as it always does.
 *
 * @module
 */

import { crypto, processEnv } from "../_builtins.ts";
import type { ConnectionInfo } from "../connection/connection_info.ts";
import { isLoopbackUrl } from "../connection/quantum_endpoint.ts";
import { Secret } from "../connection/secret.ts";
import { AppServiceCredential } from "./app_service_credential.ts";
import type { EnvVariables } from "./client_options.ts";
import { lazyCredential, type TokenCredentialLike } from "./credential.ts";
import { ARM_ENDPOINT_VARIABLE, EMULATOR_CA_VARIABLE, type PairedSetting } from "./arm_settings.ts";
import {
  type DotenvFile,
  dotenvSecret,
  dotenvValue,
  suppliedConnection,
} from "./env_file_values.ts";
import { isLoopbackAuthority } from "../connection/quantum_endpoint.ts";

/** The credential of a connection and a one-line account of where it came from (no secret). */
export interface CredentialChoice {
  /** The credential. */
  credential: TokenCredentialLike;
  /** E.g. `"App Service managed identity (IDENTITY_ENDPOINT, IDENTITY_HEADER from .env /repo/.env)"`. */
  source: string;
  /**
   * Where it signs in (a managed-identity endpoint, an Entra authority), each with its variable and
   * source, read when called (`[]` for the caller's own credential): `Settings` refuses one of the
   * emulator's for an Azure connection.
   */
  signInEndpoints: () => PairedSetting[];
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

// The variables of the place that supplied the connection, if that is a `.env` or an `env` option:
// `value` reads one (decrypted when the `.env` holds it encrypted), `secret` one that is secret
// (decrypted when a token is first asked for, never at connect).
interface Supplier {
  has(name: string): boolean;
  value(name: string): string | undefined;
  secret(name: string): () => Secret;
  where: string;
}

function dotenvSupplier(dotenv: DotenvFile): Supplier {
  return {
    has: (n) => !!dotenv.vars[n],
    value: (n) => dotenvValue(dotenv, n) || undefined,
    secret: (n) => () => dotenvSecret(dotenv, n) ?? new Secret(""),
    where: dotenv.dotenvx ? `encrypted .env ${dotenv.path}` : `.env ${dotenv.path}`,
  };
}

function envSupplier(env: EnvVariables): Supplier {
  return {
    has: (n) => !!env[n],
    value: (n) => env[n] || undefined,
    secret: (n) => () => new Secret(env[n] ?? ""),
    where: "the env option",
  };
}

function supplier(inputs: CredentialInputs): Supplier | undefined {
  const { dotenv, env } = inputs;
  if (dotenv && suppliedConnection(dotenv, inputs.connection)) return dotenvSupplier(dotenv);
  const sources = Object.values(inputs.connection.sources);
  if (env && sources.some((s) => s?.startsWith("env ") || s?.includes("(via env "))) return envSupplier(env);
  return undefined;
}

// ClientSecretCredential, imported (with @azure/identity) when a token is first needed.
function clientSecretCredential(
  tenantId: string,
  clientId: string,
  secret: () => Secret,
  authorityHost: string | undefined,
  ca: (() => string | undefined) | undefined,
): TokenCredentialLike {
  let made: Promise<TokenCredentialLike> | undefined;
  return {
    async getToken(scopes, options) {
      made ??= import("@azure/identity").then((m) => {
        const local = authorityHost !== undefined && isLoopbackAuthority(authorityHost);
        const pem = local ? ca?.() : undefined;
        return new m.ClientSecretCredential(tenantId, clientId, secret().reveal(), {
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
    return { credential: inputs.explicit, source: inputs.explicitSource ?? "argument credential", signInEndpoints: () => [] };
  }
  const from = supplier(inputs);
  return (from && credentialOf(from, inputs.ca)) ??
    { credential: lazyCredential(undefined), source: DEFAULT_CREDENTIAL_SOURCE, signInEndpoints: defaultSignIn };
}

const UNSET_SIGN_IN = "Unset IDENTITY_ENDPOINT, IDENTITY_HEADER and AZURE_AUTHORITY_HOST in the environment " +
  '(connect({ emulator: "auto" }) exports the first two), or pass a credential: connect({ credential }) or ' +
  "connect({ signIn: true })";

// Where a credential made from these variables signs in, for Settings to refuse the emulator's with an
// Azure connection. A loopback managed-identity endpoint is also what App Service, Azure Arc and Azure
// Machine Learning compute set (http, as the emulator's): it counts as the emulator's only beside the
// emulator's own variables (its CA, a loopback ARM endpoint). No real Entra authority is loopback.
function signInOf(
  get: (name: string) => string | undefined,
  source: (name: string) => string,
  fix: (name: string) => string,
): PairedSetting[] {
  const arm = get(ARM_ENDPOINT_VARIABLE);
  const emulator = !!get(EMULATOR_CA_VARIABLE) || (arm !== undefined && isLoopbackUrl(arm));
  const names = emulator ? ["IDENTITY_ENDPOINT", "MSI_ENDPOINT", "AZURE_AUTHORITY_HOST"] : ["AZURE_AUTHORITY_HOST"];
  return names.flatMap((variable) => {
    const value = get(variable);
    return value ? [{ variable, value, source: source(variable), fix: fix(variable) }] : [];
  });
}

// What DefaultAzureCredential reads from the process environment, as it is now (credential.ts
// remakes it when that changes).
function defaultSignIn(): PairedSetting[] {
  const env = processEnv();
  const get = (name: string) => {
    try {
      return env[name] || undefined;
    } catch {
      return undefined; // Deno without --allow-env: DefaultAzureCredential cannot read it either
    }
  };
  return signInOf(get, (n) => `env ${n}`, () => UNSET_SIGN_IN);
}

function suppliedSignIn(from: Supplier): () => PairedSetting[] {
  return () =>
    signInOf(
      (n) => (from.has(n) ? from.value(n) : undefined),
      (n) => `${from.where} (${n})`,
      (n) => `Remove ${n} from ${from.where}, or pass a credential: connect({ credential })`,
    );
}

// The variables a credential is made of: a credential made from the same values is the same object
// (its token cache, and the Key Vault client kept per credential, are reused across vault reads).
const CREDENTIAL_VARIABLES = [
  "AZURE_TENANT_ID",
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
  "AZURE_AUTHORITY_HOST",
  "IDENTITY_ENDPOINT",
  "IDENTITY_HEADER",
];
const supplied = new Map<string, CredentialChoice | undefined>();

/**
 * The credential the variables of one place make, when that place supplied the connection (or
 * the Key Vault reference it is read from): a `.env` file, or an `env` option (never the process
 * environment, which is DefaultAzureCredential's to read). `undefined` when it has none. The same
 * values give the same credential object for the life of the process.
 */
export function suppliedCredential(
  from: { dotenv: DotenvFile } | { env: EnvVariables },
  ca?: () => string | undefined,
): CredentialChoice | undefined {
  const where = "dotenv" in from ? from.dotenv.path : "env option";
  const vars = "dotenv" in from ? from.dotenv.vars : from.env;
  // A digest, so that the map holds no secret (the values as written: ciphertexts stay ciphertexts).
  const key = crypto().createHash("sha256")
    .update(JSON.stringify([where, ...CREDENTIAL_VARIABLES.map((n) => vars[n] ?? null)]))
    .digest("hex");
  if (!supplied.has(key)) {
    if (supplied.size >= 16) supplied.clear();
    supplied.set(key, credentialOf("dotenv" in from ? dotenvSupplier(from.dotenv) : envSupplier(from.env), ca));
  }
  return supplied.get(key);
}

function credentialOf(from: Supplier, ca: (() => string | undefined) | undefined): CredentialChoice | undefined {
  if (from.has("AZURE_TENANT_ID") && from.has("AZURE_CLIENT_ID") && from.has("AZURE_CLIENT_SECRET")) {
    const clientId = from.value("AZURE_CLIENT_ID")!;
    return {
      credential: clientSecretCredential(
        from.value("AZURE_TENANT_ID")!,
        clientId,
        from.secret("AZURE_CLIENT_SECRET"),
        from.value("AZURE_AUTHORITY_HOST"),
        ca,
      ),
      source: `client secret of application ${clientId} (AZURE_TENANT_ID, AZURE_CLIENT_ID, ` +
        `AZURE_CLIENT_SECRET from ${from.where})`,
      signInEndpoints: suppliedSignIn(from),
    };
  }
  if (from.has("IDENTITY_ENDPOINT") && from.has("IDENTITY_HEADER")) {
    const clientId = from.value("AZURE_CLIENT_ID");
    return {
      credential: new AppServiceCredential({
        endpoint: from.value("IDENTITY_ENDPOINT")!,
        header: from.secret("IDENTITY_HEADER"),
        clientId,
        source: from.where,
      }),
      source: `App Service managed identity${clientId ? ` ${clientId}` : ""} (IDENTITY_ENDPOINT, IDENTITY_HEADER ` +
        `from ${from.where})`,
      signInEndpoints: suppliedSignIn(from),
    };
  }
  return undefined;
}
