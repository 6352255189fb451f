// Positive control for the module-load check: the same detector must see @azure/identity and
// MSAL in a process that does load them.
import { runChild } from "../lib/child.mjs";

await runChild(async () => {
  const { DefaultAzureCredential } = await import("@azure/identity");
  return { loaded: typeof DefaultAzureCredential === "function" };
});
