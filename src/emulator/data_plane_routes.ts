import { authenticateDataPlane } from "./auth.ts";
import { DATA_PLANE_API_VERSIONS } from "./constants.ts";
import type { EmulatorContext } from "./context.ts";
import { DataPlaneErrors } from "./data_plane_errors.ts";
import { mismatch, parseWorkspacePath } from "./paths.ts";
import { json } from "./responses.ts";
import type { EmulatorProvider, EmulatorTarget } from "./sample_providers.ts";

const LISTS = ["providerstatus", "quotas", "jobs", "sessions", "toplevelitems"] as const;

function renderTarget(t: EmulatorTarget): Record<string, unknown> {
  const out: Record<string, unknown> = {
    id: t.id,
    currentAvailability: t.currentAvailability,
    averageQueueTime: t.averageQueueTime,
  };
  if (t.statusPage !== undefined) out.statusPage = t.statusPage;
  if (t.numQubits !== undefined) out.numQubits = t.numQubits;
  if (t.targetProfile !== undefined) out.targetProfile = t.targetProfile;
  if (t.metadata !== undefined) out.metadata = t.metadata;
  return out;
}

const renderProvider = (p: EmulatorProvider) => ({
  id: p.id,
  currentAvailability: p.currentAvailability,
  targets: p.targets.map(renderTarget),
});

/**
 * The data-plane handler: `GET {endpoint}/subscriptions/{sub}/resourceGroups/{rg}/providers/
 * Microsoft.Quantum/workspaces/{ws}/providerStatus` and `…/quotas`, and the always empty `…/jobs`,
 * `…/sessions` and `…/topLevelItems` (which take `filter`, `orderby`, `skip` and `top` as the
 * Python SDK sends them), with `api-version` required, API-key or bearer auth, and pages of
 * `pageSize` items linked by `nextLink` (an absolute URL on the data-plane endpoint that keeps the
 * request's query and adds `skiptoken`).
 *
 * Checks run in this order: route (404), method (405), api-version (400), workspace (404), auth
 * (401 with an empty body), query (400).
 *
 * @param ctx The shared emulator context.
 * @returns A pure request handler.
 */
export function dataPlaneRoutes(ctx: EmulatorContext): (req: Request) => Promise<Response> {
  return (req) => Promise.resolve(route(req, ctx));
}

function route(req: Request, ctx: EmulatorContext): Response {
  const url = new URL(req.url);
  const path = parseWorkspacePath(url.pathname);
  const list = path?.rest.length === 1 ? path.rest[0]!.toLowerCase() : undefined;
  if (!path || !LISTS.includes(list as typeof LISTS[number])) {
    return DataPlaneErrors.noRoute(req.method, url.pathname);
  }
  if (req.method !== "GET") return DataPlaneErrors.methodNotAllowed(req.method);
  const version = url.searchParams.get("api-version");
  if (!version) return DataPlaneErrors.missingApiVersion();
  if (!DATA_PLANE_API_VERSIONS.includes(version)) return DataPlaneErrors.invalidApiVersion(version);
  if (mismatch(ctx.workspace, path)) {
    return DataPlaneErrors.workspaceNotFound(
      path.subscriptionId,
      path.resourceGroup,
      path.workspaceName,
    );
  }
  const rejected = authenticateDataPlane(req, ctx);
  if (rejected) return rejected;

  const skipToken = url.searchParams.get("skiptoken") ?? "0";
  const skip = Number(skipToken);
  if (!Number.isInteger(skip) || skip < 0) {
    return DataPlaneErrors.invalidQuery("skiptoken", skipToken);
  }
  let items: unknown[];
  if (list === "providerstatus") items = ctx.store.providers.map(renderProvider);
  else if (list === "quotas") items = structuredClone(ctx.store.quotas);
  else {
    for (const name of ["top", "skip"]) {
      const value = url.searchParams.get(name);
      if (value !== null && !/^\d+$/.test(value)) return DataPlaneErrors.invalidQuery(name, value);
    }
    items = []; // jobs, sessions, topLevelItems: no job or session ever runs in the emulator
  }
  const size = ctx.store.pageSize ?? Infinity;
  const page = items.slice(skip, skip + size);
  let nextLink: string | null = null;
  if (skip + size < items.length) {
    const next = new URL(url.pathname + url.search, ctx.urls.dataPlane);
    next.searchParams.set("skiptoken", String(skip + size));
    nextLink = next.href;
  }
  return json(200, { value: page, nextLink });
}
