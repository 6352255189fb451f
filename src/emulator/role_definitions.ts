/**
 * The built-in Azure role definitions the emulator knows, with their real ids, names and
 * permissions, and Azure's action matching (`*` wildcards, case-insensitive, NotActions subtracted).
 *
 * Sources (facts re-expressed, nothing copied):
 * - Owner, Contributor, User Access Administrator: MicrosoftDocs/azure-docs
 *   `articles/role-based-access-control/built-in-roles/privileged.md` @ 0b8729e (2026-07-01).
 * - Reader: the same generated built-in roles pages (`general.md`); id `acdd72a7-…`.
 * - Quantum Workspace Data Contributor: MicrosoftDocs/azure-docs
 *   `articles/role-based-access-control/built-in-roles/compute.md` @ 064f7ba and `…/quantum.md`
 *   @ 9f061c0; the same id in Azure/azure-cli-extensions `src/quantum/azext_quantum/operations/
 *   workspace.py` (`QUANTUM_WORKSPACE_DATA_CONTRIBUTOR_ROLE_ID`).
 * - Quantum Workspace Data Reader: named by Microsoft Learn ("Starting January 11, 2027, Azure
 *   Quantum will require users … to have the Quantum Workspace Data Reader or Quantum Workspace
 *   Data Contributor role to access job results", MicrosoftDocs QDK "Submit jobs with the QDK
 *   Python package", 2026-08-25), but its id and permissions were in none of the sources reviewed
 *   (azure-docs built-in role pages up to 2026-07, azure-cli-extensions, quantum-docs @ bdaf622).
 *   The emulator uses a stand-in id (see {@link QUANTUM_WORKSPACE_DATA_READER_ROLE_ID}) and
 *   infers its permissions from its name and the docs: DataAction `…/jobs/read` only.
 *
 * @module
 */

/** A role definition's permissions, as ARM shows them. */
export interface RolePermissions {
  /** Control-plane actions allowed (wildcards as ARM has them). */
  actions: string[];
  /** Control-plane actions taken back out of `actions`. */
  notActions: string[];
  /** Data-plane actions allowed. */
  dataActions: string[];
  /** Data-plane actions taken back out of `dataActions`. */
  notDataActions: string[];
}

/** A built-in role definition. */
export interface RoleDefinition {
  /** The role definition's GUID (its `name` in ARM). */
  id: string;
  /** The role's name, e.g. `"Quantum Workspace Data Reader"`. */
  roleName: string;
  /** What the role allows, in ARM's words. */
  description: string;
  /** What the role allows, action by action. */
  permissions: RolePermissions;
}

/**
 * Id of the built-in "Quantum Workspace Data Contributor" role (DataActions
 * `Microsoft.Quantum/Workspaces/jobs/read` and `…/jobs/write`).
 *
 * @example Usage
 * ```ts
 * import { QUANTUM_WORKSPACE_DATA_CONTRIBUTOR_ROLE_ID } from "azure-quantum-notebook/emulator";
 * console.log(QUANTUM_WORKSPACE_DATA_CONTRIBUTOR_ROLE_ID); // "c1410b24-3e69-4857-8f86-4d0a2e603250"
 * ```
 */
export const QUANTUM_WORKSPACE_DATA_CONTRIBUTOR_ROLE_ID = "c1410b24-3e69-4857-8f86-4d0a2e603250";

/**
 * The emulator's id for "Quantum Workspace Data Reader". A stand-in: the real built-in role's id
 * was not found in public sources, so clients must look the role up by name
 * (`roleDefinitions?$filter=roleName eq 'Quantum Workspace Data Reader'`), which works on the
 * emulator and on Azure alike, instead of hard-coding this value.
 *
 * @example Usage
 * ```ts
 * import { QUANTUM_WORKSPACE_DATA_READER_ROLE_ID } from "azure-quantum-notebook/emulator";
 * console.log(QUANTUM_WORKSPACE_DATA_READER_ROLE_ID);
 * ```
 */
export const QUANTUM_WORKSPACE_DATA_READER_ROLE_ID = "00000000-0000-4000-8000-0000000000d1";

const JOBS_READ = "Microsoft.Quantum/Workspaces/jobs/read";
const JOBS_WRITE = "Microsoft.Quantum/Workspaces/jobs/write";

const role = (
  id: string,
  roleName: string,
  description: string,
  p: Partial<RolePermissions>,
): RoleDefinition => ({
  id,
  roleName,
  description,
  permissions: {
    actions: p.actions ?? [],
    notActions: p.notActions ?? [],
    dataActions: p.dataActions ?? [],
    notDataActions: p.notDataActions ?? [],
  },
});

