/**
 * Resource Manager's `Microsoft.Authorization` for the emulated workspace: role assignments
 * (list with `$filter`, get, create, delete) and role definitions (get by id, list with
 * `$filter=roleName eq '…'`), in the shapes of api-version 2022-04-01 (Azure/azure-rest-api-specs
 * `specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/
 * authorization-RoleAssignmentsCalls.json` and `…RoleDefinitionsCalls.json`, examples
 * `RoleAssignments_CreateForResource.json`, `RoleAssignments_ListForScope.json`,
 * `RoleAssignments_Delete.json`, `GetRoleDefinitionById.json`).
 *
 * Scopes: role assignments at the emulator's subscription, resource group or workspace; role
 * definitions at those or at the tenant (`/providers/Microsoft.Authorization/…`).
 *
 * @module
 */
import { authorizeArm } from "./auth.ts";
import { AUTHORIZATION_API_VERSIONS } from "./constants.ts";
import type { EmulatorContext } from "./context.ts";
import { ArmErrors } from "./arm_errors.ts";
import { RA, RD, renderRoleAssignment, renderRoleDefinition } from "./authorization_bodies.ts";
import { workspaceResourceId } from "./paths.ts";
import { type AssignResult, PRINCIPAL_TYPES, scopeCovers } from "./rbac.ts";
import { RbacErrors } from "./rbac_errors.ts";
import { empty, json } from "./responses.ts";
import { BUILT_IN_ROLES, findRole, isGuid } from "./role_definitions.ts";
import type { TokenClaims } from "./tokens.ts";

const PATH =
  /^(.*?)\/providers\/microsoft\.authorization\/(roleassignments|roledefinitions)(?:\/([^/]+))?\/?$/i;

/**
 * True when `pathname` is a `Microsoft.Authorization` role assignment or definition path.
 */
export const isAuthorizationPath = (pathname: string): boolean => PATH.test(pathname);

type Scope = { kind: "tenant" | "subscription" | "resourceGroup" | "workspace"; id: string };

function parseScope(raw: string, ctx: EmulatorContext, method: string): Scope | Response {
  const ws = ctx.workspace;
  const seg = raw.split("/").filter(Boolean);
  const lit = (i: number, word: string) => seg[i]?.toLowerCase() === word;
  const same = (a: string | undefined, b: string) => a?.toLowerCase() === b.toLowerCase();
  const shapes = [0, 2, 4, 8];
  const shaped = shapes.includes(seg.length) && (seg.length === 0 || lit(0, "subscriptions")) &&
    (seg.length < 4 || lit(2, "resourcegroups")) &&
    (seg.length < 8 ||
      (lit(4, "providers") && lit(5, "microsoft.quantum") && lit(6, "workspaces")));
  if (!shaped) return ArmErrors.noRoute(method, raw || "/");
  if (seg.length === 0) return { kind: "tenant", id: "" };
  if (!same(seg[1], ws.subscriptionId)) return ArmErrors.subscriptionNotFound(seg[1]!);
  if (seg.length === 2) return { kind: "subscription", id: `/subscriptions/${ws.subscriptionId}` };
  if (!same(seg[3], ws.resourceGroup)) return ArmErrors.resourceGroupNotFound(seg[3]!);
  if (seg.length === 4) {
    return {
      kind: "resourceGroup",
      id: `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}`,
    };
  }
  if (!same(seg[7], ws.workspaceName)) {
    return ArmErrors.resourceNotFound("Microsoft.Quantum/workspaces", seg[7]!, seg[3]!);
  }
  return { kind: "workspace", id: workspaceResourceId(ws) };
}

/**
 * Handles a `Microsoft.Authorization` request for an authenticated caller. Checks run in ARM's
 * order: api-version (400), route and scope (404), authorization (403), method (405), request
 * (400/404/409), then the operation.
 *
 * @param req The request.
 * @param ctx The emulator context.
 * @param claims The caller's token claims.
 * @returns The response.
 */
