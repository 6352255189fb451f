import { clip } from "../_text.ts";
import type { Settings } from "../config/settings.ts";
import type { ConnectionInfo } from "../connection/connection_info.ts";
import { errorCodeForStatus } from "../error_codes.ts";
import { NotFoundError, RequestError, UnauthorizedError } from "../request_errors.ts";
import type { ApiKeyProvider } from "../http/api_key_policy.ts";
import { createHttpPipeline, type HttpPipeline, type HttpResponse } from "../http/http_pipeline.ts";
import type { RetryEvent } from "../http/retry_strategy.ts";
import { DEFAULT_DATA_PLANE_API_VERSION } from "./api_version.ts";
import type { ProviderStatus } from "./provider_status.ts";
import { type Quota, type QuotaInput, toQuota } from "./quota.ts";

const DATA_PLANE_SCOPE = "https://quantum.microsoft.com/.default";


/** One page of `providerStatus`. */
export interface ProviderStatusPage {
  value: ProviderStatus[];
  nextLink?: string | null;
}

/** One page of `quotas`. */
export interface QuotasPage {
  value: QuotaInput[];
  nextLink?: string | null;
}

/** What a data-plane call is for, in error messages. */
export type DataPlaneAction = "list targets" | "list quotas" | "connect";

/** Per-call options of the data-plane client. */
export interface DataPlaneCallOptions {
  signal?: AbortSignal;
  /** What the call is for, in error messages. @default "list targets" (or "list quotas") */
  action?: DataPlaneAction;
  /** Called before each retry's wait. */
  onRetry?: (event: RetryEvent) => void;
}

/**
 * The Azure Quantum data plane of one workspace: `providerStatus` (targets) and `quotas`, one HTTP
 * request per page. Auth (api key or bearer token) and retries live in the pipeline it is given.
 */
export class DataPlaneClient {
  readonly info: ConnectionInfo;
  readonly http: HttpPipeline;
  readonly apiVersion: string;
  /** What the pipeline sends: the access key, or a Microsoft Entra token (`useEntraId`, or no key). */
  readonly auth: "access key" | "Microsoft Entra ID";

  constructor(
    info: ConnectionInfo,
    http: HttpPipeline,
    apiVersion = DEFAULT_DATA_PLANE_API_VERSION,
    auth: "access key" | "Microsoft Entra ID" = info.apiKey ? "access key" : "Microsoft Entra ID",
  ) {
    this.info = info;
    this.http = http;
    this.apiVersion = apiVersion;
    this.auth = auth;
  }

  /**
   * The data plane of `settings.connection`, authenticated with `apiKey` (read on every request)
   * or, without one, with a Microsoft Entra token from `settings.credential`.
   */
  static fromSettings(settings: Settings, apiKey: ApiKeyProvider | undefined): DataPlaneClient {
    const { transport } = settings;
    const http = createHttpPipeline({
      ca: settings.dataPlaneCa,
      fetch: transport.fetch,
      retry: transport.retry,
      timeoutMs: transport.timeoutMs,
      apiKey,
      credential: apiKey ? undefined : settings.credential,
      scopes: apiKey ? undefined : DATA_PLANE_SCOPE,
    });
    return new DataPlaneClient(
      settings.connection,
      http,
      transport.apiVersion,
      apiKey ? "access key" : "Microsoft Entra ID",
    );
  }

  /** `{endpoint}subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Quantum/workspaces/{ws}` */
  get workspaceUrl(): string {
    const { endpoint, subscriptionId, resourceGroup, workspaceName } = this.info;
    const base = endpoint.endsWith("/") ? endpoint : endpoint + "/";
    return `${base}subscriptions/${encodeURIComponent(subscriptionId)}/resourceGroups/${
      encodeURIComponent(resourceGroup)
    }/providers/Microsoft.Quantum/workspaces/${encodeURIComponent(workspaceName)}`;
  }

  /** The first page's URL of `providerStatus`. */
  providerStatusUrl(): string {
    return this.#listUrl("providerStatus");
  }

