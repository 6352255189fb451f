import { randomBytes } from "node:crypto";
import { armRoutes } from "./arm_routes.ts";
import {
  EMULATOR_CLIENT_ID,
  EMULATOR_LOCATION,
  EMULATOR_PRINCIPAL_ID,
  EMULATOR_RESOURCE_GROUP,
  EMULATOR_SUBSCRIPTION_ID,
  EMULATOR_TENANT_ID,
  EMULATOR_WORKSPACE_NAME,
} from "./constants.ts";
import type { EmulatorContext, EmulatorIdentity, EmulatorUrls, Role } from "./context.ts";
import { createControl, type EmulatorControl } from "./control.ts";
import { dataPlaneRoutes } from "./data_plane_routes.ts";
import { FaultInjector, type FaultRule } from "./faults.ts";
import { type Handler, withPipeline } from "./handler.ts";
import { IDENTITY_PATH, identityRoutes } from "./identity_routes.ts";
import { RequestLog } from "./request_log.ts";
import type { EmulatorProvider, EmulatorQuota } from "./sample_providers.ts";
import { EmulatorStore, type PersistentState } from "./store.ts";
import { TokenIssuer } from "./tokens.ts";

/** Options shared by {@link createEmulatorHandlers} and `startEmulator`. */
export interface EmulatorHandlerOptions {
  /** Providers and targets of `providerStatus`. @default sampleProviders() */
  providers?: EmulatorProvider[];
  /** Quotas of `…/quotas`. @default sampleQuotas() */
  quotas?: EmulatorQuota[];
  /** Items per data-plane page; more items are reached through `nextLink`. @default one page */
  pageSize?: number;
  /** Delay before enabling/disabling keys reaches the data plane, in ms. @default 0 */
  keyPropagationDelayMs?: number;
  /** How long a PUT's operation stays `Accepted`, in ms. @default 0 */
  lroDurationMs?: number;
  /** `Retry-After` of a PUT's 201, in seconds. @default 1 */
  lroRetryAfterSeconds?: number;
  /** Added to every response, in ms. @default 0 */
  latencyMs?: number;
  /** Initial fault rules. @default [] */
  faults?: FaultRule[];
  /** Role of the emulator identity on the workspace. @default "Contributor" */
  role?: Role;
  /** The identity the token endpoint issues tokens for. @default the EMULATOR_* ids, 3600 s */
  identity?: Partial<EmulatorIdentity>;
  /** Clock. @default Date.now */
  now?: () => number;
  /** Keys, enabled flag and tags to start from (what a state file holds). @default fresh keys */
  state?: PersistentState;
  /** Called with the new state after every change of keys, enabled flag or tags. */
  onStateChange?: (state: PersistentState) => void;
  /** The `IDENTITY_HEADER` secret. @default 32 random bytes, base64url */
  identityHeader?: string;
}

/** The three pure handlers plus what drives them. */
export interface EmulatorHandlers {
  /** The data plane's request handler. */
  dataPlane: Handler;
  /** Azure Resource Manager's request handler. */
  arm: Handler;
  /** The managed-identity token endpoint's request handler. */
  identity: Handler;
  /** Runtime knobs, keys, roles, faults and the request log. */
  control: EmulatorControl;
  /**
   * The state the handlers share.
   *
   * @internal
   */
  context: EmulatorContext;
}

const DEFAULT_URLS: EmulatorUrls = {
  dataPlane: "https://127.0.0.1/",
  arm: "https://127.0.0.1",
  identity: `http://127.0.0.1${IDENTITY_PATH}`,
};

/**
 * Builds the emulator's three pure handlers (`(req: Request) => Promise<Response>`) over one state,
 * without opening a socket, for tests: call a handler with a `Request` and read the `Response`.
 * A handler throws `DropConnection` where a socket would be dropped.
 *
 * @param options Workspace content and knobs.
 * @param urls The URLs the handlers believe they are served at (used in `endpointUri`, `nextLink`,
 *   `Azure-AsyncOperation` and connection strings). `startEmulator` passes the real ones.
 * @returns Handlers, control API and context.
 *
 * @example Usage
 * ```ts
 * import { createEmulatorHandlers } from "azure-quantum-notebook/emulator";
 * const { dataPlane, control } = createEmulatorHandlers();
 * const url = "https://127.0.0.1/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/emulator-rg" +
 *   "/providers/Microsoft.Quantum/workspaces/emulator-ws/providerStatus?api-version=2025-12-01-preview";
 * const res = await dataPlane(new Request(url, { headers: { "x-ms-quantum-api-key": control.keys().primary.reveal() } }));
 * res.status; // 200
 * ```
 */
export function createEmulatorHandlers(
  options: EmulatorHandlerOptions = {},
  urls: EmulatorUrls = DEFAULT_URLS,
): EmulatorHandlers {
  const now = options.now ?? Date.now;
  const identity: EmulatorIdentity = {
    principalId: EMULATOR_PRINCIPAL_ID,
    clientId: EMULATOR_CLIENT_ID,
    tenantId: EMULATOR_TENANT_ID,
    tokenLifetimeSeconds: 3600,
    ...options.identity,
  };
  const faults = new FaultInjector();
  faults.set(options.faults ?? []);
  const context: EmulatorContext = {
    store: new EmulatorStore({
      state: options.state,
      providers: options.providers ? structuredClone(options.providers) : undefined,
      quotas: options.quotas,
      pageSize: options.pageSize,
      knobs: {
        keyPropagationDelayMs: options.keyPropagationDelayMs ?? 0,
        lroDurationMs: options.lroDurationMs ?? 0,
        lroRetryAfterSeconds: options.lroRetryAfterSeconds ?? 1,
        latencyMs: options.latencyMs ?? 0,
      },
      onChange: options.onStateChange,
    }, now()),
    tokens: new TokenIssuer(),
    faults,
    log: new RequestLog(),
    now,
    urls: { ...urls },
    workspace: {
      subscriptionId: EMULATOR_SUBSCRIPTION_ID,
      resourceGroup: EMULATOR_RESOURCE_GROUP,
      workspaceName: EMULATOR_WORKSPACE_NAME,
      location: EMULATOR_LOCATION,
    },
    identity,
    roles: new Map([[identity.principalId, options.role ?? "Contributor"]]),
    identityHeader: options.identityHeader ?? randomBytes(32).toString("base64url"),
  };
  const control = createControl(context);
  // Validate the numeric options once, through the same setters the control API offers.
  control.setKeyPropagationDelay(context.store.knobs.keyPropagationDelayMs);
  control.setLro({
    durationMs: context.store.knobs.lroDurationMs,
    retryAfterSeconds: context.store.knobs.lroRetryAfterSeconds,
  });
  control.setLatency(context.store.knobs.latencyMs);
  control.setPageSize(options.pageSize);
  if (options.role) control.setRole(options.role);
  return {
    dataPlane: withPipeline("dataPlane", dataPlaneRoutes(context), context),
    arm: withPipeline("arm", armRoutes(context), context),
    identity: withPipeline("identity", identityRoutes(context), context),
    control,
    context,
  };
}
