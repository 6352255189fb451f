/**
 * Access-key management of an Azure Quantum workspace through Azure Resource Manager: status,
 * enable, disable, regenerate, zero-downtime rotation, and the connection string of either key.
 * Destructive calls need `{ confirm: true }`; every result renders in a notebook and shows keys by
 * fingerprint only.
 *
 * @example Status, then rotate
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * await ws.keys.status();
 * await ws.keys.rotate({ confirm: true });
 * ```
 *
 * @module
 */
export { type KeyCallOptions, KeyManager, type KeyManagerOptions } from "./key_manager.ts";
export { type KeyToggleOptions, toggleAccessKeys } from "./toggle_access_keys.ts";
export { regenerateKeys } from "./regenerate_keys.ts";
export {
  type ArmCallOptions,
  ArmClient,
  type ArmClientOptions,
  isDroppedRequest,
  type PutWorkspaceResult,
} from "./arm_client.ts";
export { armErrorFrom, credentialError, ROLE_HINT, SIGN_IN_HINT } from "./arm_errors.ts";
export { followLro, type LroOptions, type LroOutcome } from "./arm_lro.ts";
export {
  type ArmSettings,
  type ArmSettingsOptions,
  DEFAULT_ARM_API_VERSION,
  DEFAULT_ARM_SCOPE,
  resolveArmSettings,
} from "./arm_settings.ts";
export {
  type ArmApiKey,
  type ArmKeyType,
  type ArmListKeysResult,
  type ArmWorkspace,
  type KeySlot,
  putBodyFor,
} from "./arm_types.ts";
export { type ListedKey, type WorkspaceKeys, workspaceKeysFrom } from "./workspace_keys.ts";
export { type KeyDescription, type KeyInUse, KeyStatus } from "./key_status.ts";
export { KeyToggleResult, type KeyToggleSpec } from "./key_toggle_result.ts";
export { type RegeneratedKey, RegenerateResult, type RegenerateSpec } from "./regenerate_result.ts";
export { type RegenerateOptions, type RegenerateWhich } from "./regenerate_guard.ts";
export {
  type KeyOperation,
  NotApplied,
  type NotAppliedReason,
  type NotAppliedSpec,
} from "./not_applied.ts";
export { rotateKeys, type RotateOptions } from "./rotate_keys.ts";
export { RotationReport, type RotationStep, type RotationStepStatus } from "./rotation_report.ts";
export {
  connectionStringFor,
  type KeySwitch,
  type KeySwitchOptions,
  switchKey,
} from "./key_switch.ts";
export {
  type KeyVerdict,
  probeKey,
  type VerdictWait,
  waitForVerdict,
  type WaitForVerdictOptions,
} from "./key_probe.ts";
