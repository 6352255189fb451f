/**
 * What a Resource Manager 403 teaches: which action on which scope was refused (parsed from
 * `AuthorizationFailed`), and a built-in role that grants it (a Quantum Workspace Data role for a
 * data action), with the `az` line that assigns it.
 *
 * The control-plane roles' permissions are facts from MicrosoftDocs/azure-docs
 * `articles/role-based-access-control/built-in-roles/privileged.md` (Owner, Contributor, User Access
 * Administrator) and `…/built-in-roles/general.md` (Reader), re-expressed here: the clients share no
 * code with the emulator.
 *
 * @module
 */

import { clip } from "../_text.ts";

interface ControlRole {
  name: string;
  actions: string[];
  notActions: string[];
}

// Least privileged first: the first one that grants an action is the one a hint names.
const CONTROL_ROLES: readonly ControlRole[] = [
  { name: "Reader", actions: ["*/read"], notActions: [] },
  {
    name: "Contributor",
    actions: ["*"],
    notActions: [
      "Microsoft.Authorization/*/Delete",
      "Microsoft.Authorization/*/Write",
      "Microsoft.Authorization/elevateAccess/Action",
    ],
  },
  {
    name: "User Access Administrator",
    actions: ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"],
    notActions: [],
  },
  { name: "Owner", actions: ["*"], notActions: [] },
];

interface DataRole {
  name: string;
  dataActions: string[];
}

// Data actions are granted by DataActions only: Owner's "*" covers Actions, never data actions.
// Quantum Workspace Data Contributor's DataActions (jobs/read, jobs/write) are facts from
// MicrosoftDocs/azure-docs `articles/role-based-access-control/built-in-roles/compute.md` @ 064f7ba;
// Data Reader is named by Microsoft Learn (QDK "Submit jobs", 2026-08-25) with no published
// permissions: inferred as the read half. Least privileged first.
const DATA_ROLES: readonly DataRole[] = [
  { name: "Quantum Workspace Data Reader", dataActions: ["Microsoft.Quantum/Workspaces/jobs/read"] },
  {
    name: "Quantum Workspace Data Contributor",
    dataActions: ["Microsoft.Quantum/Workspaces/jobs/read", "Microsoft.Quantum/Workspaces/jobs/write"],
  },
];
// What Azure Quantum's data plane checks (its jobs, and what hangs off them: sessions, storage SAS).
const DATA_ACTION = /^Microsoft\.Quantum\/Workspaces\/jobs\//i;

/** Azure's action matching: `*` matches any run of characters; case does not matter. */
export function actionMatches(pattern: string, action: string): boolean {
  const body = pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*");
  return new RegExp(`^${body}$`, "i").test(action);
}

/** Whether a role's `allow` list minus its `deny` list covers `action`. */
export function grants(allow: readonly string[], deny: readonly string[], action: string): boolean {
  return allow.some((a) => actionMatches(a, action)) && !deny.some((a) => actionMatches(a, action));
}

/** Whether `action` is an Azure Quantum data action (`Microsoft.Quantum/Workspaces/jobs/…`). */
function isDataAction(action: string): boolean {
  return DATA_ACTION.test(action);
}

/**
 * The least privileged built-in role that grants `action`: for a data action (jobs) Quantum
 * Workspace Data Reader or Data Contributor; otherwise Reader, Contributor, User Access
 * Administrator, else Owner.
 */
export function builtInRoleFor(action: string): string {
  if (isDataAction(action)) {
    return DATA_ROLES.find((r) => grants(r.dataActions, [], action))?.name ?? DATA_ROLES.at(-1)!.name;
  }
  return CONTROL_ROLES.find((r) => grants(r.actions, r.notActions, action))?.name ?? "Owner";
}

// The role a hint offers besides the least privileged one.
function alternativeTo(role: string): string {
  if (role === DATA_ROLES[0]!.name) return ` (or "${DATA_ROLES[1]!.name}")`;
  return role === "Owner" || role === DATA_ROLES[1]!.name ? "" : ' (or "Owner")';
}

/** What an `AuthorizationFailed` message says was refused. */
export interface AuthorizationFailure {
  /** Object id of the caller. */
  objectId: string;
  /** The action, e.g. `Microsoft.Quantum/workspaces/listKeys/action`. */
  action: string;
  /** The scope it was refused on (a resource id). */
  scope: string;
}

const FAILED =
  /with object id '([0-9a-fA-F-]{36})' does not have authorization to perform action '([^'\s]{1,300})' over scope '([^'\s]{1,600})'/;

/**
 * The caller, action and scope of ARM's `AuthorizationFailed` message ("The client '…' with
 * object id '…' does not have authorization to perform action '…' over scope '…' …"), or
 * `undefined` when the message is not in that shape.
 */
export function parseAuthorizationFailed(message: string | undefined): AuthorizationFailure | undefined {
  const m = FAILED.exec(message ?? "");
  return m ? { objectId: m[1]!.toLowerCase(), action: m[2]!, scope: m[3]! } : undefined;
}

// A role assignment's own id is no place to assign a role at: its parent resource is.
function assignableScope(scope: string): string {
  return scope.replace(/\/providers\/Microsoft\.Authorization\/.*$/i, "") || scope;
}

/**
 * The hint of a refused action: the role that grants it, where, and the `az` line an Owner runs.
 */
export function authorizationHint(failure: AuthorizationFailure): string {
  const role = builtInRoleFor(failure.action);
  const scope = clip(assignableScope(failure.scope), 600);
  const alternative = alternativeTo(role);
  return `The identity with object id ${failure.objectId} needs a role that allows "${clip(failure.action, 300)}" ` +
    `on ${scope}: "${role}"${alternative}. Someone allowed to assign roles there (an Owner) runs: ` +
    `az role assignment create --role "${role}" --assignee-object-id ${failure.objectId} --scope "${scope}"`;
}
