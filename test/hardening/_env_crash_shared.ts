/**
 * What the crash test's writer child and the test agree on: the `.env` around the variable, and
 * the value child `c` writes on its `n`-th update (lengths vary, so a torn write would show).
 */
import { addPublicKeyHeader } from "../../src/config/dotenvx.ts";

export const VARIABLE = "AZURE_QUANTUM_CONNECTION_STRING";

const ENDPOINT = "QuantumEndpoint=https://eastus.quantum.azure.com/;";

/** Child `c`'s `n`-th value: a connection string whose key names both, padded to 10..410 chars. */
export function crashValue(c: number, n: number): string {
  const pad = "z".repeat((n * 7919 + c * 104729) % 400);
  return "SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=rg;" +
    `WorkspaceName=ws;ApiKey=K${c}N${n}${pad};${ENDPOINT}`;
}

/** The value the file starts with. */
export const INITIAL = crashValue(0, 0).replace("K0N0", "INITIAL");

/** The whole file when the variable holds `value`: every other line must survive every crash. */
export function envText(value: string): string {
  return [
    "# Azure Quantum notebook settings (crash test)",
    "export FOO=bar",
    "",
    `${VARIABLE}='${value}'   # rotated by the crash test`,
    'MULTI="line one',
    'line two"',
    "EMPTY=",
    "  INDENTED=keep me  ",
    "# last line",
    "",
  ].join("\n");
}

/** The same file encrypted with dotenvx's header for `publicKey` (the value then holds ciphertext). */
export function encryptedEnvText(stored: string, publicKey: string): string {
  return addPublicKeyHeader(envText(stored), {
    fileName: ".env",
    publicKeyName: "DOTENV_PUBLIC_KEY",
    publicKey,
  });
}
