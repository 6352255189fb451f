/**
 * This package's version, sent in the user agent. A test keeps it equal to package.json's.
 *
 * @example Usage
 * ```ts
 * import { VERSION } from "azure-quantum-notebook";
 * console.log(`azure-quantum-notebook/${VERSION}`);
 * ```
 */
export const VERSION = "0.1.0";
