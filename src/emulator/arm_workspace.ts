import { ARM_KEYS_MIN_API_VERSION } from "./constants.ts";
import type { EmulatorContext } from "./context.ts";
import { ArmErrors } from "./error_factory.ts";
import { workspaceResourceId } from "./paths.ts";
import { json } from "./responses.ts";
import type { WorkspaceChange } from "./store.ts";

const OPERATIONS_PATH = "/providers/Microsoft.Quantum/locations/EASTUS/operationStatuses";

/**
 * The `QuantumWorkspace` resource (reference §3.2) as ARM returns it at `apiVersion`:
 * `apiKeyEnabled` from 2023-11-13-preview on, `workspaceKind` from 2025-12-15-preview on.
 *
 * @param ctx The emulator context.
 * @param apiVersion The request's api-version.
 * @param shown What to show instead of the current state (a PUT's 201 shows the requested state).
 * @returns The JSON body.
 *
 * @example Usage
 * ```ts
 * import { workspaceResource } from "./arm_workspace.ts";
 * // workspaceResource(ctx, "2025-12-15-preview").properties.endpointUri
 * ```
 */
export function workspaceResource(
  ctx: EmulatorContext,
  apiVersion: string,
  shown: { provisioningState?: string; change?: WorkspaceChange } = {},
): Record<string, any> {
  const ws = ctx.workspace;
  const id = workspaceResourceId(ws);
  const store = ctx.store;
  const properties: Record<string, unknown> = {
    providers: store.providers.map((p) => ({
      providerId: p.id,
      providerSku: "pay-as-you-go",
      applicationName: `${ws.workspaceName}-${p.id}`,
      provisioningState: "Succeeded",
    })),
    usable: "Yes",
    provisioningState: shown.provisioningState ??
      (store.hasPendingOperation() ? "Accepted" : "Succeeded"),
    storageAccount: `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}` +
      `/providers/Microsoft.Storage/storageAccounts/emulatorstorage`,
    endpointUri: ctx.urls.dataPlane.replace(/\/+$/, ""),
  };
  if (apiVersion >= "2025-12-15-preview") properties.workspaceKind = "V1";
  if (apiVersion >= ARM_KEYS_MIN_API_VERSION) {
    properties.apiKeyEnabled = shown.change?.apiKeyEnabled ?? store.apiKeyEnabled;
  }
  return {
    id,
    name: ws.workspaceName,
    type: "Microsoft.Quantum/Workspaces",
    location: ws.location,
    tags: { ...(shown.change?.tags ?? store.tags) },
    identity: {
      type: "SystemAssigned",
      principalId: ctx.identity.principalId,
      tenantId: ctx.identity.tenantId,
    },
    properties,
  };
}

/**
 * The `Azure-AsyncOperation` URL of an operation, on the ARM listener.
 *
 * @example Usage
 * ```ts
 * import { operationUrl } from "./arm_workspace.ts";
 * // operationUrl(ctx, op.id, "2025-12-15-preview")
 * ```
 */
export function operationUrl(ctx: EmulatorContext, id: string, apiVersion: string): string {
  return `${ctx.urls.arm}${OPERATIONS_PATH}/${encodeURIComponent(id)}?api-version=${
    encodeURIComponent(apiVersion)
  }`;
}

async function readJsonObject(req: Request): Promise<Record<string, unknown> | Response> {
  const text = await req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return ArmErrors.invalidRequestContent("the body is not valid JSON.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return ArmErrors.invalidRequestContent("the body must be a JSON object.");
  }
  return body as Record<string, unknown>;
}

function parseTags(tags: unknown): Record<string, string> | Response | undefined {
  if (tags === undefined || tags === null) return undefined;
  if (
    typeof tags !== "object" || Array.isArray(tags) ||
    Object.values(tags).some((v) => typeof v !== "string")
  ) {
    return ArmErrors.invalidRequestContent("'tags' must be an object of strings.");
  }
  return { ...(tags as Record<string, string>) };
}

const sameTags = (a: Record<string, string>, b: Record<string, string>) =>
  JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/**
 * `PUT {P}`: a long-running update of `properties.apiKeyEnabled` and `tags` (fields left out are
 * kept). 201 with `Azure-AsyncOperation` and `Retry-After` when something changes, 200 without
 * when nothing does, 409 while another operation runs.
 *
 * @example Usage
 * ```ts
 * import { putWorkspace } from "./arm_workspace.ts";
 * // const res = await putWorkspace(req, ctx, "2025-12-15-preview");
 * ```
 */
