/**
 * Data-plane api-version used by default: the version seen on the wire in the Python SDK's
 * recorded key and token exchanges (the SDK's own default is 2026-01-15-preview).
 *
 * @example Usage
 * ```ts
 * import { connect, DEFAULT_DATA_PLANE_API_VERSION } from "azure-quantum-notebook";
 * const ws = await connect({ apiVersion: DEFAULT_DATA_PLANE_API_VERSION });
 * ```
 */
export const DEFAULT_DATA_PLANE_API_VERSION = "2025-12-01-preview";
