import { createHash } from "node:crypto";
import { ARM_KEYS_MIN_API_VERSION } from "./constants.ts";
import type { EmulatorContext } from "./context.ts";
import { ArmErrors } from "./arm_errors.ts";
import { workspaceResourceId } from "./paths.ts";
import { json } from "./responses.ts";
import type { WorkspaceChange } from "./store.ts";

const OPERATIONS_PATH = "/providers/Microsoft.Quantum/locations/EASTUS/operationStatuses";

/**
 * An ETag in the quoted GUID-like form Azure's recorded responses carry
 * (`"e10092fe-0000-0700-0000-68db18d30000"`), derived from the body so it changes with it.
 */
export function etagOf(body: unknown): string {
  const h = createHash("sha256").update(JSON.stringify(body)).digest("hex");
  return `"${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${
    h.slice(20, 32)
  }"`;
}

// The recorded resource shows `createdByType`/`lastModifiedByType`: the directory's principal type
// (a managed identity, an application's service principal or a user); an id it lacks is a user.
function systemData(ctx: EmulatorContext, modified: { at: number; by?: string }) {
  const by = modified.by ?? ctx.identity.principalId;
  const kind = (id: string) => {
    const p = ctx.rbac.principal(id);
    if (id === ctx.identity.principalId || p?.servicePrincipalType === "ManagedIdentity") {
      return "ManagedIdentity";
    }
    return p?.type === "ServicePrincipal" ? "Application" : "User";
  };
  return {
    createdBy: ctx.identity.principalId,
    createdByType: kind(ctx.identity.principalId),
    createdAt: new Date(ctx.store.created.at).toISOString(),
    lastModifiedBy: by,
    lastModifiedByType: kind(by),
    lastModifiedAt: new Date(modified.at).toISOString(),
  };
}

// A stable GUID per provider, like the recorded `resourceUsageId`.
function usageId(ws: string, provider: string): string {
  const h = createHash("sha256").update(`${ws}/${provider}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${
    h.slice(20, 32)
  }`;
}

/**
 * The `QuantumWorkspace` resource (reference §3.2) as ARM returns it at `apiVersion`:
 * `apiKeyEnabled` from 2023-11-13-preview on, `workspaceKind` from 2025-12-15-preview on; `type`
 * in lowercase and `systemData`, as recorded (Azure/azure-cli-extensions
 * `src/quantum/azext_quantum/tests/latest/recordings/test_workspace_keys.yaml`).
 *
 * @param ctx The emulator context.
 * @param apiVersion The request's api-version.
 * @param shown What to show instead of the current state: a PUT's 201 shows the requested state,
 *   `provisioningState: "Accepted"`, no `usable`, and its caller as the last modifier.
 * @returns The JSON body.
 */
export function workspaceResource(
  ctx: EmulatorContext,
  apiVersion: string,
  shown: { provisioningState?: string; change?: WorkspaceChange; modifiedBy?: string } = {},
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
      resourceUsageId: usageId(ws.workspaceName, p.id),
    })),
    usable: "Yes",
    provisioningState: shown.provisioningState ??
      (store.hasPendingOperation() ? "Accepted" : "Succeeded"),
    storageAccount: `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}` +
      `/providers/Microsoft.Storage/storageAccounts/emulatorstorage`,
    endpointUri: ctx.urls.dataPlane.replace(/\/+$/, ""),
  };
  if (shown.provisioningState) delete properties.usable;
  if (apiVersion >= "2025-12-15-preview") properties.workspaceKind = "V1";
  if (apiVersion >= ARM_KEYS_MIN_API_VERSION) {
    properties.apiKeyEnabled = shown.change?.apiKeyEnabled ?? store.apiKeyEnabled;
  }
  const modified = shown.modifiedBy !== undefined
    ? { at: ctx.now(), by: shown.modifiedBy }
    : store.modified;
  return {
    id,
    name: ws.workspaceName,
    type: "microsoft.quantum/workspaces",
    location: ws.location,
    tags: { ...(shown.change?.tags ?? store.tags) },
    systemData: systemData(ctx, modified),
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
 */
export function operationUrl(ctx: EmulatorContext, id: string, apiVersion: string): string {
  return `${ctx.urls.arm}${OPERATIONS_PATH}/${encodeURIComponent(id)}?api-version=${
    encodeURIComponent(apiVersion)
  }`;
}

/**
 * A 200 (or `status`) with the resource and its `ETag`, as ARM answers GET, PATCH and PUT.
 */
export function resourceResponse(
  ctx: EmulatorContext,
  apiVersion: string,
  status = 200,
  shown: Parameters<typeof workspaceResource>[2] = {},
  headers: Record<string, string> = {},
): Response {
  const body = workspaceResource(ctx, apiVersion, shown);
  return json(status, body, { etag: etagOf(body), ...headers });
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
 * kept). 201 with `Azure-AsyncOperation` (and `Retry-After` only when the knob sets one: the
 * recorded 201 has none) when something changes, 200 without when nothing does, 409 while another
 * operation runs. `by` is the caller's principal id.
 */
export async function putWorkspace(
  req: Request,
  ctx: EmulatorContext,
  apiVersion: string,
  by?: string,
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
  if (Object.keys(change).length === 0) return resourceResponse(ctx, apiVersion);

  const op = ctx.store.startOperation(change, ctx.now(), by);
  const retryAfter = ctx.store.knobs.lroRetryAfterSeconds;
  return resourceResponse(
    ctx,
    apiVersion,
    201,
    { provisioningState: "Accepted", change, modifiedBy: by },
    {
      "azure-asyncoperation": operationUrl(ctx, op.id, apiVersion),
      ...(retryAfter === undefined ? {} : { "retry-after": String(retryAfter) }),
    },
  );
}

/**
 * `PATCH {P}` (`Workspaces_UpdateTags`): replaces the tags; every other field is ignored.
 */
export async function patchWorkspace(
  req: Request,
  ctx: EmulatorContext,
  apiVersion: string,
  by?: string,
): Promise<Response> {
  const body = await readJsonObject(req);
  if (body instanceof Response) return body;
  const tags = parseTags(body.tags);
  if (tags instanceof Response) return tags;
  if (tags && !sameTags(tags, ctx.store.tags)) ctx.store.apply({ tags }, ctx.now(), by);
  return resourceResponse(ctx, apiVersion);
}

/**
 * `GET /providers/Microsoft.Quantum/locations/{loc}/operationStatuses/{id}`: `Accepted` until the
 * operation's time is up, then `Succeeded` with `properties: null` and no `endTime`, as recorded
 * (the change is applied by then); an `ETag`, and no `Retry-After`, as recorded.
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
  if (op.applied) body.properties = null;
  return json(200, body, { etag: etagOf(body) });
}