export async function putWorkspace(
  req: Request,
  ctx: EmulatorContext,
  apiVersion: string,
): Promise<Response> {
  const body = await readJsonObject(req);
  if (body instanceof Response) return body;
  const ws = ctx.workspace;
  if (typeof body.location !== "string" || body.location === "") {
    return ArmErrors.invalidRequestContent("'location' is required.");
  }
  const normalized = body.location.toLowerCase().replace(/\s+/g, "");
  if (normalized !== ws.location) {
    return ArmErrors.invalidLocation(
      body.location,
      ws.location,
      ws.workspaceName,
      ws.resourceGroup,
    );
  }
  const properties = body.properties ?? {};
  if (typeof properties !== "object" || properties === null || Array.isArray(properties)) {
    return ArmErrors.invalidRequestContent("'properties' must be an object.");
  }
  const enabled = (properties as Record<string, unknown>).apiKeyEnabled;
  if (enabled !== undefined && enabled !== null && typeof enabled !== "boolean") {
    return ArmErrors.invalidRequestContent("'properties.apiKeyEnabled' must be a boolean.");
  }
  const tags = parseTags(body.tags);
  if (tags instanceof Response) return tags;

  const pending = [...ctx.store.operations.values()].find((op) => !op.applied);
  if (pending) return ArmErrors.operationInProgress(operationUrl(ctx, pending.id, apiVersion));
  const change: WorkspaceChange = {};
  if (
    typeof enabled === "boolean" && apiVersion >= ARM_KEYS_MIN_API_VERSION &&
    enabled !== ctx.store.apiKeyEnabled
  ) {
    change.apiKeyEnabled = enabled;
  }
  if (tags && !sameTags(tags, ctx.store.tags)) change.tags = tags;
  if (Object.keys(change).length === 0) return json(200, workspaceResource(ctx, apiVersion));

  const op = ctx.store.startOperation(change, ctx.now());
  return json(201, workspaceResource(ctx, apiVersion, { provisioningState: "Accepted", change }), {
    "azure-asyncoperation": operationUrl(ctx, op.id, apiVersion),
    "retry-after": String(ctx.store.knobs.lroRetryAfterSeconds),
  });
}

/**
 * `PATCH {P}` (`Workspaces_UpdateTags`): replaces the tags; every other field is ignored.
 *
 * @example Usage
 * ```ts
 * import { patchWorkspace } from "./arm_workspace.ts";
 * // const res = await patchWorkspace(req, ctx, "2025-12-15-preview");
 * ```
 */
export async function patchWorkspace(
  req: Request,
  ctx: EmulatorContext,
  apiVersion: string,
): Promise<Response> {
  const body = await readJsonObject(req);
  if (body instanceof Response) return body;
  const tags = parseTags(body.tags);
  if (tags instanceof Response) return tags;
  if (tags && !sameTags(tags, ctx.store.tags)) ctx.store.apply({ tags }, ctx.now());
  return json(200, workspaceResource(ctx, apiVersion));
}

/**
 * `GET /providers/Microsoft.Quantum/locations/{loc}/operationStatuses/{id}`: `Accepted` until the
 * operation's time is up, then `Succeeded` with `endTime` (the change is applied by then).
 *
 * @example Usage
 * ```ts
 * import { getOperation } from "./arm_workspace.ts";
 * // const res = getOperation(ctx, id);
 * ```
 */
export function getOperation(ctx: EmulatorContext, id: string): Response {
  const op = ctx.store.operations.get(id);
  if (!op) return ArmErrors.operationNotFound(id);
  ctx.store.settle(ctx.now());
  const body: Record<string, unknown> = {
    id: `${OPERATIONS_PATH}/${op.id}`,
    name: op.id,
    resourceId: workspaceResourceId(ctx.workspace),
    status: op.applied ? "Succeeded" : "Accepted",
    startTime: new Date(op.startTime).toISOString(),
  };
  if (op.applied) {
    body.endTime = new Date(op.completesAt).toISOString();
    body.properties = null;
  }
  return json(200, body);
}
