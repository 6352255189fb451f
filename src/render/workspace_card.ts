import { DEFAULT_CREDENTIAL_SOURCE } from "../config/env_credential.ts";
import type { ConnectionInfo } from "../connection/connection_info.ts";
import type { MimeBundle } from "../displayable.ts";
import { badge } from "./badge.ts";
import { describeKeyVaultOrigin } from "./key_vault_cards.ts";
import { type ArmEndpointNote, armEndpointText } from "./key_cards.ts";
import { renderCard } from "./render_card.ts";

/** What the workspace card shows besides the connection itself. */
export interface WorkspaceCardState {
  /** "access key" or "Microsoft Entra ID". */
  authMode: "access key" | "Microsoft Entra ID";
  /** Fingerprint of the key in use (access-key mode). */
  keyFingerprint?: string;
  /** Latency of the `providerStatus` probe, or undefined when skipped. */
  probeMs?: number;
  /** Number of providers the probe saw. */
  providerCount?: number;
  /** Where the Microsoft Entra credential came from (`Settings.credentialSource`). */
  credentialSource?: string;
  /** What `connect()` set up, e.g. that it started the emulator. */
  setup?: string;
  /** The Resource Manager endpoint key management uses, when it is not Azure's public cloud. */
  armEndpoint?: ArmEndpointNote;
}

/**
 * Groups `info.sources` by source: `env AZURE_QUANTUM_CONNECTION_STRING (all fields)` or one line
 * per source listing its fields.
 */
function describeSources(sources: ConnectionInfo["sources"]): string {
  const bySource = new Map<string, string[]>();
  for (const [field, source] of Object.entries(sources)) {
    if (!source) continue;
    bySource.set(source, [...(bySource.get(source) ?? []), field]);
  }
  if (bySource.size === 1) return `${[...bySource.keys()][0]} (all fields)`;
  return [...bySource].map(([source, fields]) => `${source}: ${fields.join(", ")}`).join("\n");
}

// With Entra ID a configured key is not used: leave its source out of the card.
function usedSources(sources: ConnectionInfo["sources"], authMode: WorkspaceCardState["authMode"]) {
  if (authMode === "access key") return sources;
  const { apiKey: _unused, ...rest } = sources;
  return rest;
}

// The private key of an encrypted .env: its fingerprint and where it was found, never the key.
function decryptedWith(d: NonNullable<ConnectionInfo["decryption"]>): string {
  return `private key ${d.privateKeyFingerprint} from ${d.privateKeySource}`;
}

// The default credential in two words (its full account is on the key status card); a credential
// of the user's own choosing in full, since it says where it came from.
function credentialText(state: WorkspaceCardState): string {
  const source = state.credentialSource === DEFAULT_CREDENTIAL_SOURCE ? "DefaultAzureCredential" : state.credentialSource;
  return state.authMode === "access key" ? `${source}, for key management` : `${source}`;
}

/**
 * The workspace card: name, region, kind, endpoint, auth mode with key fingerprint, where the
 * configuration came from, the probe's latency, and an Emulator or Azure badge. Pure; never shows
 * a key.
 */
export function renderWorkspaceCard(info: ConnectionInfo, state: WorkspaceCardState): MimeBundle {
  const auth = state.authMode === "access key"
    ? `access key ${state.keyFingerprint ?? ""}`.trim()
    : "Microsoft Entra ID (bearer token)";
  const probe = state.probeMs === undefined
    ? "skipped (verify: false)"
    : `providerStatus answered in ${Math.round(state.probeMs)} ms` +
      (state.providerCount === undefined ? "" : ` (${state.providerCount} providers)`);
  const { html, text } = renderCard({
    title: `Azure Quantum workspace ${info.workspaceName}`,
    badge: info.isEmulator ? badge("Emulator", "info") : badge("Azure", "ok"),
    rows: [
      ["Region", info.location],
      ["Kind", info.workspaceKind],
      ["Endpoint", info.endpoint],
      state.armEndpoint ? ["Resource Manager", armEndpointText(state.armEndpoint)] : null,
      ["Subscription", info.subscriptionId],
      ["Resource group", info.resourceGroup],
      ["Auth", auth],
      ["Config from", describeSources(usedSources(info.sources, state.authMode))],
      info.decryption && ["Decrypted with", decryptedWith(info.decryption)],
      state.authMode === "access key" && info.keySource?.keyVault &&
      ["Key from", describeKeyVaultOrigin(info.keySource.keyVault)],
      state.credentialSource ? ["Credential", credentialText(state)] : null,
      state.setup ? ["Setup", state.setup] : null,
      ["Probe", probe],
    ],
    footer: state.authMode === "access key"
      ? "Keys are never shown, only their fingerprints. Microsoft recommends Entra ID over access keys."
      : "Signed in with Microsoft Entra ID: no access key involved.",
  });
  return {
    "text/plain": text,
    "text/html": html,
    "application/json": {
      workspaceName: info.workspaceName,
      location: info.location,
      workspaceKind: info.workspaceKind,
      endpoint: info.endpoint,
      subscriptionId: info.subscriptionId,
      resourceGroup: info.resourceGroup,
      isEmulator: info.isEmulator,
      authMode: state.authMode,
      keyFingerprint: state.keyFingerprint,
      probeMs: state.probeMs,
      sources: info.sources,
      ...(info.decryption ? { decryption: info.decryption } : {}),
      ...(state.authMode === "access key" && info.keySource?.keyVault
        ? { keyVault: info.keySource.keyVault }
        : {}),
      credentialSource: state.credentialSource,
      setup: state.setup,
      ...(state.armEndpoint ? { armEndpoint: state.armEndpoint } : {}),
    },
  };
}