export async function authorizationRoutes(
  req: Request,
  ctx: EmulatorContext,
  claims: TokenClaims,
): Promise<Response> {
  const url = new URL(req.url);
  const version = url.searchParams.get("api-version");
  if (!version) return ArmErrors.missingApiVersion();
  if (!AUTHORIZATION_API_VERSIONS.includes(version)) {
    return RbacErrors.invalidApiVersion(version, AUTHORIZATION_API_VERSIONS);
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return ArmErrors.noRoute(req.method, url.pathname);
  }
  const [, rawScope, kind, id] = PATH.exec(path)!;
  const scope = parseScope(rawScope!, ctx, req.method);
  if (scope instanceof Response) return scope;
  const filter = url.searchParams.get("$filter");
  if (kind!.toLowerCase() === "roledefinitions") {
    const denied = authorizeArm(ctx, claims, `${RD}/read`, scope.id || "/");
    if (denied) return denied;
    if (req.method !== "GET") return ArmErrors.methodNotAllowed(req.method, ["GET"]);
    return id === undefined ? listDefinitions(ctx, scope, filter) : getDefinition(ctx, scope, id);
  }
  if (scope.kind === "tenant") return ArmErrors.noRoute(req.method, url.pathname);
  if (id === undefined) {
    const denied = authorizeArm(ctx, claims, `${RA}/read`, scope.id);
    if (denied) return denied;
    if (req.method !== "GET") return ArmErrors.methodNotAllowed(req.method, ["GET"]);
    return listAssignments(ctx, scope, filter);
  }
  const action = { GET: "read", PUT: "write", DELETE: "delete" }[req.method] ?? "read";
  const denied = authorizeArm(ctx, claims, `${RA}/${action}`, `${scope.id}/providers/${RA}/${id}`);
  if (denied) return denied;
  if (!["GET", "PUT", "DELETE"].includes(req.method)) {
    return ArmErrors.methodNotAllowed(req.method, ["GET", "PUT", "DELETE"]);
  }
  if (!isGuid(id)) return RbacErrors.invalidRoleAssignmentId(id);
  if (req.method === "PUT") return await putAssignment(req, ctx, claims, scope, id);
  const found = ctx.rbac.find(id);
  const here = found && found.scope.toLowerCase() === scope.id.toLowerCase() ? found : undefined;
  if (req.method === "GET") {
    return here
      ? json(200, renderRoleAssignment(ctx, here))
      : RbacErrors.roleAssignmentNotFound(id);
  }
  if (!here) return empty(204);
  ctx.rbac.remove(id);
  return json(200, renderRoleAssignment(ctx, here));
}

type Term = { atScope: true } | { principalId: string };

function parseFilter(filter: string | null): Term[] | undefined {
  if (filter === null || filter.trim() === "") return [];
  const terms: Term[] = [];
  for (const part of filter.trim().split(/\s+and\s+/i)) {
    const atScope = /^atScope\(\)$/i.exec(part);
    const principal = /^principalId\s+eq\s+'?([0-9a-f-]{36})'?$/i.exec(part) ??
      /^assignedTo\('([0-9a-f-]{36})'\)$/i.exec(part);
    if (atScope) terms.push({ atScope: true });
    else if (principal) terms.push({ principalId: principal[1]!.toLowerCase() });
    else return undefined;
  }
  return terms;
}

function listAssignments(ctx: EmulatorContext, scope: Scope, filter: string | null): Response {
  const terms = parseFilter(filter);
  if (!terms) return RbacErrors.unsupportedFilter(filter!);
  const atScope = terms.some((t) => "atScope" in t);
  const principals = terms.flatMap((t) => "principalId" in t ? [t.principalId] : []);
  const value = ctx.rbac.assignments().filter((a) =>
    (scopeCovers(a.scope, scope.id) || (!atScope && scopeCovers(scope.id, a.scope))) &&
    principals.every((p) => a.principalId === p)
  );
  return json(200, { value: value.map((a) => renderRoleAssignment(ctx, a)) });
}

