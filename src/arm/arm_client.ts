import type { TokenCredentialLike } from "../config/credential.ts";
import type { ArmSettings } from "../config/arm_settings.ts";
import type { Settings } from "../config/settings.ts";
import type { ConnectionInfo } from "../connection/connection_info.ts";
import { type TokenIdentity, tokenIdentity } from "../connection/token_claims.ts";
import { ArmError, isNetworkError } from "../request_errors.ts";
import {
  createHttpPipeline,
  type HttpPipeline,
  type HttpRequestInit,
  type HttpResponse,
} from "../http/http_pipeline.ts";
import { type ArmErrorContext, armErrorFrom, credentialError } from "./arm_errors.ts";
import { followLro, type LroOptions, type LroOutcome } from "./arm_lro.ts";
import type { ArmKeyType, ArmListKeysResult, ArmWorkspace } from "./arm_types.ts";
import { type ListKeysResult, listKeysResultFrom } from "./list_keys_result.ts";

/** Per-call options of {@link ArmClient}. */
export interface ArmCallOptions {
  signal?: AbortSignal;
}

/** Options of {@link ArmClient.request}. */
export interface ArmRequestOptions extends ArmCallOptions {
  /** The api-version of the resource type. */
  apiVersion: string;
  /** More query parameters, e.g. `$filter`. */
  query?: Record<string, string>;
  /** A JSON body (PUT). */
  body?: unknown;
  /** What is being done, for error messages, e.g. `"list the role assignments"`. */
  action: string;
}

// Each segment percent-encoded (names may hold spaces or parentheses); the slashes kept.
function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/** What {@link ArmClient.putWorkspace} returns. */
export interface PutWorkspaceResult extends LroOutcome {
  /** The workspace as a final GET returned it. */
  workspace: ArmWorkspace;
  /** Status of the PUT itself (200 or 201). */
  putStatus: number;
}

/**
 * Azure Resource Manager for one `Microsoft.Quantum/workspaces` resource: GET, PUT (a long-running
 * operation, followed to the end), `listKeys` and `regenerateKey`. Bearer tokens come from the
 * credential (DefaultAzureCredential by default, imported lazily); errors are {@link ArmError}s
 * with the ARM code, request id and a hint. Keys leave this client only as `Secret`s.
 */
export class ArmClient {
  readonly info: ConnectionInfo;
  readonly settings: ArmSettings;
  readonly http: HttpPipeline;
  readonly #credential: TokenCredentialLike;
  #credentialFailure: unknown;

  /** @throws {ConfigurationError} when the ARM endpoint or its CA is unusable (`settings.arm`). */
  constructor(settings: Settings) {
    this.info = settings.connection;
    this.settings = settings.arm;
    const { credential: given, transport } = settings;
    this.#credential = given;
    // The pipeline turns a failed getToken into a generic error; remember it to explain it.
    const credential: TokenCredentialLike = {
      getToken: async (scopes, getTokenOptions) => {
        try {
          return await given.getToken(scopes, getTokenOptions);
        } catch (e) {
          this.#credentialFailure = e;
          throw e;
        }
      },
    };
    this.http = createHttpPipeline({
      ca: this.settings.ca,
      fetch: transport.armFetch,
      retry: transport.retry,
      timeoutMs: transport.timeoutMs,
      credential,
      scopes: this.settings.scope,
    });
  }

  /** `{arm}/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Quantum/workspaces/{ws}` */
  get resourceUrl(): string {
    return this.settings.endpoint + encodePath(this.resourceId);
  }

  /**
   * The workspace's Azure resource id (`/subscriptions/…/workspaces/{ws}`): the scope role
   * assignments name.
   */
  get resourceId(): string {
    const { subscriptionId, resourceGroup, workspaceName } = this.info;
    return `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Quantum/workspaces/${workspaceName}`;
  }

  /**
   * A request for another resource of the same Resource Manager (role assignments and
   * definitions): `path` is a resource id path, sent to this client's endpoint (never elsewhere)
   * with the same token, retries and error mapping. Returns the parsed body of a 2xx answer.
   */
  async request<T>(
    method: "GET" | "PUT" | "DELETE",
    path: string,
    options: ArmRequestOptions,
  ): Promise<{ status: number; body: T | undefined }> {
    if (!path.startsWith("/") || /[?#]/.test(path)) {
      throw new RangeError(`Cannot ${options.action}: "${path.slice(0, 120)}" is not a resource id path`);
    }
    // `$filter` is sent as ARM's own clients send it (the `$` not escaped).
    const query = Object.entries({ "api-version": options.apiVersion, ...options.query })
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
    const url = `${this.settings.endpoint}${encodePath(path)}?${query}`;
    const res = await this.#call(
      { method, url, body: options.body, signal: options.signal },
      options.action,
    );
    return { status: res.status, body: res.json<T>() };
  }

