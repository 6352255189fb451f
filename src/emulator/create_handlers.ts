import { randomBytes } from "node:crypto";
import { Secret } from "../connection/secret.ts";
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
import { DeviceCodeStore } from "./device_codes.ts";
import { FaultInjector, type FaultRule } from "./faults.ts";
import { type Handler, withPipeline } from "./handler.ts";
import { IDENTITY_PATH, identityRoutes } from "./identity_routes.ts";
import { loginRoutes } from "./login_routes.ts";
import { defaultPrincipals, type PrincipalInit } from "./principals.ts";
import { RbacStore } from "./rbac.ts";
import type { DataPlaneAuthorization } from "./rbac_state.ts";
import { type AssignRoleOptions, createRbacControl, scopeId } from "./rbac_control.ts";
import { findRole } from "./role_definitions.ts";
import { RequestLog } from "./request_log.ts";
import type { EmulatorProvider, EmulatorQuota } from "./sample_providers.ts";
import { EmulatorStore, type PersistentState } from "./store.ts";
import { TokenIssuer } from "./tokens.ts";
import { createVault } from "./vault.ts";
import type { VaultRole } from "./vault_constants.ts";

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
  /** Delay before a new role assignment counts on the data plane, in ms. @default 0 */
  rolePropagationDelayMs?: number;
  /** How long a PUT's operation stays `Accepted`, in ms. @default 0 */
  lroDurationMs?: number;
  /** `Retry-After` of a PUT's 201, in seconds. @default none (Azure's recorded 201 has none) */
  lroRetryAfterSeconds?: number;
  /** Added to every response, in ms. @default 0 */
  latencyMs?: number;
  /** Initial fault rules. @default [] */
  faults?: FaultRule[];
  /**
   * Role of the emulator identity, assigned on the resource group (the workspace inherits it).
   * @default "Contributor"
   */
  role?: Role;
  /**
   * How the data plane authorizes Microsoft Entra callers: `"dataRoles"` (a Quantum Workspace
   * Data Reader/Contributor assignment is required, Azure's rule from 2027-01-11) or
   * `"controlPlaneRoles"` (Owner/Contributor/Reader also suffice, the older rule).
   * @default "dataRoles"
   */
  dataPlaneAuthorization?: DataPlaneAuthorization;
  /**
   * Principals added to the default directory (the managed identity, Ada Lovelace, quantum-ci).
   * Ignored when `state` (a state file) holds RBAC already, as are `roleAssignments`.
   */
  principals?: PrincipalInit[];
  /** Role assignments made at start, after the defaults (role name or GUID, principal, scope). */
  roleAssignments?: (AssignRoleOptions & { role: string })[];
  /** The identity the token endpoint issues tokens for. @default the EMULATOR_* ids, 3600 s */
  identity?: Partial<EmulatorIdentity>;
  /** Clock. @default Date.now */
  now?: () => number;
  /**
   * Keys, enabled flag, tags, vault secrets and RBAC to start from (what a state file holds).
   * @default fresh keys, no secrets, the default directory
   */
  state?: PersistentState;
  /** Called with the new state after every change of keys, enabled flag, tags, vault secrets or RBAC. */
  onStateChange?: (state: PersistentState) => void;
  /** The `IDENTITY_HEADER` secret. @default 32 random bytes, base64url */
  identityHeader?: string;
  /** Roles of the emulator identity on the emulated Key Vault. @default ["Key Vault Secrets Officer"] */
  vaultRoles?: readonly VaultRole[];
  /** How many requests the request log keeps (the oldest go first). @default 1000 */
  requestLogSize?: number;
}

/** The pure handlers plus what drives them. */
export interface EmulatorHandlers {
  /** The data plane's request handler. */
  dataPlane: Handler;
  /** Azure Resource Manager's request handler. */
  arm: Handler;
  /** The managed-identity token endpoint's request handler. */
  identity: Handler;
  /** The emulated Key Vault's secrets data plane. */
  vault: Handler;
  /** The Microsoft Entra authority endpoints (device-code sign-in). */
  login: Handler;
  /** Runtime knobs, keys, roles, faults and the request log. */
  control: EmulatorControl;
  /**
   * The state the handlers share.
   *
   * @internal
   */
  context: EmulatorContext;
  /** What a state file holds now: keys, enabled flag, tags, the vault's secrets and RBAC. */
  snapshot(): PersistentState;
}

const DEFAULT_URLS: EmulatorUrls = {
  dataPlane: "https://127.0.0.1/",
  arm: "https://127.0.0.1",
  identity: `http://127.0.0.1${IDENTITY_PATH}`,
  vault: "https://127.0.0.1/",
  login: "https://127.0.0.1",
};

/**
 * Everything a state file holds for `ctx`: keys, enabled flag, tags, the vault's secrets and RBAC.
 * The one snapshot both the state-file writer and {@link EmulatorHandlers.snapshot} use.
 */
