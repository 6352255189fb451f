import { test } from "vitest";
import { parseConnectionString } from "../../src/connection/connection_string.ts";
test("x", () => {
  const G = "11111111-2222-3333-4444-555555555555";
  for (const t of [
    `SubscriptionId=${G};ResourceGroupName=rg;WorkspaceName=ws;abcDEF123==;QuantumEndpoint=https://eastus.quantum.azure.com/`,
    `SubscriptionId=${G};ResourceGroupName=rg;WorkspaceName=ws;ZGVhZGJlZWZjYWZlYmFiZQ==;QuantumEndpoint=https://eastus.quantum.azure.com/`,
  ]) { try { parseConnectionString(t) } catch (e) { console.log((e as Error).message, (e as any).field) } }
});
