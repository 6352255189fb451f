/**
 * What `connect()` does: resolve the settings (reading Key Vault, starting the kernel's emulator
 * or signing in when asked), ask Resource Manager for the endpoint when only a location is known,
 * make the workspace and probe it. Imported by `connect()` on first call.
 *
 * @module
 */

import { ArmClient } from "./arm/arm_client.ts";
import { AppServiceCredential } from "./config/app_service_credential.ts";
import { keyVaultCacheGeneration } from "./config/key_vault_cache.ts";
import { resolveSettingsAsync } from "./config/load_connection_async.ts";
import type { Settings } from "./config/settings.ts";
import type { ConnectionInfo } from "./connection/connection_info.ts";
import { parseQuantumEndpoint } from "./connection/quantum_endpoint.ts";
import type { ConnectOptions } from "./connect.ts";
import type { Emulator } from "./emulator/mod.ts";
import {
  isConfigurationError,
  isConnectionStringError,
  isEnvFileError,
  isQuantumError,
} from "./errors.ts";
import { notebookProgress } from "./kernel/notebook_progress.ts";
import { isUnauthorizedError } from "./request_errors.ts";
import { SignInCredential, signIn } from "./sign_in.ts";
import { kernelEmulator, startKernelEmulator } from "./start_emulator.ts";
import { Workspace } from "./workspace/workspace.ts";

/** `connect(options)`, but for remembering the workspace as the current one. */
export async function openWorkspace(options: ConnectOptions): Promise<Workspace> {
  options.signal?.throwIfAborted();
  const generation = keyVaultCacheGeneration();
  const { settings: resolved, started } = await settingsFor(options);
  let settings = resolved;
  const info = settings.connection;
  if (!info.apiKey && info.sources.endpoint === "derived from location") {
    settings = settings.withConnection(await endpointFromArm(settings, options));
  }
  // The notebook adapter is the default progress sink: the clients below never import it.
  const progress = options.progress === false || typeof options.progress === "object"
    ? options.progress
    : notebookProgress;
  const make = (settings: Settings) => {
    const emulator = onKernelEmulator(settings.connection);
    const workspace = new Workspace(settings.connection, { ...options, progress }, settings);
    if (emulator) {
      workspace.onClose(() => emulator.stop());
      workspace.setup = started
        ? 'emulator started in this kernel by connect({ emulator: "auto" }): ws.close() stops it'
        : 'the emulator of this kernel (connect({ emulator: "auto" })): ws.close() stops it';
    }
    return workspace;
  };
  const workspace = make(settings);
  if (options.verify !== false) {
    try {
      await workspace.probe({ signal: options.signal });
    } catch (e) {
      if (!isUnauthorizedError(e) || e.statusCode !== 401) throw e;
      // A key this process read from Key Vault earlier may have been rotated since: read again.
      const reused = settings.connection.keySource?.keyVault && keyVaultCacheGeneration() === generation;
      if (reused && !options.refresh) return openWorkspace({ ...options, refresh: true });
      // Another kernel may have rotated the key between this one reading the .env and probing
      // (it writes the .env before it revokes the old key): read the .env again, once.
      const changed = await changedEnvFileKey(settings, options);
      if (!changed) throw e;
      const again = make(settings.withConnection(changed));
      await again.probe({ signal: options.signal });
      return again;
    }
  }
  return workspace;
}

/** The connection the `.env` holds now, when its key differs from the one `settings` read from it. */
async function changedEnvFileKey(settings: Settings, options: ConnectOptions): Promise<ConnectionInfo | undefined> {
  const before = settings.connection;
  if (before.keySource?.kind !== "dotenv" || before.keySource.keyVault || !before.apiKey) return undefined;
  try {
    const now = (await resolveSettingsAsync(options)).connection;
    const same = now.keySource?.kind === "dotenv" && now.keySource.path === before.keySource.path &&
      now.subscriptionId === before.subscriptionId && now.resourceGroup === before.resourceGroup &&
      now.workspaceName === before.workspaceName && now.endpoint === before.endpoint;
    return same && now.apiKey && !now.apiKey.equals(before.apiKey) ? now : undefined;
  } catch (e) {
    // A .env that no longer reads is what to fix (the 401 follows from it): say so. Anything else
    // (say a vault gone meanwhile), and the first answer stands.
    if (isConfigurationError(e) || isConnectionStringError(e) || isEnvFileError(e)) throw e;
    return undefined;
  }
}

