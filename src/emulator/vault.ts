import { Secret } from "../connection/secret.ts";
import type { TokenIssuer } from "./tokens.ts";
import type { VaultRoleAssignments } from "./vault_auth.ts";
import { SECRET_NAME, VAULT_ROLES, type VaultRole } from "./vault_constants.ts";
import { vaultRoutes } from "./vault_routes.ts";
import { type NewSecretVersion, type VaultState, VaultStore } from "./vault_store.ts";

/** A secret version as {@link VaultControl.secret} reports it: the value as a `Secret`. */
export interface VaultSecretInfo {
  /** The secret's name. */
  name: string;
  /** The version (32 hex digits). */
  version: string;
  /** The value, masked when printed. */
  value: Secret;
  /** Content type, free text. */
  contentType?: string;
  /** Tags of this version. */
  tags: Record<string, string>;
  /** Whether the version can be read. */
  enabled: boolean;
  /** ISO 8601. */
  created: string;
}

/** The emulated vault's runtime control (no HTTP involved). */
export interface VaultControl {
  /** Adds `role` at vault scope for `principalId` (default: the emulator identity). */
  assignRole(role: VaultRole, principalId?: string): void;
  /** Removes `role` from `principalId` (default: the emulator identity); no-op if not assigned. */
  unassignRole(role: VaultRole, principalId?: string): void;
  /** The roles `principalId` (default: the emulator identity) holds on the vault. */
  roles(principalId?: string): VaultRole[];
  /** Adds a secret version as a PUT would; throws a `RangeError` for a bad or deleted name. */
  setSecret(
    name: string,
    value: string,
    options?: Omit<NewSecretVersion, "value">,
  ): VaultSecretInfo;
  /** The latest (or the given) version of a live secret, or `undefined`. */
  secret(name: string, version?: string): VaultSecretInfo | undefined;
  /** Every version of a live secret, oldest first (empty when there is none). */
  versions(name: string): VaultSecretInfo[];
  /** Names of the live secrets. */
  secretNames(): string[];
  /** Items per list page (1 to 25; Key Vault's default and maximum is 25). */
  setPageSize(size: number): void;
}

/** What the vault needs from the emulator. */
export interface VaultHost {
  tokens: TokenIssuer;
  now: () => number;
  /** The vault URL clients use (trailing slash), read on every request. */
  url: () => string;
  identity: { principalId: string };
  workspace: { subscriptionId: string; resourceGroup: string; location: string };
}

/** Options of {@link createVault}. */
export interface VaultOptions {
  /** Secrets to start from (a state file's `vault`). */
  state?: VaultState;
  /** Called after every change of the secrets. */
  onChange?: () => void;
  /** Roles of the emulator identity on the vault. @default ["Key Vault Secrets Officer"] */
  roles?: readonly VaultRole[];
}

/** The emulated vault: its routes, control API and store. */
export interface EmulatedVault {
  routes: (req: Request) => Promise<Response>;
  control: VaultControl;
  store: VaultStore;
}

function checkRole(role: VaultRole): VaultRole {
  if (!VAULT_ROLES.includes(role)) {
    throw new RangeError(
      `Cannot assign vault role "${role}": use one of ${VAULT_ROLES.join(", ")}`,
    );
  }
  return role;
}

/**
 * Builds the emulated Key Vault over the emulator's token issuer and identity. By default the
 * emulator identity is Key Vault Secrets Officer on the vault, so every flow works; tests take
 * roles away with {@link VaultControl.unassignRole}.
 */
export function createVault(host: VaultHost, options: VaultOptions = {}): EmulatedVault {
  const store = new VaultStore(options.state, options.onChange);
  const roles: VaultRoleAssignments = new Map();
  const who = (principalId?: string) => principalId ?? host.identity.principalId;
  const assign = (role: VaultRole, principalId?: string) => {
    const id = who(principalId);
    roles.set(id, new Set([...(roles.get(id) ?? []), checkRole(role)]));
  };
  for (const role of options.roles ?? ["Key Vault Secrets Officer"]) assign(role);
  let pageSize = 25;
  const info = (name: string, v: ReturnType<VaultStore["latest"]>): VaultSecretInfo | undefined =>
    v && {
      name: store.secret(name)!.name,
      version: v.version,
      value: new Secret(v.value),
      ...(v.contentType === undefined ? {} : { contentType: v.contentType }),
      tags: { ...v.tags },
      enabled: v.enabled,
      created: new Date(v.created * 1000).toISOString(),
    };
  const control: VaultControl = {
    assignRole: assign,
    unassignRole(role, principalId) {
      roles.get(who(principalId))?.delete(checkRole(role));
    },
    roles: (principalId) => [...(roles.get(who(principalId)) ?? [])],
    setSecret(name, value, opts = {}) {
      if (!SECRET_NAME.test(name)) {
        throw new RangeError(
          `Cannot set vault secret "${name}": names are 1 to 127 letters, digits and hyphens`,
        );
      }
      const result = store.set(name, { ...opts, value }, Math.floor(host.now() / 1000));
      if (result === "deleted") {
        throw new RangeError(
          `Cannot set vault secret "${name}": it is deleted; purge or recover it first`,
        );
      }
      return info(name, result.version)!;
    },
    secret: (name, version) =>
      info(name, version ? store.version(name, version) : store.latest(name)),
    versions: (name) => (store.secret(name)?.versions ?? []).map((v) => info(name, v)!),
    secretNames: () => store.secrets().map((s) => s.name),
    setPageSize(size) {
      if (!(Number.isInteger(size) && size >= 1 && size <= 25)) {
        throw new RangeError(
          `Cannot set the vault page size: it must be an integer from 1 to 25, not ${size}`,
        );
      }
      pageSize = size;
    },
  };
  const routes = vaultRoutes({
    store,
    roles,
    tokens: host.tokens,
    now: host.now,
    workspace: host.workspace,
    url: host.url,
    pageSize: () => pageSize,
  });
  return { routes, control, store };
}
