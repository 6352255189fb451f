import type { MimeBundle } from "../display/mime_bundle.ts";
import type { WorkspaceIds } from "./context.ts";

/** What the emulator card shows: nothing secret, fingerprints only. */
export interface EmulatorCardInfo {
  running: boolean;
  endpoint: string;
  armEndpoint: string;
  identityEndpoint: string;
  workspace: WorkspaceIds;
  keysEnabled: boolean;
  primaryFingerprint: string;
  secondaryFingerprint: string;
  caFingerprint: string;
  caFile: string;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");

/**
 * Renders the emulator as a MIME bundle: a small HTML card and an aligned text table, with key
 * fingerprints instead of keys. Pure; every value is escaped.
 *
 * @param info What to show.
 * @returns `text/plain` and `text/html`.
 *
 * @example Usage
 * ```ts
 * import { renderEmulatorCard } from "./emulator_card.ts";
 * // renderEmulatorCard(info)["text/plain"].startsWith("Azure Quantum emulator");
 * ```
 */
export function renderEmulatorCard(info: EmulatorCardInfo): MimeBundle {
  const ws = info.workspace;
  const rows: [string, string][] = [
    ["Data plane", info.endpoint],
    ["ARM", info.armEndpoint],
    ["Identity", info.identityEndpoint],
    ["Subscription", ws.subscriptionId],
    ["Resource group", ws.resourceGroup],
    ["Workspace", `${ws.workspaceName} (${ws.location}, V1)`],
    ["Access keys", info.keysEnabled ? "enabled" : "disabled"],
    ["Primary key", info.primaryFingerprint],
    ["Secondary key", info.secondaryFingerprint],
    ["CA", `${info.caFingerprint}  ${info.caFile}`],
  ];
  const state = info.running ? "running" : "stopped";
  const width = Math.max(...rows.map(([k]) => k.length));
  const text = [
    `Azure Quantum emulator (${state})`,
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
  ]
    .join("\n");
  const html =
    `<div style="border:1px solid #8886;border-radius:6px;padding:8px 12px;display:inline-block">` +
    `<strong>Azure Quantum emulator</strong> <span style="opacity:.7">${state}</span>` +
    `<table style="margin-top:4px">${
      rows.map(([k, v]) =>
        `<tr><th style="text-align:left;padding-right:12px">${escapeHtml(k)}</th><td><code>${
          escapeHtml(v)
        }</code></td></tr>`
      )
        .join("")
    }</table></div>`;
  return { "text/plain": text, "text/html": html };
}