  #listUrl(list: "providerStatus" | "quotas"): string {
    return `${this.workspaceUrl}/${list}?api-version=${encodeURIComponent(this.apiVersion)}`;
  }

  /** GET one page of `providerStatus` (`url` defaults to the first page). */
  providerStatusPage(url: string = this.providerStatusUrl(), options: DataPlaneCallOptions = {}): Promise<ProviderStatusPage> {
    return this.#page<ProviderStatus>(url, "a provider list", { action: "list targets", ...options });
  }

  /** GET one page of `quotas` (`url` defaults to the first page). */
  quotasPage(url: string = this.#listUrl("quotas"), options: DataPlaneCallOptions = {}): Promise<QuotasPage> {
    return this.#page<QuotaInput>(url, "a quota list", { action: "list quotas", ...options });
  }

  async #page<T>(url: string, what: string, options: DataPlaneCallOptions): Promise<{ value: T[]; nextLink: string | null }> {
    const { action = "list targets", ...rest } = options;
    const response = await this.http.send({ method: "GET", url: this.withApiVersion(url), ...rest });
    if (response.status !== 200) throw this.toError(response, action);
    const body = response.json<{ value?: T[]; nextLink?: string | null }>();
    if (!body || !Array.isArray(body.value ?? [])) {
      throw new RequestError(
        "InvalidResponse",
        `Cannot ${action === "connect" ? "list targets" : action}: the service answered 200 without ${what} (request id ${
          response.requestId ?? "none"
        }). Try again, or report the request id`,
        { statusCode: 200, requestId: response.requestId, method: "GET", url: stripQuery(url) },
      );
    }
    return { value: body.value ?? [], nextLink: body.nextLink ?? null };
  }

  // Every page of a list, following `nextLink` (only on the endpoint's own origin).
  async #listAll<T>(
    first: string,
    read: (url: string, options: DataPlaneCallOptions) => Promise<{ value: T[]; nextLink?: string | null }>,
    options: DataPlaneCallOptions,
  ): Promise<{ items: T[]; pages: number }> {
    const items: T[] = [];
    let url: string | null | undefined = first;
    let pages = 0;
    const seen = new Set<string>();
    while (url) {
      if (seen.has(url)) break; // a service that links a page to itself must not loop us forever
      seen.add(url);
      const page = await read(url, options);
      pages++;
      items.push(...page.value);
      url = page.nextLink;
      if (url) this.#checkNextLink(url, options.action ?? "list targets");
    }
    return { items, pages };
  }

  /**
   * Every provider, following `nextLink` across pages (only on the endpoint's own origin: a link
   * elsewhere is a `RequestError`). Returns the providers and the page count.
   */
  async listProviders(options: DataPlaneCallOptions = {}): Promise<{ providers: ProviderStatus[]; pages: number }> {
    const { items, pages } = await this.#listAll(
      this.providerStatusUrl(),
      (url, o) => this.providerStatusPage(url, o),
      { action: "list targets", ...options },
    );
    return { providers: items, pages };
  }

  /**
   * Every quota, following `nextLink` as {@link listProviders} does, each item made a {@link Quota}
   * (numbers as numbers). Returns the quotas and the page count.
   */
  async listQuotas(options: DataPlaneCallOptions = {}): Promise<{ quotas: Quota[]; pages: number }> {
    const { items, pages } = await this.#listAll(
      this.#listUrl("quotas"),
      (url, o) => this.quotasPage(url, o),
      { action: "list quotas", ...options },
    );
    return { quotas: items.map((q) => toQuota(q ?? {})), pages };
  }

  // The key (or token) goes with every page: never to a host the connection does not name.
  #checkNextLink(link: string, action: DataPlaneAction): void {
    let origin: string;
    try {
      origin = new URL(link, this.info.endpoint).origin;
    } catch {
      origin = "an unreadable URL";
    }
    // The emulator answers on 127.0.0.1 however the connection named its loopback host.
    const same = (o: string) => (this.info.isEmulator ? o.replace("://localhost:", "://127.0.0.1:") : o);
    if (same(origin) === same(new URL(this.info.endpoint).origin)) return;
    throw new RequestError(
      "NextLinkUntrusted",
      `Cannot ${action === "connect" ? "list targets" : action} in workspace "${this.info.workspaceName}": the service sent a next-page link ` +
        `to ${origin === "null" ? "a non-web URL" : origin.slice(0, 100)}, not to ${this.info.endpoint}, and ` +
        "this module sends the key or token nowhere else. Check the QuantumEndpoint of your connection",
      { statusCode: 200, method: "GET", url: this.workspaceUrl },
    );
  }

  // Azure keeps nextLink's query but the client's api-version wins (as the Python SDK does).
  private withApiVersion(url: string): string {
    // Every listTargets() starts from the same first-page URL: parse it once, not per call.
    if (url === this.#versioned?.[0]) return this.#versioned[1];
    const u = new URL(url, this.info.endpoint);
    u.searchParams.set("api-version", this.apiVersion);
    const versioned = u.toString();
    this.#versioned = [url, versioned];
    return versioned;
  }
  #versioned: [string, string] | undefined;

  // The service's own code of an error answer (`error.code`), if it sent one.
  #serviceCode(response: HttpResponse): string | undefined {
    const code = response.json<{ error?: { code?: unknown } }>()?.error?.code;
    return typeof code === "string" && code ? clip(code, 200) : undefined;
  }

  /** Maps a non-200 data-plane response to a typed error with an actionable message. */
  toError(response: HttpResponse, action: DataPlaneAction): RequestError {
    const { subscriptionId, resourceGroup, workspaceName } = this.info;
    const doing = action === "connect" ? `connect to workspace "${workspaceName}"` : `${action} in workspace "${workspaceName}"`;
    const details = {
      statusCode: response.status,
      requestId: response.requestId,
      method: "GET",
      url: this.workspaceUrl,
    };
    const rid = response.requestId ? ` (request id ${response.requestId})` : "";
    if (response.status === 401 || response.status === 403) {
      const serviceCode = this.#serviceCode(response);
      const scope = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Quantum/workspaces/${workspaceName}`;
      const message = this.auth === "access key"
        ? `Cannot ${doing}: the key was rejected: it may have been regenerated, ` +
          `or access keys may be disabled for this workspace (check with \`keys.status()\`)${rid}`
        : response.status === 403
        ? `Cannot ${doing}: your Microsoft Entra identity has no data role on the workspace ` +
          `(403${serviceCode ? ` ${serviceCode}` : ""})${rid}. ` +
          `Assign it "Quantum Workspace Data Contributor" (or "Quantum Workspace Data Reader") on ${scope}; ` +
          "Owner or Contributor alone does not give data access. `ws.keys.readiness()` shows who you are " +
          "signed in as, and `readiness.fix()` assigns the role"
        : `Cannot ${doing}: the Microsoft Entra token was rejected${rid}. ` +
          "Sign in again, to the workspace's tenant (az login), or check the credential";
      return new UnauthorizedError(errorCodeForStatus(response.status), message, { ...details, serviceCode });
    }
    if (response.status === 404) {
      return new NotFoundError(
        "WorkspaceNotFound",
        `Cannot ${action === "connect" ? "connect" : action}: workspace "${workspaceName}" was not found in resource group "${resourceGroup}" and ` +
          `subscription "${subscriptionId}"${rid}. Check WorkspaceName, ResourceGroupName and SubscriptionId, ` +
          "and that the QuantumEndpoint is the workspace's region",
        details,
      );
    }
    const err = response.json<{ error?: { code?: string; message?: string } }>()?.error;
    const errCode = typeof err?.code === "string" && err.code ? clip(err.code, 200) : undefined;
    const what = errCode ? `${errCode}: ${clip(String(err?.message ?? ""), 200)}` : `HTTP ${response.status}`;
    return new RequestError(
      "RequestFailed",
      `Cannot ${doing}: the service answered ${response.status} (${what})${rid}. ` +
        (response.status >= 500 || response.status === 429
          ? "The service is busy or failing; try again in a minute"
          : "Check the request options"),
      { ...details, serviceCode: errCode },
    );
  }
}

function stripQuery(url: string): string {
  return url.split("?")[0];
}
