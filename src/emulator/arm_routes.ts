import { listKeys, regenerateKey } from "./arm_keys.ts";
import { foreignNamespace } from "./arm_namespace.ts";
import { getOperation, patchWorkspace, putWorkspace, resourceResponse } from "./arm_workspace.ts";
import { authenticateArm, authorizeArm } from "./auth.ts";
import { authorizationRoutes, isAuthorizationPath } from "./authorization_routes.ts";
import { ARM_API_VERSIONS, ARM_KEYS_MIN_API_VERSION } from "./constants.ts";
import type { EmulatorContext } from "./context.ts";
import { ArmErrors } from "./arm_errors.ts";
import { mismatch, parseWorkspacePath, workspaceResourceId } from "./paths.ts";

const OPERATION_PATH =
  /^\/providers\/microsoft\.quantum\/locations\/([^/]+)\/operationstatuses\/([^/]+)\/?$/i;
const ACTION = "Microsoft.Quantum/workspaces";

/**
 * The ARM handler for `Microsoft.Quantum/workspaces`: `GET/PUT/PATCH {P}`, `POST {P}/listKeys`,
 * `POST {P}/regenerateKey` and the operation-status resource; `Microsoft.Authorization` role
 * assignments and definitions go to {@link authorizationRoutes}, which checks its own api-versions.
 *
 * Checks run in ARM's order: authentication (401), route (`Microsoft.Authorization`: its routes;
 * an unregistered resource provider's namespace: its ARM answer, see {@link foreignNamespace}; no
 * route in a registered namespace: 404), api-version (400),
 * subscription and resource group (404), role (403), workspace (404), method (405), then the
 * operation. Routing comes before the api-version check, so a request meant for another provider
 * never gets a list of Quantum's api-versions.
 *
 * @param ctx The shared emulator context.
 * @returns A pure request handler.
 */
export function armRoutes(ctx: EmulatorContext): (req: Request) => Promise<Response> {
  return (req) => route(req, ctx);
}

function apiVersionError(url: URL): Response | undefined {
  const version = url.searchParams.get("api-version");
  if (!version) return ArmErrors.missingApiVersion();
  if (!ARM_API_VERSIONS.includes(version)) return ArmErrors.invalidApiVersion(version);
  return undefined;
}

// Another provider's route: an unknown subscription is still 404 first, as ARM resolves it first.
function foreign(url: URL, ctx: EmulatorContext): Response | undefined {
  const answer = foreignNamespace(url.pathname);
  if (!answer) return undefined;
  const sub = /^\/subscriptions\/([^/]+)/i.exec(url.pathname)?.[1];
  if (sub !== undefined && sub.toLowerCase() !== ctx.workspace.subscriptionId.toLowerCase()) {
    return ArmErrors.subscriptionNotFound(sub);
  }
  return answer;
}

async function route(req: Request, ctx: EmulatorContext): Promise<Response> {
  const claims = authenticateArm(req, ctx);
  if (claims instanceof Response) return claims;
  const url = new URL(req.url);
  // A registered namespace with its own api-versions: routed before any Quantum check.
  if (isAuthorizationPath(url.pathname)) return await authorizationRoutes(req, ctx, claims);

  const op = OPERATION_PATH.exec(url.pathname);
  if (op) {
    const badVersion = apiVersionError(url);
    if (badVersion) return badVersion;
    const denied = authorizeArm(
      ctx,
      claims,
      "Microsoft.Quantum/locations/operationStatuses/read",
      `/providers/Microsoft.Quantum/locations/${op[1]}`,
    );
    if (denied) return denied;
    if (req.method !== "GET") return ArmErrors.methodNotAllowed(req.method, ["GET"]);
    return getOperation(ctx, decodeURIComponent(op[2]!));
  }

  const path = parseWorkspacePath(url.pathname);
  const action = path?.rest.length === 0
    ? ""
    : path?.rest.length === 1
    ? path.rest[0]!.toLowerCase()
    : undefined;
  if (!path || (action !== "" && action !== "listkeys" && action !== "regeneratekey")) {
    return foreign(url, ctx) ?? ArmErrors.noRoute(req.method, url.pathname);
  }
  const badVersion = apiVersionError(url);
  if (badVersion) return badVersion;
  const version = url.searchParams.get("api-version")!;
  const wrong = mismatch(ctx.workspace, path);
  if (wrong === "subscription") return ArmErrors.subscriptionNotFound(path.subscriptionId);
  if (wrong === "resourceGroup") return ArmErrors.resourceGroupNotFound(path.resourceGroup);

  const allowed = action === "" ? ["GET", "PUT", "PATCH"] : ["POST"];
  const permission = action === "listkeys"
    ? `${ACTION}/listKeys/action`
    : action === "regeneratekey"
    ? `${ACTION}/regenerateKey/action`
    : req.method === "GET"
    ? `${ACTION}/read`
    : `${ACTION}/write`;
  const scope = workspaceResourceId(path);
  const denied = authorizeArm(ctx, claims, permission, scope);
  if (denied) return denied;
  if (wrong === "workspace") {
    return ArmErrors.resourceNotFound(
      "Microsoft.Quantum/workspaces",
      path.workspaceName,
      path.resourceGroup,
    );
  }
  if (!allowed.includes(req.method)) return ArmErrors.methodNotAllowed(req.method, allowed);
  if (action !== "" && version < ARM_KEYS_MIN_API_VERSION) {
    return ArmErrors.apiVersionWithoutKeys(
      version,
      action === "listkeys" ? "listKeys" : "regenerateKey",
    );
  }

  if (action === "listkeys") return listKeys(ctx, version);
  if (action === "regeneratekey") return await regenerateKey(req, ctx);
  if (req.method === "PUT") return await putWorkspace(req, ctx, version, claims.oid);
  if (req.method === "PATCH") return await patchWorkspace(req, ctx, version, claims.oid);
  return resourceResponse(ctx, version);
}
