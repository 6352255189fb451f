// Fixtures shared by the loadConnection suites: the Python SDK's test constants (tests/common.py)
// and its "wrong" connection string (test_workspace_from_connection_string b).
export const G = "11111111-2222-3333-4444-555555555555";
export const BAD_G = "00000000-2BAD-2BAD-2BAD-000000000000";
export const KEY = "Zk3yS3cr3tValue/+==";
export const KEY2 = "0th3rK3yValue_-";
export const cs = (o: { sub?: string; rg?: string; ws?: string; key?: string; endpoint?: string } = {}) =>
  `SubscriptionId=${o.sub ?? G};ResourceGroupName=${o.rg ?? "myresourcegroup"};` +
  `WorkspaceName=${o.ws ?? "myworkspace"};ApiKey=${o.key ?? KEY};` +
  `QuantumEndpoint=${o.endpoint ?? "https://eastus.quantum.azure.com/"};`;
export const WRONG = cs({
  sub: BAD_G,
  rg: "wrongrg",
  ws: "wrong-workspace",
  endpoint: "https://westus.quantum.azure.com/",
  key: KEY2,
});
export const ENV_CS = "env AZURE_QUANTUM_CONNECTION_STRING";
export const FIX =
  "Make them describe the same workspace, or remove one of them (unset the variable, or pass envFile: false to ignore .env)";
