/**
 * The Microsoft Entra readiness check: who this kernel is signed in as (the claims of its
 * Resource Manager token), whether that identity reaches the data plane (one `providerStatus`
 * GET with a bearer token), the role assignments on the workspace (inherited ones included) and
 * which give data access, and the verdict: can access keys be disabled without locking anyone out?
 *
 * @module
 */

import type { ArmClient } from "../arm/arm_client.ts";
import { getRoleDefinition, listRoleAssignments, type RoleDefinition } from "../arm/role_assignments.ts";
import type { Settings } from "../config/settings.ts";
import { describeIdentity } from "../connection/token_claims.ts";
import { DataPlaneClient } from "../data_plane/data_plane_client.ts";
import { isArmError, isUnauthorizedError } from "../request_errors.ts";
import type { DataPlaneOutcome, ReadinessAssignment, ReadinessData } from "../render/readiness_card.ts";
import type { TokenIdentity } from "../connection/token_claims.ts";
import { dataAccessOf, fixFor, keyAccessOf, keyOnlyPrincipals, levelOf, noKeyAccessPrincipals, verdictOf } from "./role_access.ts";

/** What the check needs of a workspace (a `Workspace` is one). */
export interface ReadinessHost {
  /** The settings (connection, credential, transport) of its clients. */
  readonly settings: Settings;
  /** Set when the kernel sends an access key on the data plane. */
  readonly liveKey: unknown;
}

/** Options of {@link checkReadiness}. */
export interface ReadinessCheckOptions {
  /** Aborts the check. */
  signal?: AbortSignal;
  /** Clock. @default Date.now */
  now?: () => number;
  /** `apiKeyEnabled`, when the caller read the workspace already (saves a GET). */
  apiKeyEnabled?: boolean;
}

/** The report, and the one line that names the identity. */
export interface ReadinessCheck {
  data: ReadinessData;
  describe: string;
}

/** One providerStatus GET with this kernel's Entra token: 200, or the 401/403 that says why not. */
export async function probe(settings: Settings, signal: AbortSignal | undefined) {
  const client = DataPlaneClient.fromSettings(settings, undefined);
  try {
    await client.providerStatusPage(undefined, { signal, action: "connect" });
    return { outcome: "reached" as DataPlaneOutcome, status: 200 };
  } catch (e) {
    if (!isUnauthorizedError(e) || (e.statusCode !== 401 && e.statusCode !== 403)) throw e;
    return {
      outcome: (e.statusCode === 403 ? "forbidden" : "unauthorized") as DataPlaneOutcome,
      status: e.statusCode,
      ...(e.serviceCode ? { serviceCode: e.serviceCode } : {}),
    };
  }
}

// Each distinct role definition once; one that cannot be read counts as unknown, not as none.
async function definitions(arm: ArmClient, ids: string[], signal: AbortSignal | undefined) {
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  const found = await Promise.all(
    unique.map((id) => getRoleDefinition(arm, id, { signal }).catch((e) => {
      if (!isArmError(e) || e.statusCode === undefined) throw e;
      return undefined;
    })),
  );
  return new Map<string, RoleDefinition | undefined>(unique.map((id, i) => [id, found[i]]));
}

/**
 * The role assignments that apply to the workspace, each with what its role gives (data access,
 * key access) and whether it names `identity`. `readiness.fixOthers()` reads them again before it
 * acts, so that it never acts on a stale report.
 *
 * @throws {ArmError} 403 when the caller may not read role assignments; request errors as they come.
 */
