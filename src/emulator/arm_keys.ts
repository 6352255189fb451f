import type { EmulatorContext, WorkspaceIds } from "./context.ts";
import { ArmErrors } from "./arm_errors.ts";
import { empty, json } from "./responses.ts";
import type { KeyName } from "./store.ts";

/**
 * A connection string in the canonical order the Python SDK accepts:
 * `SubscriptionId=…;ResourceGroupName=…;WorkspaceName=…;ApiKey=…;QuantumEndpoint=…;`.
 * The emulator builds its own (it shares no code with the client side of this module).
 *
 * @param ws The workspace identifiers.
 * @param key The access key.
 * @param endpoint The data-plane endpoint, with its trailing slash.
 * @returns The connection string (a secret: wrap it in `Secret` before it travels).
 */
export function emulatorConnectionString(ws: WorkspaceIds, key: string, endpoint: string): string {
  return `SubscriptionId=${ws.subscriptionId};ResourceGroupName=${ws.resourceGroup};` +
    `WorkspaceName=${ws.workspaceName};ApiKey=${key};QuantumEndpoint=${endpoint};`;
}

/**
 * api-versions whose real `listKeys` answer was recorded without `createdAt` (Azure/azure-cli-extensions
 * `src/quantum/azext_quantum/tests/latest/recordings/test_workspace_keys.yaml` at 107f8ece, 2025-09).
 * Other versions follow the REST spec's example, which has it.
 */
export const LIST_KEYS_WITHOUT_CREATED_AT: readonly string[] = ["2023-11-13-preview"];

/**
 * `POST {P}/listKeys` (reference §3.4): 200 with both keys and connection strings, and each key's
 * `createdAt` except at the api-versions where Azure was recorded without it
 * ({@link LIST_KEYS_WITHOUT_CREATED_AT}). While keys are disabled it still answers 200, with
 * `apiKeyEnabled: false` and the keys (which the data plane rejects).
 */
export function listKeys(ctx: EmulatorContext, apiVersion: string): Response {
  const { keys, apiKeyEnabled } = ctx.store;
  const dated = !LIST_KEYS_WITHOUT_CREATED_AT.includes(apiVersion);
  const key = (name: KeyName) => ({
    ...(dated ? { createdAt: keys[name].createdAt } : {}),
    key: keys[name].key.reveal(),
  });
  const cs = (name: KeyName) =>
    emulatorConnectionString(ctx.workspace, keys[name].key.reveal(), ctx.urls.dataPlane);
  return json(200, {
    apiKeyEnabled,
    primaryKey: key("primary"),
    secondaryKey: key("secondary"),
    primaryConnectionString: cs("primary"),
    secondaryConnectionString: cs("secondary"),
  });
}

/**
 * `POST {P}/regenerateKey` (reference §3.5) with `{"keys":["Primary"|"Secondary",…]}` (any case):
 * 204, and the old keys stop working on the next request. A bad body is a 400
 * `InvalidRequestContent`; keys disabled is a 409 `ApiKeysDisabled`.
 */
export async function regenerateKey(req: Request, ctx: EmulatorContext): Promise<Response> {
  let body: unknown;
  try {
    body = JSON.parse(await req.text());
  } catch {
    return ArmErrors.invalidRequestContent(`the body must be JSON like {"keys":["Primary"]}.`);
  }
  const keys = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    return ArmErrors.invalidRequestContent(
      `'keys' must be a non-empty array of "Primary" and "Secondary".`,
    );
  }
  const names = new Set<KeyName>();
  for (const k of keys) {
    const name = typeof k === "string" ? k.toLowerCase() : "";
    if (name !== "primary" && name !== "secondary") {
      return ArmErrors.invalidRequestContent(
        `'keys' holds ${JSON.stringify(k)}; the allowed values are "Primary" and "Secondary".`,
      );
    }
    names.add(name);
  }
  if (!ctx.store.apiKeyEnabled) return ArmErrors.keysDisabled();
  ctx.store.regenerate([...names], ctx.now());
  return empty(204);
}
