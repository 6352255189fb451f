/**
 * A managed-identity credential in App Service's protocol, from explicit values: the
 * `IDENTITY_ENDPOINT` and `IDENTITY_HEADER` of a `.env` file (what the emulator's `--write-env`
 * writes, and what App Service sets). `@azure/identity`'s `ManagedIdentityCredential` cannot be
 * given them: MSAL reads `process.env` when a token is first asked for and keeps the source it
 * found (endpoint and header) in a static field for the life of the process, so a second emulator
 * or a `.env` read later would never be used. The protocol is one GET (see
 * `src/emulator/identity_routes.ts` for the emulator's side).
 *
 * @module
 */

import { LOCAL_HOSTS } from "../connection/quantum_endpoint.ts";
import { isSecret, Secret } from "../connection/secret.ts";
import { RequestError } from "../request_errors.ts";
import type { FetchLike } from "./client_options.ts";
import type { TokenCredentialLike } from "./credential.ts";

/** The api-version App Service's token endpoint speaks (what MSAL Node's `AppService` sends). */
const APP_SERVICE_API_VERSION = "2019-08-01";
// A token this close to expiry is fetched again.
const REFRESH_MS = 5 * 60_000;
const TIMEOUT_MS = 15_000;

/** Options of {@link AppServiceCredential}. */
export interface AppServiceCredentialOptions {
  /** `IDENTITY_ENDPOINT`: `https://…`, or `http://` on loopback or link-local (App Service's own). */
  endpoint: string;
  /**
   * `IDENTITY_HEADER`, sent as `X-IDENTITY-HEADER`; a function is called when a token is first
   * asked for (an encrypted `.env` is decrypted then, not at connect).
   */
  header: string | Secret | (() => Secret);
  /** A user-assigned identity's client id (`AZURE_CLIENT_ID` next to the identity variables). */
  clientId?: string;
  /** Where the values came from, for messages, e.g. `.env /repo/.env`. */
  source?: string;
  /** @default globalThis.fetch */
  fetch?: FetchLike;
  /** @default Date.now */
  now?: () => number;
}

interface Cached {
  token: string;
  expiresOnTimestamp: number;
}

// Plain HTTP carries the identity header in clear: only to this machine (loopback), or to App
// Service's own link-local address.
function insecureHost(url: URL): boolean {
  if (url.protocol === "https:") return false;
  return !(LOCAL_HOSTS.has(url.hostname) || /^169\.254\.\d+\.\d+$/.test(url.hostname));
}

function expiresAt(value: unknown, now: number): number {
  const n = Number(value);
  if (Number.isFinite(n) && n > 0) return n * 1000;
  const parsed = Date.parse(String(value));
  return Number.isFinite(parsed) ? parsed : now + 60_000;
}

/**
 * A `TokenCredential` that asks an App Service-style managed-identity endpoint for tokens, with the
 * endpoint and header it was given (never `process.env`). Tokens are cached per resource until
 * five minutes before they expire. Failures are `RequestError`s with code `CredentialUnavailable`
 * (no answer, or an endpoint that would get the header over plain HTTP off this machine) or
 * `CredentialFailed` (an error answer); neither shows the header or a token.
 */
export class AppServiceCredential implements TokenCredentialLike {
  readonly #endpoint: string;
  readonly #header: () => Secret;
  readonly #clientId: string | undefined;
  readonly #source: string;
  readonly #fetch: FetchLike | undefined;
  readonly #now: () => number;
  readonly #cache = new Map<string, Cached>();
  readonly #pending = new Map<string, Promise<Cached>>();

  /** A credential for the identity endpoint and header in `options`. */
  constructor(options: AppServiceCredentialOptions) {
    this.#endpoint = options.endpoint;
    const header = options.header;
    const fixed = typeof header === "function" ? undefined : isSecret(header) ? header : new Secret(header);
    this.#header = typeof header === "function" ? header : () => fixed!;
    this.#clientId = options.clientId;
    this.#source = options.source ?? "the identity variables";
    this.#fetch = options.fetch;
    this.#now = options.now ?? Date.now;
  }

  /** A token for the resource of `scopes` (`https://management.azure.com/.default` → `https://management.azure.com`). */
  async getToken(
    scopes: string | string[],
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<{ token: string; expiresOnTimestamp: number }> {
    const scope = [scopes].flat()[0] ?? "";
    const resource = scope.replace(/\/\.default$/, "");
    const cached = this.#cache.get(resource);
    if (cached && cached.expiresOnTimestamp - this.#now() > REFRESH_MS) return { ...cached };
    let pending = this.#pending.get(resource);
    if (!pending) {
      pending = this.#request(resource, options.abortSignal).finally(() => this.#pending.delete(resource));
      this.#pending.set(resource, pending);
    }
    const fresh = await pending;
    this.#cache.set(resource, fresh);
    return { ...fresh };
  }

  async #request(resource: string, signal: AbortSignal | undefined): Promise<Cached> {
    let url: URL;
    try {
      url = new URL(this.#endpoint);
    } catch {
      url = new URL("invalid:");
    }
    const shown = url.protocol.startsWith("http") ? `${url.origin}${url.pathname}` : "an unreadable URL";
    if (!url.protocol.startsWith("http") || insecureHost(url)) {
      throw new RequestError(
        "CredentialUnavailable",
        `Cannot get a managed-identity token: IDENTITY_ENDPOINT from ${this.#source} is ${shown}, ` +
          "which would receive the identity header over plain HTTP off this machine. Use an https URL, or the loopback endpoint the emulator writes",
        { method: "GET", url: shown },
      );
    }
    url.searchParams.set("api-version", APP_SERVICE_API_VERSION);
    url.searchParams.set("resource", resource);
    if (this.#clientId) url.searchParams.set("client_id", this.#clientId);
    const timeout = AbortSignal.timeout(TIMEOUT_MS);
    const any = (AbortSignal as { any?: (s: AbortSignal[]) => AbortSignal }).any;
    const aborted = signal && any ? any([signal, timeout]) : signal ?? timeout;
    let response: Response;
    try {
      response = await (this.#fetch ?? fetch)(
        new Request(url, { headers: { "X-IDENTITY-HEADER": this.#header().reveal() }, signal: aborted }),
      );
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      throw new RequestError(
        "CredentialUnavailable",
        `Cannot get a managed-identity token: ${shown} (IDENTITY_ENDPOINT from ${this.#source}) does not answer ` +
          `(${(e as Error)?.name ?? "error"}). Start the emulator that wrote these variables again, or remove them to use DefaultAzureCredential`,
        { method: "GET", url: shown },
      );
    }
    const body = await response.json().catch(() => undefined) as
      | { access_token?: unknown; expires_on?: unknown; error?: { message?: unknown } | string; message?: unknown }
      | undefined;
    if (response.status !== 200 || typeof body?.access_token !== "string" || !body.access_token) {
      throw new RequestError(
        "CredentialFailed",
        `Cannot get a managed-identity token: ${shown} (IDENTITY_ENDPOINT from ${this.#source}) answered ` +
          `${response.status}${response.status === 200 ? " without a token" : ""}. ` +
          (response.status === 401
            ? "The IDENTITY_HEADER does not match that endpoint's: use the env file its emulator wrote"
            : "Check the identity variables, or remove them to use DefaultAzureCredential"),
        { statusCode: response.status, method: "GET", url: shown },
      );
    }
    return { token: body.access_token, expiresOnTimestamp: expiresAt(body.expires_on, this.#now()) };
  }
}