/**
 * The built-in roles the emulator knows, in the order listings show them.
 *
 * @example Usage
 * ```ts
 * import { BUILT_IN_ROLES } from "azure-quantum-notebook/emulator";
 * BUILT_IN_ROLES.map((r) => r.roleName).includes("Owner"); // true
 * ```
 */
export const BUILT_IN_ROLES: readonly RoleDefinition[] = Object.freeze([
  role(
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    "Owner",
    "Grants full access to manage all resources, including the ability to assign roles in Azure RBAC.",
    { actions: ["*"] },
  ),
  role(
    "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "Contributor",
    "Grants full access to manage all resources, but does not allow you to assign roles in Azure RBAC, manage assignments in Azure Blueprints, or share image galleries.",
    {
      actions: ["*"],
      notActions: [
        "Microsoft.Authorization/*/Delete",
        "Microsoft.Authorization/*/Write",
        "Microsoft.Authorization/elevateAccess/Action",
        "Microsoft.Blueprint/blueprintAssignments/write",
        "Microsoft.Blueprint/blueprintAssignments/delete",
        "Microsoft.Compute/galleries/share/action",
        "Microsoft.Purview/consents/write",
        "Microsoft.Purview/consents/delete",
        "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
        "Microsoft.Subscription/cancel/action",
        "Microsoft.Subscription/enable/action",
      ],
    },
  ),
  role(
    "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "Reader",
    "View all resources, but does not allow you to make any changes.",
    { actions: ["*/read"] },
  ),
  role(
    "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
    "User Access Administrator",
    "Lets you manage user access to Azure resources.",
    { actions: ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"] },
  ),
  role(
    QUANTUM_WORKSPACE_DATA_CONTRIBUTOR_ROLE_ID,
    "Quantum Workspace Data Contributor",
    "Create, read, and modify jobs and other Workspace data. This role is in preview and subject to change.",
    {
      actions: [
        "Microsoft.Authorization/*/read",
        "Microsoft.Insights/alertRules/*",
        "Microsoft.Resources/deployments/*",
        "Microsoft.Resources/subscriptions/resourceGroups/read",
        "Microsoft.Quantum/Workspaces/read",
        "Microsoft.Quantum/locations/offerings/read",
      ],
      dataActions: [JOBS_READ, JOBS_WRITE],
    },
  ),
  // Inferred (see the module note): reads of the Data Contributor without its writes.
  role(
    QUANTUM_WORKSPACE_DATA_READER_ROLE_ID,
    "Quantum Workspace Data Reader",
    "Read jobs and other Workspace data.",
    {
      actions: [
        "Microsoft.Authorization/*/read",
        "Microsoft.Resources/subscriptions/resourceGroups/read",
        "Microsoft.Quantum/Workspaces/read",
        "Microsoft.Quantum/locations/offerings/read",
      ],
      dataActions: [JOBS_READ],
    },
  ),
]);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True for a GUID in its 8-4-4-4-12 form (any case), as ARM requires for role assignment names.
 */
export const isGuid = (value: string): boolean => GUID.test(value);

/**
 * A built-in role by its GUID, its full id (`…/roleDefinitions/{guid}`) or its name (any case).
 */
export function findRole(idOrName: string): RoleDefinition | undefined {
  const guid = idOrName.replace(/^.*\/roledefinitions\//i, "").toLowerCase();
  return BUILT_IN_ROLES.find((r) => r.id === guid) ??
    BUILT_IN_ROLES.find((r) => r.roleName.toLowerCase() === idOrName.toLowerCase());
}

const patterns = new Map<string, RegExp>();

/**
 * Azure's action matching: `*` matches any run of characters, comparison is case-insensitive.
 */
export function actionMatches(pattern: string, action: string): boolean {
  let re = patterns.get(pattern);
  if (!re) {
    const body = pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*");
    re = new RegExp(`^${body}$`, "i");
    patterns.set(pattern, re);
  }
  return re.test(action);
}

/**
 * Whether `role` grants `action`: a control-plane action (Actions minus NotActions) or, with
 * `data: true`, a data action (DataActions minus NotDataActions).
 */
export function roleGrants(role: RoleDefinition, action: string, data = false): boolean {
  const p = role.permissions;
  const [allow, deny] = data ? [p.dataActions, p.notDataActions] : [p.actions, p.notActions];
  return allow.some((a) => actionMatches(a, action)) && !deny.some((a) => actionMatches(a, action));
}
