import { Secret } from "../connection/secret.ts";
import { ARM_AUDIENCE } from "./constants.ts";
import type { EmulatorContext, EmulatorIdentity, Role } from "./context.ts";
import type { FaultRule } from "./faults.ts";
import { nonNegative, positiveInteger } from "./knob_values.ts";
import { AZURE_CLI_CLIENT_ID } from "./principals.ts";
import { workspaceResourceId } from "./paths.ts";
import { createRbacControl, type RbacControl, scopeId } from "./rbac_control.ts";
import type { RequestLogEntry, RequestLogFilter } from "./request_log.ts";
import type { EmulatorProvider } from "./sample_providers.ts";
import type { KeyName } from "./store.ts";
import type { VaultControl } from "./vault.ts";

/** The workspace's keys, as {@link EmulatorControl.keys} reports them. */
export interface EmulatorKeys {
  /** The primary key. */
  primary: Secret;
  /** The secondary key. */
  secondary: Secret;
  /** When the primary key was made (ISO 8601). */
  primaryCreatedAt: string;
  /** When the secondary key was made (ISO 8601). */
  secondaryCreatedAt: string;
  /** ARM's view (`apiKeyEnabled`). */
  enabled: boolean;
  /** The data plane's view, which lags `enabled` by the key propagation delay. */
  dataPlaneEnabled: boolean;
}

/** Options of {@link EmulatorControl.issueToken}. */
export interface IssueTokenOptions {
  /** The token's audience. @default "https://management.azure.com" */
  audience?: string;
  /** Negative: already expired. @default the identity's tokenLifetimeSeconds */
  lifetimeSeconds?: number;
  /**
   * Whose token: the emulator identity gets the token endpoint's claims (its current client and
   * tenant); another principal of the emulator's directory gets its own (a user: `name`, `upn`,
   * `idtyp: "user"`; a service principal: its `appid`); any other id gets an app token.
   * @default the emulator identity's principal id
   */
  principalId?: string;
  /** The `appid` of a user's token (the client they signed in with). @default the Azure CLI's */
  clientId?: string;
}

/**
 * The runtime control API of a running emulator (no HTTP involved).
 *
 * @example Usage
 * ```ts
 * import { startEmulator } from "azure-quantum-notebook/emulator";
 * const emulator = await startEmulator();
 * emulator.control.setRole("Reader");
 * emulator.control.setFaults([{ fault: 429, count: 2, listener: "dataPlane" }]);
 * await emulator.stop();
 * ```
 */
export interface EmulatorControl extends RbacControl {
  /** Current keys (as `Secret`s) and whether they are enabled. */
  keys(): EmulatorKeys;
  /** Enables or disables keys at once (no LRO); the data plane follows after the propagation delay. */
  setKeysEnabled(enabled: boolean): void;
  /** Regenerates keys as `regenerateKey` does (even while disabled). */
  regenerateKeys(which: KeyName | "both"): void;
  /**
   * Makes `role` the only Owner/Contributor/Reader assignment of `principalId` (default: the
   * emulator identity), at the resource group (inherited by the workspace, as a developer's role
   * usually is); `"None"` removes them. Data roles are left alone.
   */
  setRole(role: Role, principalId?: string): void;
  /** Changes the identity the token endpoint issues tokens for, or their lifetime. */
  setIdentity(identity: Partial<EmulatorIdentity>): void;
  /** Signs a token as the token endpoint would, e.g. for a wrong audience or already expired. */
  issueToken(options?: IssueTokenOptions): Secret;
  /** Replaces the fault rules. */
  setFaults(rules: readonly FaultRule[]): void;
  /** Adds a fault rule after the existing ones. */
  addFault(rule: FaultRule): void;
  /** The active fault rules, with the hits they have left. */
  faults(): FaultRule[];
  /** How long the data plane keeps honouring old keys after a change, in ms. */
  setKeyPropagationDelay(ms: number): void;
  /** How long a new role assignment takes to count on the data plane, in ms (Azure: minutes). */
  setRolePropagationDelay(ms: number): void;
  /** `retryAfterSeconds: null` sends no `Retry-After` again (the default, as Azure's recorded 201). */
  setLro(options: { durationMs?: number; retryAfterSeconds?: number | null }): void;
  /** Latency added to every answer, in ms. */
  setLatency(ms: number): void;
  /** Replaces the providers (`pageSize`: items per page, `undefined` for one page). */
  setProviders(providers: readonly EmulatorProvider[], options?: { pageSize?: number }): void;
  /** providerStatus page size; `undefined` for one page. */
  setPageSize(pageSize: number | undefined): void;
  /** Requests received so far (secret headers removed), optionally filtered. */
  requestLog(filter?: RequestLogFilter): RequestLogEntry[];
  /** How many requests match `filter` in the log. */
  requestCount(filter?: RequestLogFilter): number;
  /** Empties the request log. */
  resetLog(): void;
  /** The emulated Key Vault: secrets and role assignments at vault scope. */
  vault: VaultControl;
}

