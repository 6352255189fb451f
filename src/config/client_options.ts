/**
 * The options every client takes: transport, trust and authentication (all optional), as
 * `connect()`, `new Workspace()` and `resolveSettings()` accept them.
 *
 * @module
 */

import type { TokenCredentialLike } from "./credential.ts";

/** Environment variables: the process environment, or an `env` option. */
export type EnvVariables = Record<string, string | undefined>;
/** A `fetch`-compatible function (tests pass the emulator's request handler). */
export type FetchLike = (request: Request) => Promise<Response>;

/**
 * Bounds of the retries every request gets.
 *
 * @example Usage
 * ```ts
 * import { connect, type RetryOptions } from "azure-quantum-notebook";
 * const retry: RetryOptions = { maxRetries: 2, maxDelayMs: 5_000 };
 * const ws = await connect({ retry });
 * ```
 */
export interface RetryOptions {
  /** Retries after the first attempt. @default 4 */
  maxRetries?: number;
  /** First backoff delay for 5xx and network errors, doubled each time (with jitter). @default 400 */
  baseDelayMs?: number;
  /** Cap on one backoff delay, also on a server's `Retry-After`. @default 10_000 */
  maxDelayMs?: number;
  /** No retry starts once this much time has passed since the first attempt. @default 60_000 */
  maxElapsedMs?: number;
}

/**
 * How the clients reach Azure Quantum and Azure Resource Manager: transport, trust and
 * authentication (all optional).
 *
 * @example Usage
 * ```ts
 * import { connect, type ClientOptions } from "azure-quantum-notebook";
 * const options: ClientOptions = { timeoutMs: 10_000, retry: { maxRetries: 2 } };
 * const ws = await connect(options);
 * ```
 */
export interface ClientOptions {
  /**
   * Microsoft Entra credential. For the data plane it is used when the connection has no access
   * key (or `useEntraId` is set); for key management (ARM) always.
   * @default DefaultAzureCredential, imported on first use
   */
  credential?: TokenCredentialLike;
  /** Use Entra ID on the data plane even when an access key is configured. */
  useEntraId?: boolean;
  /** PEM CA trusted for the emulator's endpoints only. @default the file named by `AZURE_QUANTUM_EMULATOR_CA` */
  ca?: string;
  /** Data-plane requests go through this `fetch`-compatible function (tests). */
  fetch?: FetchLike;
  /** Data-plane api-version. @default "2025-12-01-preview" */
  apiVersion?: string;
  /** Retry bounds for every request. */
  retry?: RetryOptions;
  /** Per-attempt timeout in ms. @default 30_000 */
  timeoutMs?: number;
  /** ARM endpoint for key management. @default AZURE_QUANTUM_ARM_ENDPOINT or https://management.azure.com */
  armEndpoint?: string;
  /** ARM requests go through this `fetch`-compatible function (tests). */
  armFetch?: FetchLike;
  /** Token scope for ARM. @default "https://management.azure.com/.default" */
  armScope?: string;
  /** ARM api-version. @default "2025-12-15-preview" */
  armApiVersion?: string;
  /** The environment read, and updated by key rotation. @default the process environment */
  env?: EnvVariables;
  /**
   * Let `disable`, `regenerate` and `rotate` change a workspace that is not the emulator (they
   * also need `{ confirm: true }`). @default `AZURE_QUANTUM_ALLOW_KEY_CHANGES=1` in the environment
   */
  allowKeyChanges?: boolean;
}
