import type { MimeBundle } from "../displayable.ts";
import { badge } from "./badge.ts";
import { renderCard } from "./render_card.ts";

/** What the emulator card shows: nothing secret, fingerprints only. */
export interface EmulatorCardInfo {
  running: boolean;
  endpoint: string;
  armEndpoint: string;
  identityEndpoint: string;
  keyVaultUrl: string;
  authorityHost: string;
  workspace: { subscriptionId: string; resourceGroup: string; workspaceName: string; location: string };
  keysEnabled: boolean;
  primaryFingerprint: string;
  secondaryFingerprint: string;
  caFingerprint: string;
  caFile: string;
}

/**
 * The emulator as a card: endpoints, the dev workspace, key fingerprints instead of keys, and its
 * CA. Pure; every value is escaped.
 */
export function renderEmulatorCard(info: EmulatorCardInfo): MimeBundle {
  const ws = info.workspace;
  const { html, text } = renderCard({
    title: "Azure Quantum emulator",
    badge: info.running ? badge("Running", "ok") : badge("Stopped", "neutral"),
    rows: [
      ["Data plane", info.endpoint],
      ["ARM", info.armEndpoint],
      ["Identity", info.identityEndpoint],
      ["Key Vault", info.keyVaultUrl],
      ["Authority", info.authorityHost],
      ["Subscription", ws.subscriptionId],
      ["Resource group", ws.resourceGroup],
      ["Workspace", `${ws.workspaceName} (${ws.location}, V1)`],
      ["Access keys", info.keysEnabled ? "enabled" : "disabled"],
      ["Primary key", info.primaryFingerprint],
      ["Secondary key", info.secondaryFingerprint],
      ["CA", `${info.caFingerprint}  ${info.caFile}`],
    ],
  });
  return { "text/plain": text, "text/html": html };
}