export async function readAssignments(
  arm: ArmClient,
  identity: TokenIdentity | undefined,
  signal: AbortSignal | undefined,
): Promise<ReadinessAssignment[]> {
  const listed = await listRoleAssignments(arm, { signal });
  const defs = await definitions(arm, listed.map((a) => a.roleDefinitionId), signal);
  return listed.map((a) => {
    const def = defs.get(a.roleDefinitionId.toLowerCase());
    const keyAccess = keyAccessOf(def);
    return {
      roleName: def?.roleName ?? a.roleDefinitionId.replace(/^.*\//, ""),
      principalId: a.principalId,
      principalType: a.principalType,
      scope: a.scope,
      level: levelOf(a.scope, arm.resourceId),
      dataAccess: dataAccessOf(def),
      ...(keyAccess === undefined ? {} : { keyAccess }),
      you: identity !== undefined && a.principalId === identity.objectId,
    };
  });
}

/**
 * Runs the readiness check for `host`'s workspace through `arm` (its Resource Manager client).
 * A caller that may not read role assignments (403) still gets a report: the verdict then rests
 * on the data-plane probe alone, and says so.
 *
 * @throws {ArmError} `CredentialUnavailable` / `CredentialFailed` when there is no Entra sign-in;
 *   other request errors (network, 5xx) as they come.
 */
export async function checkReadiness(
  host: ReadinessHost,
  arm: ArmClient,
  options: ReadinessCheckOptions = {},
): Promise<ReadinessCheck> {
  const { signal } = options;
  const identity = await arm.signedInAs({ signal });
  const describe = identity ? describeIdentity(identity) : "this kernel's identity";
  const workspaceId = arm.resourceId;
  const dataPlane = await probe(host.settings, signal);
  let apiKeyEnabled = options.apiKeyEnabled;
  if (apiKeyEnabled === undefined) {
    apiKeyEnabled = await arm.getWorkspace({ signal }).then(
      (w) => w.properties?.apiKeyEnabled,
      (e) => {
        if (!isArmError(e) || e.statusCode === undefined) throw e;
        return undefined; // who cannot read the workspace still gets the rest of the report
      },
    );
  }
  let assignments: ReadinessAssignment[] | undefined;
  let assignmentsError: string | undefined;
  try {
    assignments = await readAssignments(arm, identity, signal);
  } catch (e) {
    if (!isArmError(e) || (e.statusCode !== 403 && e.statusCode !== 401)) throw e;
    assignmentsError = `Resource Manager answered ${e.statusCode}${e.armCode ? ` ${e.armCode}` : ""}: ` +
      "this identity may not read role assignments here (Reader or any role above it may); the verdict rests on the data-plane probe";
  }
  const keyOnly = assignments ? keyOnlyPrincipals(assignments) : [];
  const noKeyAccess = assignments ? noKeyAccessPrincipals(assignments) : [];
  const notes: string[] = [];
  const mine = assignments?.filter((a) => a.you) ?? [];
  if (dataPlane.outcome === "reached" && assignments && !mine.some((a) => a.dataAccess === "write" || a.dataAccess === "read")) {
    notes.push(
      "None of the role assignments listed gives you a data role directly (a group may): your data access comes from " +
        "another rule, such as control-plane roles, which Azure Quantum stops accepting on 2027-01-11. Assign a data role too.",
    );
  }
  // Read access reaches the probe (a GET) but cannot submit jobs: still no lock-out, so still safe.
  const readOnlyRoles = dataPlane.outcome === "reached" && mine.some((a) => a.dataAccess === "read") &&
      !mine.some((a) => a.dataAccess === "write" || a.dataAccess === "unknown")
    ? [...new Set(mine.filter((a) => a.dataAccess === "read").map((a) => a.roleName))]
    : undefined;
  if (host.liveKey) {
    notes.push(
      "This kernel sends an access key: once keys are disabled, connect with Microsoft Entra ID instead " +
        "(connect({ useEntraId: true }), or the workspace parameters without a key).",
    );
  }
  const data: ReadinessData = {
    workspaceName: arm.info.workspaceName,
    workspaceId,
    identity,
    dataPlane,
    ...(apiKeyEnabled === undefined ? {} : { apiKeyEnabled }),
    assignments,
    ...(assignmentsError ? { assignmentsError } : {}),
    keyOnly,
    ...(noKeyAccess.length ? { noKeyAccess } : {}),
    safe: dataPlane.outcome === "reached",
    ...(readOnlyRoles ? { readOnly: true } : {}),
    verdict: verdictOf({ who: describe, ...dataPlane, assignments, keyOnly, noKeyAccess, apiKeyEnabled, readOnlyRoles }),
    ...((dataPlane.outcome === "forbidden" || readOnlyRoles) && identity
      ? { roleToAssign: fixFor(identity, workspaceId) }
      : {}),
    notes,
    checkedAt: new Date((options.now ?? Date.now)()),
  };
  return { data, describe };
}