export function persistentState(ctx: EmulatorContext): PersistentState {
  return {
    ...ctx.store.snapshot(),
    vault: ctx.vault.store.snapshot(),
    rbac: ctx.rbac.snapshot(),
  };
}

/**
 * Builds the emulator's pure handlers (`(req: Request) => Promise<Response>`: data plane, ARM,
 * identity, vault, login) over one state, without opening a socket, for tests: call a handler
 * with a `Request` and read the `Response`.
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
  // Every change (keys, tags, vault secrets, RBAC) hands the whole state to onStateChange, once the
  // handlers exist: the seeded directory is the initial state, not a change.
  let ready = false;
  const persist = () => ready && options.onStateChange?.(persistentState(context));
  const fresh = !options.state?.rbac;
  const base: Omit<EmulatorContext, "vault"> = {
    store: new EmulatorStore({
      state: options.state,
      providers: options.providers ? structuredClone(options.providers) : undefined,
      quotas: options.quotas,
      pageSize: options.pageSize,
      knobs: {
        keyPropagationDelayMs: options.keyPropagationDelayMs ?? 0,
        rolePropagationDelayMs: options.rolePropagationDelayMs ?? 0,
        lroDurationMs: options.lroDurationMs ?? 0,
        lroRetryAfterSeconds: options.lroRetryAfterSeconds,
        latencyMs: options.latencyMs ?? 0,
      },
      onChange: options.onStateChange && persist,
    }, now()),
    tokens: new TokenIssuer(),
    faults,
    log: new RequestLog(options.requestLogSize),
    now,
    urls: { ...urls },
    workspace: {
      subscriptionId: EMULATOR_SUBSCRIPTION_ID,
      resourceGroup: EMULATOR_RESOURCE_GROUP,
      workspaceName: EMULATOR_WORKSPACE_NAME,
      location: EMULATOR_LOCATION,
    },
    identity,
    rbac: new RbacStore(
      options.state?.rbac ?? {
        principals: defaultPrincipals(),
        roleAssignments: [],
        dataPlaneAuthorization: "dataRoles",
      },
      persist,
    ),
    deviceCodes: new DeviceCodeStore(),
    identityHeader: new Secret(options.identityHeader ?? randomBytes(32).toString("base64url")),
  };
  const context: EmulatorContext = Object.assign(base, {
    vault: createVault({
      tokens: base.tokens,
      now,
      url: () => base.urls.vault,
      identity: base.identity,
      workspace: base.workspace,
    }, { state: options.state?.vault, onChange: persist, roles: options.vaultRoles }),
  });
  if (fresh) seedDirectory(context, options);
  const control = createControl(context);
  // Validate the numeric options once, through the same setters the control API offers.
  control.setKeyPropagationDelay(context.store.knobs.keyPropagationDelayMs);
  control.setRolePropagationDelay(context.store.knobs.rolePropagationDelayMs);
  control.setLro({
    durationMs: context.store.knobs.lroDurationMs,
    retryAfterSeconds: context.store.knobs.lroRetryAfterSeconds,
  });
  control.setLatency(context.store.knobs.latencyMs);
  control.setPageSize(options.pageSize);
  if (options.role) control.setRole(options.role);
  // Through the setter, which validates it; over a state file's value too.
  if (options.dataPlaneAuthorization !== undefined) {
    context.rbac.setDataPlaneAuthorization(options.dataPlaneAuthorization);
  }
  ready = true;
  return {
    dataPlane: withPipeline("dataPlane", dataPlaneRoutes(context), context),
    arm: withPipeline("arm", armRoutes(context), context),
    identity: withPipeline("identity", identityRoutes(context), context),
    vault: withPipeline("vault", context.vault.routes, context),
    login: withPipeline("login", loginRoutes(context), context),
    control,
    context,
    snapshot: () => persistentState(context),
  };
}

// The default directory's assignments, at three levels so listings show inherited ones: Ada
// Lovelace owns the subscription, the emulator identity is a Contributor on the resource group
// (the `role` option), quantum-ci a Contributor on the workspace; nobody holds a data role yet.
function seedDirectory(ctx: EmulatorContext, options: EmulatorHandlerOptions): void {
  const rbac = createRbacControl(ctx);
  for (const p of options.principals ?? []) rbac.addPrincipal(p);
  const [, user, app] = defaultPrincipals();
  const id = ctx.identity.principalId;
  ctx.rbac.assign({
    scope: scopeId(ctx, "resourceGroup"),
    roleDefinitionId: findRole("Contributor")!.id,
    principalId: id,
    principalType: ctx.rbac.principal(id)?.type ?? "ServicePrincipal",
  }, ctx.now());
  rbac.assignRole("Owner", { principalId: user!.objectId, scope: "subscription" });
  rbac.assignRole("Contributor", { principalId: app!.objectId });
  for (const { role, ...at } of options.roleAssignments ?? []) rbac.assignRole(role, at);
}