const ROLES: readonly Role[] = ["Owner", "Contributor", "Reader", "None"];

const pageSizeOf = (pageSize: number | undefined) =>
  pageSize === undefined ? undefined : positiveInteger("pageSize", pageSize);

/**
 * Builds the control API over an emulator context.
 *
 * @param ctx The shared emulator context.
 * @returns The control API.
 */
export function createControl(ctx: EmulatorContext): EmulatorControl {
  const { store } = ctx;
  return {
    keys() {
      const now = ctx.now();
      store.settle(now);
      return {
        primary: store.keys.primary.key,
        secondary: store.keys.secondary.key,
        primaryCreatedAt: store.keys.primary.createdAt,
        secondaryCreatedAt: store.keys.secondary.createdAt,
        enabled: store.apiKeyEnabled,
        dataPlaneEnabled: store.dataPlaneKeysEnabled(now),
      };
    },
    setKeysEnabled: (enabled) => store.apply({ apiKeyEnabled: enabled }, ctx.now()),
    regenerateKeys: (which) =>
      store.regenerate(which === "both" ? ["primary", "secondary"] : [which], ctx.now()),
    setRole(role, principalId = ctx.identity.principalId) {
      if (!ROLES.includes(role)) {
        throw new RangeError(`Cannot set role "${role}": use one of ${ROLES.join(", ")}`);
      }
      ctx.rbac.setControlPlaneRole(principalId, role, scopeId(ctx, "resourceGroup"), ctx.now());
    },
    setIdentity(identity) {
      if (identity.tokenLifetimeSeconds !== undefined) {
        nonNegative("tokenLifetimeSeconds", identity.tokenLifetimeSeconds);
      }
      const before = ctx.identity.principalId.toLowerCase();
      Object.assign(ctx.identity, identity);
      const after = ctx.identity.principalId.toLowerCase();
      // A new identity takes over the old one's assignments unless it has its own.
      if (after !== before && ctx.rbac.assignments().every((a) => a.principalId !== after)) {
        for (const a of ctx.rbac.assignments().filter((x) => x.principalId === before)) {
          ctx.rbac.assign({ ...a, name: undefined, principalId: after }, ctx.now());
        }
      }
    },
    issueToken(options = {}) {
      const oid = options.principalId ?? ctx.identity.principalId;
      // The emulator identity's token carries what the token endpoint puts in it (setIdentity may
      // have changed its client or tenant); other principals of the directory get their own claims.
      const self = oid.toLowerCase() === ctx.identity.principalId.toLowerCase();
      const p = self ? undefined : ctx.rbac.principal(oid);
      const user = p?.type === "User"
        ? { name: p.displayName, upn: p.userPrincipalName! }
        : undefined;
      return new Secret(ctx.tokens.issue(
        {
          aud: options.audience ?? ARM_AUDIENCE,
          oid: p?.objectId ?? (self ? ctx.identity.principalId : oid),
          clientId: user
            ? options.clientId ?? AZURE_CLI_CLIENT_ID
            : p?.appId ?? ctx.identity.clientId,
          tenantId: p?.tenantId ?? ctx.identity.tenantId,
          user,
          ...(self ? { managedIdentityResourceId: workspaceResourceId(ctx.workspace) } : {}),
        },
        ctx.now(),
        options.lifetimeSeconds ?? ctx.identity.tokenLifetimeSeconds,
      ));
    },
    setFaults: (rules) => ctx.faults.set(rules),
    addFault: (rule) => ctx.faults.add(rule),
    faults: () => ctx.faults.list(),
    setKeyPropagationDelay: (ms) => {
      store.knobs.keyPropagationDelayMs = nonNegative("keyPropagationDelayMs", ms);
    },
    setRolePropagationDelay: (ms) => {
      store.knobs.rolePropagationDelayMs = nonNegative("rolePropagationDelayMs", ms);
    },
    setLro({ durationMs, retryAfterSeconds }) {
      if (durationMs !== undefined) {
        store.knobs.lroDurationMs = nonNegative("lroDurationMs", durationMs);
      }
      if (retryAfterSeconds === null) store.knobs.lroRetryAfterSeconds = undefined;
      else if (retryAfterSeconds !== undefined) {
        store.knobs.lroRetryAfterSeconds = nonNegative("lroRetryAfterSeconds", retryAfterSeconds);
      }
    },
    setLatency: (ms) => {
      store.knobs.latencyMs = nonNegative("latencyMs", ms);
    },
    setProviders(providers, options = {}) {
      store.providers = structuredClone([...providers]);
      if ("pageSize" in options) store.pageSize = pageSizeOf(options.pageSize);
    },
    setPageSize: (pageSize) => {
      store.pageSize = pageSizeOf(pageSize);
    },
    requestLog: (filter) => ctx.log.entries(filter),
    requestCount: (filter) => ctx.log.count(filter),
    resetLog: () => ctx.log.reset(),
    vault: ctx.vault.control,
    ...createRbacControl(ctx),
  };
}
