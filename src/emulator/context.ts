import type { Secret } from "../connection/secret.ts";
import type { DeviceCodeStore } from "./device_codes.ts";
import type { FaultInjector } from "./faults.ts";
import type { RbacStore } from "./rbac.ts";
import type { RequestLog } from "./request_log.ts";
import type { EmulatorStore } from "./store.ts";
import type { TokenIssuer } from "./tokens.ts";
import type { EmulatedVault } from "./vault.ts";

/** Azure RBAC roles the emulator knows; `None` means no role assignment at all. */
export type Role = "Owner" | "Contributor" | "Reader" | "None";

/** The managed identity the token endpoint issues tokens for. */
export interface EmulatorIdentity {
  /** Object id (`oid`) of the identity. */
  principalId: string;
  /** Client (application) id, returned as `client_id`. */
  clientId: string;
  /** The Entra tenant of the tokens. */
  tenantId: string;
  /** Lifetime of issued tokens, in seconds. @default 3600 */
  tokenLifetimeSeconds: number;
}

/** The dev workspace's identifiers. */
export interface WorkspaceIds {
  /** The dev workspace's subscription ID. */
  subscriptionId: string;
  /** Its resource group. */
  resourceGroup: string;
  /** Its name. */
  workspaceName: string;
  /** Its region. */
  location: string;
}

/** Base URLs of the listeners, as clients see them. */
export interface EmulatorUrls {
  /** Data plane, with a trailing slash: `https://127.0.0.1:<port>/`. */
  dataPlane: string;
  /** ARM, without a trailing slash: `https://127.0.0.1:<port>`. */
  arm: string;
  /** Token endpoint: `http://127.0.0.1:<port>/msi/token`. */
  identity: string;
  /** Key Vault (secrets), with a trailing slash: `https://127.0.0.1:<port>/`. */
  vault: string;
  /** Microsoft Entra authority host (OpenID configuration, device code, token): `https://127.0.0.1:<port>`. */
  login: string;
}

/**
 * Everything the route handlers share: state, token issuer, faults, log, clock and URLs.
 */
export interface EmulatorContext {
  store: EmulatorStore;
  tokens: TokenIssuer;
  faults: FaultInjector;
  log: RequestLog;
  now: () => number;
  urls: EmulatorUrls;
  workspace: WorkspaceIds;
  identity: EmulatorIdentity;
  /** Principals, role assignments and the data-plane authorization rule. */
  rbac: RbacStore;
  /** Pending device-code sign-ins and issued refresh tokens of the authority endpoints. */
  deviceCodes: DeviceCodeStore;
  /** The `IDENTITY_HEADER` secret the token endpoint requires (a `Secret`: dumps of the context mask it). */
  identityHeader: Secret;
  /** The emulated Key Vault (secrets, vault role assignments). */
  vault: EmulatedVault;
}
