import type { ArmClient } from "../arm/arm_client.ts";
import type { KeySlot } from "../arm/arm_types.ts";
import type { Secret } from "../connection/secret.ts";
import type { AssignRoleOptions } from "../entra/assign_role.ts";
import type { RoleAssignmentResult } from "../entra/role_assignment_result.ts";
import type { MoveToKeyVaultOptions } from "../key_vault/move_to_key_vault.ts";
import {
  KeyVaultMoveResult,
  type KeyVaultShareResult,
  type KeyVaultVersionList,
} from "../key_vault/results.ts";
import type { KeyVaultVersionsOptions } from "../key_vault/secret_versions.ts";
import type { ShareToKeyVaultOptions } from "../key_vault/share_to_key_vault.ts";
import type { KeyCallOptions, KeyHost, KeyManagerOptions } from "./key_host.ts";
import type { EntraReadiness } from "./readiness.ts";
import type { RegenerateOptions, RegenerateWhich } from "./regenerate_keys.ts";
import {
  KeyStatus,
  type KeyToggleResult,
  NotApplied,
  type RegenerateResult,
  type RotationReport,
} from "./results.ts";
import type { RotateOptions } from "./rotate_keys.ts";
import type { KeyToggleOptions } from "./toggle_access_keys.ts";

/**
 * Access-key management of a workspace through Azure Resource Manager (`workspace.keys`):
 * status, enable, disable, regenerate, rotate and the connection string of either key. ARM calls
 * use a Microsoft Entra token (DefaultAzureCredential unless `credential` is given, or the
 * connection's `.env` holds credential variables). Destructive calls (`disable`, `regenerate`,
 * `rotate`) change nothing without `{ confirm: true }`, and on a workspace that is not the emulator
 * also not without the session's opt-in (`AZURE_QUANTUM_ALLOW_KEY_CHANGES=1` or
 * `connect({ allowKeyChanges: true })`): they return a {@link NotApplied} saying what they would
 * do and how to go ahead. Results render as cards and never hold a key, only fingerprints.
 *
 * @example Rotate the kernel's key without downtime
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * await ws.keys.status(); // which key is in use
 * const report = await ws.keys.rotate({ confirm: true });
 * ```
 */
export class KeyManager {
  /** The workspace whose keys this manages. */
  readonly workspace: KeyHost;
  readonly #options: KeyManagerOptions;
  #arm: Promise<ArmClient> | undefined;

  /** Key management of `workspace` (made by `ws.keys`). */
  constructor(workspace: KeyHost, options: KeyManagerOptions = {}) {
    this.workspace = workspace;
    this.#options = options;
  }

  /**
   * The ARM client, made (and its code imported) on first use. The ARM endpoint and CA are
   * resolved before, synchronously, so a bad ARM setting throws where it always did.
   *
   * @internal
   * @throws {ConfigurationError} when the ARM endpoint or its CA is unusable.
   */
  armClient(): Promise<ArmClient> {
    const settings = this.workspace.settings;
    void settings.arm;
    this.#arm ??= import("../arm/arm_client.ts").then((m) => new m.ArmClient(settings));
    return this.#arm;
  }