function getDefinition(ctx: EmulatorContext, scope: Scope, id: string): Response {
  const role = isGuid(id) ? findRole(id) : undefined;
  if (!role) return RbacErrors.roleDefinitionDoesNotExist(id, 404);
  return json(200, renderRoleDefinition(ctx, role, scope.kind === "tenant"));
}

function listDefinitions(ctx: EmulatorContext, scope: Scope, filter: string | null): Response {
  let roles = [...BUILT_IN_ROLES];
  if (filter !== null && filter.trim() !== "") {
    const byName = /^roleName\s+eq\s+'([^']*)'$/i.exec(filter.trim());
    const byType = /^type\s+eq\s+'([^']*)'$/i.exec(filter.trim());
    if (byName) roles = roles.filter((r) => r.roleName.toLowerCase() === byName[1]!.toLowerCase());
    else if (byType) roles = byType[1]!.toLowerCase() === "builtinrole" ? roles : [];
    else return RbacErrors.unsupportedFilter(filter);
  }
  return json(200, { value: roles.map((r) => renderRoleDefinition(ctx, r, scope.kind === "tenant")) });
}

async function putAssignment(
  req: Request,
  ctx: EmulatorContext,
  claims: TokenClaims,
  scope: Scope,
  name: string,
): Promise<Response> {
  let body: unknown;
  try {
    body = JSON.parse(await req.text());
  } catch {
    return RbacErrors.invalidRequestContent("the body is not valid JSON.");
  }
  const props = (body as { properties?: unknown } | null)?.properties;
  if (typeof props !== "object" || props === null || Array.isArray(props)) {
    return RbacErrors.invalidRequestContent(`'properties' is required.`);
  }
  const p = props as Record<string, unknown>;
  if (typeof p.roleDefinitionId !== "string" || typeof p.principalId !== "string") {
    return RbacErrors.invalidRequestContent(
      `'properties.roleDefinitionId' and 'properties.principalId' are required strings.`,
    );
  }
  if (!isGuid(p.principalId)) return RbacErrors.invalidPrincipalId();
  if (p.principalType !== undefined && !PRINCIPAL_TYPES.includes(p.principalType as string)) {
    return RbacErrors.invalidRequestContent(
      `'properties.principalType' must be one of ${PRINCIPAL_TYPES.join(", ")}.`,
    );
  }
  if (typeof p.scope === "string" && p.scope.toLowerCase() !== scope.id.toLowerCase()) {
    return RbacErrors.invalidRequestContent(
      `the role assignment scope '${p.scope}' must match the scope in the URI '${scope.id}'.`,
    );
  }
  const def =
    /^(?:\/subscriptions\/([^/]+))?\/providers\/microsoft\.authorization\/roledefinitions\/([^/]+)$/i
      .exec(p.roleDefinitionId);
  const sameSubscription = (sub: string | undefined) =>
    !sub || sub.toLowerCase() === ctx.workspace.subscriptionId.toLowerCase();
  const guid = def && sameSubscription(def[1]) && def[2]!;
  const result: AssignResult = guid
    ? ctx.rbac.assign({
      name,
      scope: scope.id,
      roleDefinitionId: guid,
      principalId: p.principalId,
      principalType: p.principalType as string | undefined,
      by: claims.oid,
    }, ctx.now())
    : { ok: false, failure: "RoleDefinitionDoesNotExist" };
  if (result.ok) return json(result.created ? 201 : 200, renderRoleAssignment(ctx, result.record));
  switch (result.failure) {
    case "RoleDefinitionDoesNotExist":
      return RbacErrors.roleDefinitionDoesNotExist(p.roleDefinitionId, 400);
    case "PrincipalNotFound":
      return RbacErrors.principalNotFound(p.principalId, ctx.identity.tenantId);
    case "UnmatchedPrincipalType":
      return RbacErrors.unmatchedPrincipalType(
        p.principalId,
        result.principalType!,
        p.principalType as string,
      );
    case "RoleAssignmentExists":
      return RbacErrors.roleAssignmentExists();
    case "RoleAssignmentUpdateNotPermitted":
      return RbacErrors.updateNotPermitted();
    default:
      return RbacErrors.invalidRoleAssignmentId(name);
  }
}