/** The emulator `connect({ emulator: "auto" })` started, when `connection` points at it. */
function onKernelEmulator(connection: ConnectionInfo): Emulator | undefined {
  const emulator = kernelEmulator();
  if (!emulator || !connection.isEmulator) return undefined;
  const port = (url: string) => new URL(url).port;
  return port(connection.endpoint) === port(emulator.endpoint) ? emulator : undefined;
}

// The settings, after starting the kernel's emulator when `emulator: "auto"` finds nothing
// configured. A workspace on that emulator gets its tokens from the emulator's managed-identity
// endpoint explicitly: DefaultAzureCredential would keep the first endpoint and header it saw for
// the life of the process (MSAL caches them), and this emulator may be a second one.
async function settingsFor(given: ConnectOptions): Promise<{ settings: Settings; started: boolean }> {
  // A credential from signIn() says who signed in (the workspace card shows it).
  const options: ConnectOptions & { credentialSource?: string } = given.credential instanceof SignInCredential
    ? { ...given, credentialSource: given.credential.source }
    : given;
  let settings: Settings;
  let started = false;
  try {
    settings = await resolveSettingsAsync(options);
  } catch (e) {
    if (options.emulator !== "auto" || !isConfigurationError(e) || e.code !== "ConnectionNotFound") throw e;
    const kernel = await startKernelEmulator();
    started = kernel.started;
    const emulator = kernel.emulator;
    // An `env` option is read instead of process.env, where the emulator's variables went: name them.
    settings = await resolveSettingsAsync(
      options.env === undefined ? options : {
        ...options,
        connectionString: emulator.connectionString,
        armEndpoint: emulator.armEndpoint,
        ca: emulator.caCertificate,
      },
    );
  }
  if (options.signIn === "auto" || (options.signIn && !options.credential)) {
    const credential = await signInFor(settings, options.signIn, options.credential !== undefined, options.signal);
    if (credential) {
      return { settings: settings.withCredential(credential, credential.source), started };
    }
  }
  const emulator = options.credential ? undefined : onKernelEmulator(settings.connection);
  if (!emulator) return { settings, started };
  const credential = new AppServiceCredential({
    endpoint: emulator.identityEndpoint,
    header: emulator.env.IDENTITY_HEADER,
    source: "the kernel's emulator",
  });
  return { settings: settings.withCredential(credential, "managed identity of this kernel's emulator"), started };
}

// The device-code sign-in `connect({ signIn })` asks for; with "auto", only when the credential the
// settings hold finds no sign-in (on the kernel's emulator its managed identity always does).
async function signInFor(
  settings: Settings,
  how: NonNullable<ConnectOptions["signIn"]>,
  explicit: boolean,
  signal: AbortSignal | undefined,
): Promise<SignInCredential | undefined> {
  if (how === "auto") {
    if (!explicit && onKernelEmulator(settings.connection)) return undefined;
    try {
      await settings.credential.getToken(settings.arm.scope, { abortSignal: signal });
      return undefined;
    } catch (e) {
      const name = String((e as { name?: unknown } | null)?.name ?? "");
      const code = isQuantumError(e) ? e.code : "";
      if (code !== "CredentialUnavailable" && !/CredentialUnavailable|AggregateAuthentication/.test(name)) throw e;
    }
  }
  return signIn({ ...(typeof how === "object" ? how : {}), signal });
}

// With Entra ID and no endpoint given, ask Resource Manager for the workspace's endpointUri, as
// the Python SDK does (the derived regional host is only a guess; the emulator has its own).
async function endpointFromArm(settings: Settings, options: ConnectOptions): Promise<ConnectionInfo> {
  const info = settings.connection;
  const arm = new ArmClient(settings);
  const workspace = await arm.getWorkspace({ signal: options.signal });
  const uri = workspace.properties?.endpointUri;
  if (!uri) return info;
  const parsed = parseQuantumEndpoint(uri, { workspaceName: info.workspaceName, source: "Resource Manager endpointUri" });
  return {
    ...info,
    endpoint: parsed.endpoint,
    isEmulator: parsed.isEmulator,
    workspaceKind: workspace.properties?.workspaceKind === "V2" ? "V2" : parsed.workspaceKind,
    sources: { ...info.sources, endpoint: "Resource Manager (endpointUri)" },
  };
}
