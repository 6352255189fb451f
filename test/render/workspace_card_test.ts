// The workspace card with every optional source row (issues 12, 13, 16, 17 together): each shows
// once, in the order the value flows, and only when it applies.
import { describe, expect, it } from "vitest";
import type { ConnectionInfo } from "../../src/connection/connection_info.ts";
import { Secret } from "../../src/connection/secret.ts";
import { renderWorkspaceCard } from "../../src/render/workspace_card.ts";

const base: ConnectionInfo = {
  subscriptionId: "11111111-1111-4111-8111-111111111111",
  resourceGroup: "rg",
  workspaceName: "ws",
  location: "westus",
  endpoint: "https://westus.quantum.azure.com/",
  isEmulator: false,
  workspaceKind: "V1",
  apiKey: new Secret("k".repeat(86)),
  sources: {
    subscriptionId: "env AZURE_QUANTUM_CONNECTION_STRING",
    resourceGroup: "env AZURE_QUANTUM_CONNECTION_STRING",
    workspaceName: "env AZURE_QUANTUM_CONNECTION_STRING",
    apiKey: "env AZURE_QUANTUM_CONNECTION_STRING",
    endpoint: "env AZURE_QUANTUM_CONNECTION_STRING",
  },
} as ConnectionInfo;

const labels = (text: string) =>
  text.split("\n").slice(1).map((line) => /^([A-Z][\w ]*?):\s/.exec(line)?.[1]).filter(Boolean);

describe("renderWorkspaceCard()", () => {
  it("a key from the environment on Azure: no Resource Manager, Decrypted with, Key from or Setup row", () => {
    const text = renderWorkspaceCard(base, {
      authMode: "access key",
      keyFingerprint: base.apiKey!.fingerprint,
      probeMs: 12,
      credentialSource: "DefaultAzureCredential (environment, workload or managed identity, Azure CLI, …)",
    })["text/plain"];
    expect(labels(text)).toEqual([
      "Region",
      "Kind",
      "Endpoint",
      "Subscription",
      "Resource group",
      "Auth",
      "Config from",
      "Credential",
      "Probe",
    ]);
  });

  it("the default credential in two words; a credential of the user's choosing in full", () => {
    const card = (credentialSource: string, authMode: "access key" | "Microsoft Entra ID" = "access key") =>
      renderWorkspaceCard(base, { authMode, keyFingerprint: base.apiKey!.fingerprint, credentialSource })["text/plain"];
    const lineOf = (text: string) => text.split("\n").find((l) => l.startsWith("Credential:"));
    const fallback = "DefaultAzureCredential (environment, workload or managed identity, Azure CLI, …)";
    expect(lineOf(card(fallback))).toMatch(/^Credential: +DefaultAzureCredential, for key management$/);
    expect(lineOf(card(fallback, "Microsoft Entra ID"))).toMatch(/^Credential: +DefaultAzureCredential$/);
    expect(lineOf(card("device-code sign-in as Ada Lovelace (ada@contoso.com)"))).toMatch(
      /^Credential: +device-code sign-in as Ada Lovelace \(ada@contoso\.com\), for key management$/,
    );
  });

  it("every source at once: one row each, in the order the value flows", () => {
    const via = "encrypted .env /repo/.env (AZURE_QUANTUM_CONNECTION_STRING)";
    const info: ConnectionInfo = {
      ...base,
      sources: { ...Object.fromEntries(Object.keys(base.sources).map((k) => [k, `Key Vault secret "q" in v (via ${via})`])) },
      decryption: { privateKeyFingerprint: "sha256:00000000", privateKeySource: "DOTENV_PRIVATE_KEY in /repo/.env.keys" },
      keySource: {
        kind: "dotenv",
        path: "/repo/.env",
        keyVault: {
          vaultUrl: "https://v.vault.azure.net/",
          vaultName: "v",
          secretName: "q",
          version: "0".repeat(32),
          pinned: false,
          syntax: "SecretUri",
          createdOn: undefined,
          readAt: "2026-01-01T00:00:00.000Z",
        },
      },
    } as ConnectionInfo;
    const bundle = renderWorkspaceCard(info, {
      authMode: "access key",
      keyFingerprint: base.apiKey!.fingerprint,
      probeMs: 12,
      credentialSource: "App Service managed identity (IDENTITY_ENDPOINT, IDENTITY_HEADER from encrypted .env /repo/.env)",
      setup: "emulator started",
      armEndpoint: { endpoint: "https://arm.example", source: "encrypted .env /repo/.env (AZURE_QUANTUM_ARM_ENDPOINT)" },
    });
    expect(labels(bundle["text/plain"] as string)).toEqual([
      "Region",
      "Kind",
      "Endpoint",
      "Resource Manager",
      "Subscription",
      "Resource group",
      "Auth",
      "Config from",
      "Decrypted with",
      "Key from",
      "Credential",
      "Setup",
      "Probe",
    ]);
    const json = bundle["application/json"] as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(expect.arrayContaining(["decryption", "keyVault", "credentialSource", "armEndpoint"]));
  });
});
