/**
 * azure-quantum-notebook (work in progress: the coordinator wires the full surface).
 *
 * @module
 */
export * from "./src/errors.ts";
export { fingerprint, isSecret, Secret } from "./src/connection/secret.ts";
export type { ConnectionField, ConnectionInfo, WorkspaceKind } from "./src/connection/connection_info.ts";
export { type Displayable, isDisplayable, JUPYTER_DISPLAY, type MimeBundle } from "./src/display/mime_bundle.ts";
export { VERSION } from "./src/version.ts";