  // enable/disable/regenerate/rotate import their code (and what only they use: the .env writer,
  // child_process, data-plane probes) on first call, so importing the package stays cheap (bench/
  // row 1).
  #run<M, T extends object, R>(
    load: () => Promise<M>,
    options: T,
    run: (module: M, arm: ArmClient, options: T & { now?: () => number }) => Promise<R>,
  ): Promise<R> {
    const arm = this.armClient();
    const opts = { now: this.#options.now, ...options };
    return Promise.all([load(), arm]).then(([module, client]) => run(module, client, opts));
  }

  /**
   * Enabled or not, each key's fingerprint and age, and which one this kernel uses.
   *
   * @example Usage
   * ```ts
   * import { connect } from "azure-quantum-notebook";
   * const ws = await connect();
   * const status = await ws.keys.status();
   * status.inUse; // "primary", "secondary", "neither" or "entra"
   * ```
   */
  async status(options: KeyCallOptions = {}): Promise<KeyStatus> {
    const arm = await this.armClient();
    const keys = await arm.listKeys(options);
    if (keys.apiKeyEnabled === undefined) {
      const ws = await arm.getWorkspace(options);
      keys.apiKeyEnabled = ws.properties?.apiKeyEnabled;
    }
    const info = this.workspace.info;
    const now = new Date((this.#options.now ?? Date.now)());
    return new KeyStatus(info.workspaceName, keys, this.workspace.liveKey?.key, now, {
      keyOrigin: {
        source: info.sources.apiKey,
        ...(info.keySource?.keyVault ? { keyVault: { ...info.keySource.keyVault } } : {}),
      },
      credentialSource: this.workspace.settings.credentialSource,
      armEndpoint: this.workspace.settings.armEndpointNote,
    });
  }

  /**
   * The Microsoft Entra readiness report (see {@link EntraReadiness}): can access keys be disabled
   * without locking anyone out? `disable()` runs it first.
   *
   * @example Before disabling keys
   * ```ts
   * import { connect, display } from "azure-quantum-notebook";
   * const ws = await connect();
   * await display(await ws.keys.readiness()); // "Would lock you out" until you have a data role
   * ```
   */
  readiness(options: KeyCallOptions = {}): Promise<EntraReadiness> {
    return this.#run(() => import("./readiness.ts"), options, (m, arm, o) => m.readiness(this.workspace, arm, o));
  }

  /**
   * Assigns a built-in role by name (default "Quantum Workspace Data Contributor") on the workspace
   * to this kernel's identity or `principalId`, unless it holds it there (needs Owner or User
   * Access Administrator; on Azure also the session's opt-in, as key changes).
   *
   * @example Give the CI application read access to jobs
   * ```ts
   * import { connect } from "azure-quantum-notebook";
   * const ws = await connect();
   * await ws.keys.assignRole("Quantum Workspace Data Reader", {
   *   principalId: "00000000-0000-4000-8000-0000000000ee",
   *   principalType: "ServicePrincipal",
   * });
   * ```
   */
  assignRole(
    role = "Quantum Workspace Data Contributor",
    options: AssignRoleOptions = {},
  ): Promise<RoleAssignmentResult | NotApplied> {
    return this.#run(
      () => import("./readiness.ts"),
      options,
      (m, arm, opts) => m.assignRoleWithOptIn(this.workspace, arm, role, opts),
    );
  }

  /**
   * Enables access keys (GET, PUT with `apiKeyEnabled: true`, follow the operation). Not
   * destructive: no confirmation needed.
   *
   * @example Usage
   * ```ts
   * import { connect } from "azure-quantum-notebook";
   * const ws = await connect();
   * const result = await ws.keys.enable({ waitForDataPlane: true });
   * ```
   */
  enable(options: KeyToggleOptions = {}): Promise<KeyToggleResult | NotApplied> {
    return this.#toggle(true, options);
  }

  /**
   * Disables access keys: every connection string and key stops working (Entra ID keeps
   * working). First runs {@link readiness}: when this kernel's own identity cannot use the data
   * plane with Entra ID, it returns a {@link NotApplied} (`would-lock-out`) with the role to
   * assign, unless `{ force: true }`. Then needs `{ confirm: true }` (its impact lists the
   * principals that have a role but no data role), and on Azure the session's opt-in; otherwise
   * it returns a {@link NotApplied} and changes nothing.
   *
   * @example Usage
   * ```ts
   * import { connect } from "azure-quantum-notebook";
   * const ws = await connect();
   * const result = await ws.keys.disable({ confirm: true, waitForDataPlane: true });
   * ```
   */
  disable(options: KeyToggleOptions = {}): Promise<KeyToggleResult | NotApplied> {
    return this.#toggle(false, options);
  }

  #toggle(target: boolean, options: KeyToggleOptions): Promise<KeyToggleResult | NotApplied> {
    return this.#run(
      () => import("./toggle_access_keys.ts"),
      options,
      (m, arm, opts) => m.toggleAccessKeys(this.workspace, arm, target, opts),
    );
  }

  /**
   * Regenerates the primary, secondary or both keys (the old ones stop working at once). Needs
   * `{ confirm: true }`; refuses the key this kernel or its `.env` uses (use `rotate()`) unless
   * `{ force: true }`, and refuses while keys are disabled. A dropped POST is not retried:
   * `listKeys` tells whether it ran.
   *
   * @example Revoke what was shared
   * ```ts
   * import { connect } from "azure-quantum-notebook";
   * const ws = await connect();
   * const result = await ws.keys.regenerate("secondary", { confirm: true });
   * ```
   */
  regenerate(
    which: RegenerateWhich,
    options: RegenerateOptions = {},
  ): Promise<RegenerateResult | NotApplied> {
    return this.#run(
      () => import("./regenerate_keys.ts"),
      options,
      (m, arm, opts) => m.regenerateKeys(this.workspace, arm, which, opts),
    );
  }

  /**
   * Zero-downtime rotation of the key this kernel uses. Needs `{ confirm: true }`. Steps: find the
   * key in use; pick the other key; verify it on the data plane; (with the key in Key Vault: store
   * it as a new secret version and read it back;) switch the live credential, the
   * environment and `.env` to it; regenerate the old key; verify the old key is rejected and the
   * other accepted; switch back to the regenerated key of the original slot (unless
   * `stayOnOther`; with Key Vault, stored there first); verify. Returns the timeline, or throws a `RotationError` (with the timeline)
   * while a working key is in place.
   *
   * @example Usage
   * ```ts
   * import { connect } from "azure-quantum-notebook";
   * const ws = await connect();
   * const report = await ws.keys.rotate({ confirm: true });
   * ```
   */
  rotate(options: RotateOptions = {}): Promise<RotationReport | NotApplied> {
    return this.#run(
      () => import("./rotate_keys.ts"),
      options,
      (m, arm, opts) => m.rotateKeys(this.workspace, arm, opts),
    );
  }

  /**
   * Writes the connection string of a key to a Key Vault secret (a new version, tagged, read
   * back) and returns the reference to hand out instead. The vault defaults to the workspace's
   * own; the secret must not be the workspace's own, nor hold anything but this workspace's
   * connection string (`KeyVaultSecretInUse`, unless `overwrite: true`). Revoke with
   * `keys.regenerate(slot, { confirm: true })`.
   *
   * @example Share the secondary key
   * ```ts
   * import { connect } from "azure-quantum-notebook";
   * const ws = await connect();
   * const shared = await ws.keys.shareToKeyVault("secondary", { secretName: "quantum-shared" });
   * ```
   */
  shareToKeyVault(slot: KeySlot, options: ShareToKeyVaultOptions): Promise<KeyVaultShareResult> {
    return import("../key_vault/share_to_key_vault.ts").then((m) => m.shareToKeyVault(this, slot, options));
  }

  /**
   * Moves the kernel's clear-text connection string into a Key Vault secret (written and read
   * back first), then puts a reference in its `.env` line and this process's variable; says what
   * changed and what is left to do. Later rotations write to the secret. The vault defaults to
   * `AZURE_QUANTUM_KEY_VAULT_URL` (`KeyVaultUrlMissing` when neither is given).
   *
   * @example From a clear-text `.env` to a reference
   * ```ts
   * import { connect } from "azure-quantum-notebook";
   * const ws = await connect();
   * await ws.keys.moveToKeyVault({ vaultUrl: "https://myvault.vault.azure.net/", secretName: "quantum" });
   * ```
   * @example With AZURE_QUANTUM_KEY_VAULT_URL set
   * ```ts
   * import { connect } from "azure-quantum-notebook";
   * const ws = await connect();
   * await ws.keys.moveToKeyVault({ secretName: "quantum" });
   * ```
   */
  moveToKeyVault(options: MoveToKeyVaultOptions): Promise<KeyVaultMoveResult | NotApplied> {
    return import("../key_vault/move_to_key_vault.ts")
      .then((m) => m.moveToKeyVault(this.workspace, options))
      .then((moved) => (moved instanceof KeyVaultMoveResult ? moved : new NotApplied(moved)));
  }

  /**
   * The versions of a Key Vault secret, oldest first, through the real `SecretClient` (metadata
   * only, never a value): by default the secret this workspace's connection string comes from,
   * in its vault (else `AZURE_QUANTUM_KEY_VAULT_URL`). Each names the key it holds by fingerprint
   * and says which is the latest and which this kernel uses. Renders as a table. Without a name,
   * when the connection string does not come from Key Vault: a `ConfigurationError`
   * `KeyVaultSecretNameMissing`.
   *
   * @example After moving to Key Vault and rotating
   * ```ts
   * import { connect, display } from "azure-quantum-notebook";
   * const ws = await connect();
   * await display(await ws.keys.keyVaultVersions()); // or keyVaultVersions("quantum-for-alice")
   * ```
   */
  keyVaultVersions(secretName?: string, options: KeyVaultVersionsOptions = {}): Promise<KeyVaultVersionList> {
    return import("../key_vault/secret_versions.ts").then((m) =>
      m.keyVaultVersions(this.workspace, secretName, options)
    );
  }

  /**
   * The connection string for the primary or secondary key, as a `Secret` (masked everywhere):
   * e.g. to share the secondary key through a separate `.env` (`updateEnvFile`).
   *
   * @example Share the secondary key
   * ```ts
   * import { connect, updateEnvFile } from "azure-quantum-notebook";
   * const ws = await connect();
   * await updateEnvFile("shared.env", "AZURE_QUANTUM_CONNECTION_STRING", await ws.keys.connectionString("secondary"));
   * ```
   */
  async connectionString(slot: KeySlot, options: KeyCallOptions = {}): Promise<Secret> {
    if (slot !== "primary" && slot !== "secondary") {
      throw new RangeError(
        `Cannot build a connection string: unknown key "${
          String(slot)
        }". Use "primary" or "secondary"`,
      );
    }
    return await this.#run(
      () => import("./key_switch.ts"),
      options,
      (m, arm, opts) => m.keyConnectionString(this.workspace, arm, slot, opts),
    );
  }
}
