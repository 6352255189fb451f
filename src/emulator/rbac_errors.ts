/**
 * Error responses of role-based access control: Resource Manager's `Microsoft.Authorization`
 * errors and the data plane's 403. Marks as in the reference: texts quoted from a source carry
 * it; `[inferred]` ones follow Azure's wording where no source showed the exact text.
 *
 * @module
 */
import { armError, ArmErrors } from "./arm_errors.ts";
import { dataPlaneError } from "./data_plane_errors.ts";

/**
 * `Microsoft.Authorization` errors, in ARM's body format (`{"error":{"code","message"}}`).
 */
export const RbacErrors = {
  invalidApiVersion: ArmErrors.invalidApiVersion,
  /** [inferred] */
  invalidRoleAssignmentId: (name: string): Response =>
    armError(
      400,
      "InvalidRoleAssignmentId",
      `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
    ),
  /** [inferred] 404 on a GET by id, 400 when a PUT names it. */
  roleDefinitionDoesNotExist: (id: string, status: 400 | 404): Response =>
    armError(
      status,
      "RoleDefinitionDoesNotExist",
      `The specified role definition with ID '${id}' does not exist.`,
    ),
  /** Text from MicrosoftDocs/azure-docs `articles/role-based-access-control/troubleshooting.md`. */
  principalNotFound: (principalId: string, tenantId: string): Response =>
    armError(
      400,
      "PrincipalNotFound",
      `Principal ${principalId} does not exist in the directory ${tenantId}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype`,
    ),
  /** [inferred] */
  invalidPrincipalId: (): Response =>
    armError(
      400,
      "InvalidPrincipalId",
      "A valid principal ID must be provided for role assignment.",
    ),
  /** [inferred] */
  unmatchedPrincipalType: (principalId: string, actual: string, given: string): Response =>
    armError(
      400,
      "UnmatchedPrincipalType",
      `The PrincipalId '${principalId}' has type '${actual}' , which is different from specified PrincipalType '${given}'.`,
    ),
  /** [inferred] */
  roleAssignmentExists: (): Response =>
    armError(409, "RoleAssignmentExists", "The role assignment already exists."),
  /** Text from the troubleshooting page above. */
  updateNotPermitted: (): Response =>
    armError(
      400,
      "RoleAssignmentUpdateNotPermitted",
      "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
    ),
  /** [inferred] */
  roleAssignmentNotFound: (name: string): Response =>
    armError(404, "RoleAssignmentNotFound", `The role assignment '${name}' is not found.`),
  /** [inferred] */
  unsupportedFilter: (filter: string): Response =>
    armError(
      400,
      "UnsupportedQuery",
      `The filter '${filter}' is not supported. Supported filters are either 'atScope()' or 'principalId eq '{value}'' or 'assignedTo('{value}')'.`,
    ),
  invalidRequestContent: ArmErrors.invalidRequestContent,
};

/**
 * The data plane's answer to an authenticated Microsoft Entra caller without a data role: 403
 * `InsufficientPermissions`. Code and message from MicrosoftDocs/quantum-docs
 * `articles/azure-quantum-common-issues.md` @ 217fbf9 ("Code: InsufficientPermissions / Message:
 * There are not enough permissions to perform this operation."); the status and the
 * `{"error":{…}}` envelope with `x-ms-error-code` are [inferred] from the data-plane spec's error
 * shape (reference §2.4).
 */
export function dataPlaneForbidden(): Response {
  return dataPlaneError(
    403,
    "InsufficientPermissions",
    "There are not enough permissions to perform this operation.",
  );
}