  /**
   * Who the credential signs in as for Resource Manager: the claims of an ARM token (name, object
   * id, tenant), read for display; the token is not kept. `undefined` when the token is not a
   * JWT naming a principal.
   *
   * @throws {ArmError} `CredentialUnavailable` / `CredentialFailed` with how to sign in.
   */
  async signedInAs(options: ArmCallOptions = {}): Promise<TokenIdentity | undefined> {
    const action = "check the Microsoft Entra sign-in";
    let token: { token: string } | null;
    try {
      token = await this.#credential.getToken(this.settings.scope, { abortSignal: options.signal });
    } catch (e) {
      options.signal?.throwIfAborted();
      throw credentialError(e, action, this.info.workspaceName);
    }
    if (!token) {
      throw credentialError(
        { name: "CredentialUnavailableError", message: "the credential returned no token" },
        action,
        this.info.workspaceName,
      );
    }
    return tokenIdentity(token.token);
  }

  #url(suffix = ""): string {
    return `${this.resourceUrl}${suffix}?api-version=${
      encodeURIComponent(this.settings.apiVersion)
    }`;
  }

  #context(action: string, method: string, url: string): ArmErrorContext {
    const { subscriptionId, resourceGroup, workspaceName } = this.info;
    return { action, workspaceName, resourceGroup, subscriptionId, method, url: url.split("?")[0] };
  }

  async #send(init: HttpRequestInit, action: string): Promise<HttpResponse> {
    this.#credentialFailure = undefined;
    const abortedBefore = init.signal?.aborted === true;
    try {
      return await this.http.send(init);
    } catch (e) {
      if (this.#credentialFailure !== undefined && !init.signal?.aborted) {
        throw credentialError(this.#credentialFailure, action, this.info.workspaceName);
      }
      // Aborting a change in flight does not stop ARM: say so, rather than only "aborted".
      if (!abortedBefore && init.signal?.aborted && init.method !== "GET" && !init.idempotent) {
        throw abortedChange(init, action, this.info.workspaceName);
      }
      throw e;
    }
  }

  async #call(init: HttpRequestInit, action: string): Promise<HttpResponse> {
    const res = await this.#send(init, action);
    if (res.status >= 200 && res.status < 300) return res;
    throw armErrorFrom(res, this.#context(action, init.method, init.url));
  }

  /** `GET {P}`: the workspace resource. */
  async getWorkspace(options: ArmCallOptions = {}): Promise<ArmWorkspace> {
    const res = await this.#call(
      { method: "GET", url: this.#url(), signal: options.signal },
      "read the settings",
    );
    return res.json<ArmWorkspace>() ?? { location: this.info.location };
  }

  /**
   * `PUT {P}` with the whole resource, then follows the long-running operation (200 or 201;
   * `Azure-AsyncOperation` or `Location`, honouring `Retry-After`) and GETs the result.
   */
  async putWorkspace(
    body: ArmWorkspace,
    options: ArmCallOptions & LroOptions & { action?: string } = {},
  ): Promise<PutWorkspaceResult> {
    const action = options.action ?? "update the settings";
    const url = this.#url();
    const first = await this.#call({ method: "PUT", url, body, signal: options.signal }, action);
    const outcome = await followLro(
      first,
      (statusUrl, signal) =>
        this.#call({ method: "GET", url: statusUrl, signal }, `follow the update`),
      {
        origin: this.settings.endpoint,
        resourceUrl: url,
        error: this.#context(action, "PUT", url),
      },
      options,
    );
    const workspace = await this.getWorkspace({ signal: options.signal });
    return { ...outcome, workspace, putStatus: first.status };
  }

  /** `POST {P}/listKeys`: both keys (as `Secret`s), `apiKeyEnabled` and the connection strings. */
  async listKeys(options: ArmCallOptions = {}): Promise<ListKeysResult> {
    const res = await this.#call(
      // Read-only: safe to send again when the connection drops.
      { method: "POST", url: this.#url("/listKeys"), signal: options.signal, idempotent: true },
      "list the access keys",
    );
    return listKeysResultFrom(res.json<ArmListKeysResult>(), this.info.workspaceName);
  }

  /**
   * `POST {P}/regenerateKey` with `{"keys":[…]}`; any 2xx is success (204 expected). A dropped
   * connection is not retried (the POST may have run): it throws a `NetworkError` without status.
   */
  async regenerateKey(keys: readonly ArmKeyType[], options: ArmCallOptions = {}): Promise<void> {
    if (keys.length === 0) {
      throw new RangeError("Cannot regenerate keys: no key named. Pass Primary and/or Secondary");
    }
    await this.#call(
      { method: "POST", url: this.#url("/regenerateKey"), body: { keys }, signal: options.signal },
      `regenerate the ${keys.join(" and ").toLowerCase()} key`,
    );
  }
}

function abortedChange(init: HttpRequestInit, action: string, workspaceName: string): ArmError {
  return new ArmError(
    "RequestAborted",
    `Cannot ${action} of workspace "${workspaceName}": the request was aborted after it was sent, ` +
      "so Azure Resource Manager may still carry it out. Check with `keys.status()` before trying again",
    { method: init.method, url: init.url.split("?")[0], cause: init.signal?.reason },
  );
}

/**
 * True when `error` says the connection dropped before any response: the request may or may not
 * have reached the service.
 */
export function isDroppedRequest(error: unknown): boolean {
  return isNetworkError(error) && error.statusCode === undefined;
}
