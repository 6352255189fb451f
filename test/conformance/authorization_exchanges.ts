/**
 * The recorded `Microsoft.Authorization` exchanges this module's Entra readiness check,
 * `readiness.fix()` and `keys.assignRole()` depend on: the role assignments that apply to the
 * workspace (`$filter=atScope()`), a role looked up by name, a role definition by id, and the PUT
 * that creates an assignment (201). Sources and licences in recorded_exchange.ts; bodies are our
 * own samples with the recorded field names, types and casing.
 *
 * The recordings were made at the resource group's scope and at older api-versions than the
 * 2022-04-01 this module sends; the fields compared are the same in the 2022-04-01 REST spec
 * (Azure/azure-rest-api-specs `specification/authorization/resource-manager/
 * Microsoft.Authorization/stable/2022-04-01/authorization-RoleAssignmentsCalls.json`,
 * `…/authorization-RoleDefinitionsCalls.json`), so the emulator is asked at the recorded version
 * and this module's requests are matched at its own.
 *
 * @module
 */
import { FIXTURE, P, type RecordedExchange, type Source } from "./recorded_exchange.ts";

const CLIENT_VERSION = "2022-04-01";
const RA = "Microsoft.Authorization/roleAssignments";
const RD = "Microsoft.Authorization/roleDefinitions";

const ROLE: Omit<Source, "interaction"> = {
  repo: "Azure/azure-cli",
  path: "src/azure-cli/azure/cli/command_modules/role/tests/latest/recordings/test_role_assignment_create_using_principal_type.yaml",
  commit: "1fec3e2d5c204e40489f81aca7ab52b047a8b138",
};
const BUILT_IN: Omit<Source, "interaction"> = {
  repo: "Azure/azure-cli",
  path: "src/azure-cli/azure/cli/command_modules/role/tests/latest/recordings/test_built_in_role_definition_scenario.yaml",
  commit: "2768f1e2211e54b69ee8c0412432636b37077bfb",
};
const DOCS: Omit<Source, "interaction"> = {
  repo: "MicrosoftDocs/azure-docs",
  path: "articles/role-based-access-control/role-definitions-list.md",
  commit: "dc77906137090cbcb0961c2e58111202fb6d6a48",
};

/** Reader's id: the same built-in role id in every public-cloud tenant. */
export const READER_ID = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const SUBSCRIPTION = `/subscriptions/${FIXTURE.subscriptionId}`;
const WORKSPACE = `${SUBSCRIPTION}/resourceGroups/${FIXTURE.resourceGroup}/providers/Microsoft.Quantum/workspaces/${FIXTURE.workspaceName}`;
const readerDefinitionId = `${SUBSCRIPTION}/providers/${RD}/${READER_ID}`;

/** A role assignment as Resource Manager returns it (every recorded field, our values). */
export function roleAssignmentSample(principalId: string, scope: string, name: string) {
  return {
    properties: {
      roleDefinitionId: readerDefinitionId,
      principalId,
      principalType: "User",
      scope,
      condition: null,
      conditionVersion: null,
      createdOn: "2025-01-01T00:00:00.0000000Z",
      updatedOn: "2025-01-01T00:00:00.0000000Z",
      createdBy: "88888888-8888-4888-8888-888888888888",
      updatedBy: "88888888-8888-4888-8888-888888888888",
      delegatedManagedIdentityResourceId: null,
      description: null,
    },
    id: `${scope === "/" ? "" : scope}/providers/${RA}/${name}`,
    type: RA,
    name,
  };
}

/** A built-in role definition as Resource Manager returns it (every recorded field, our values). */
export function roleDefinitionSample(id = `${SUBSCRIPTION}/providers/${RD}/${READER_ID}`) {
  return {
    properties: {
      roleName: "Reader",
      type: "BuiltInRole",
      description: "Fixture description of the Reader role",
      assignableScopes: ["/"],
      permissions: [{ actions: ["*/read"], notActions: [], dataActions: [], notDataActions: [] }],
      createdOn: "2015-01-01T00:00:00.0000000Z",
      updatedOn: "2021-01-01T00:00:00.0000000Z",
      createdBy: null,
      updatedBy: null,
    },
    id,
    type: RD,
    name: READER_ID,
  };
}

const ASSIGNMENT_SHAPE = {
  // Nulls in the recording: values where a condition, description or delegated identity is set.
  nullable: ["/properties/createdBy", "/properties/updatedBy"],
  exact: ["/type"],
};
const ASSIGNMENT_LIST_SHAPE = {
  nullable: ["/value/*/properties/createdBy", "/value/*/properties/updatedBy"],
  exact: ["/value/*/type"],
  optional: ["/nextLink"], // the recorded single page had none; a later page would
};
const DEFINITION_SHAPE = {
  exact: ["/type", "/properties/type", "/properties/assignableScopes"],
  // Text where a custom role has it.
  nullable: ["/properties/createdBy", "/properties/updatedBy"],
};

/** The recorded `Microsoft.Authorization` exchanges. */
export const AUTHORIZATION_EXCHANGES: readonly RecordedExchange[] = [
  {
    id: "authorization.roleAssignments.list",
    source: { ...ROLE, interaction: "GET …/roleAssignments?$filter=atScope() of `role assignment list -g` (at the resource group's scope)" },
    request: {
      listener: "arm",
      method: "GET",
      path: `${P}/providers/${RA}`,
      apiVersion: "2020-04-01-preview",
      clientApiVersion: CLIENT_VERSION,
      query: { $filter: "atScope()" },
      auth: "bearer",
    },
    response: {
      status: 200,
      body: {
        value: [
          roleAssignmentSample("99999999-9999-4999-8999-999999999999", "/", "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"),
          roleAssignmentSample(FIXTURE.principalId, WORKSPACE, "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"),
        ],
      },
    },
    shape: ASSIGNMENT_LIST_SHAPE,
    clientUse: "keys.readiness(), disable() (its readiness check) and assignRole() list who holds which role on the workspace",
  },
  {
    id: "authorization.roleDefinitions.byName",
    source: { ...BUILT_IN, interaction: "GET …/roleDefinitions?$filter=roleName eq 'Reader' of `role definition list --name Reader`" },
    request: {
      listener: "arm",
      method: "GET",
      path: `${P}/providers/${RD}`,
      apiVersion: "2018-01-01-preview", // also recorded so by the role assignment test; the scenario's 2022-05-01-preview is not served
      clientApiVersion: CLIENT_VERSION,
      query: { $filter: "roleName eq 'Reader'" },
      auth: "bearer",
    },
    response: { status: 200, body: { value: [roleDefinitionSample()] } },
    shape: {
      exact: ["/value/*/type", "/value/*/properties/type", "/value/*/properties/roleName"],
      nullable: ["/value/*/properties/createdBy", "/value/*/properties/updatedBy"],
    },
    clientUse: "keys.assignRole() and readiness.fix() look the role up by name (ids differ between clouds)",
  },
  {
    id: "authorization.roleDefinitions.get",
    source: { ...DOCS, interaction: "documented GET of the Reader role definition by id at 2022-04-01 (not a recording)" },
    request: {
      listener: "arm",
      method: "GET",
      path: `${P}/providers/${RD}/${READER_ID}`,
      apiVersion: CLIENT_VERSION,
      auth: "bearer",
    },
    response: { status: 200, body: roleDefinitionSample() },
    shape: DEFINITION_SHAPE,
    clientUse: "keys.readiness() and disable() read the definition of each role assigned, to tell data roles apart",
  },
  {
    id: "authorization.roleAssignments.create",
    source: { ...ROLE, interaction: "PUT …/roleAssignments/{guid} of `role assignment create --assignee-principal-type User` (201)" },
    request: {
      listener: "arm",
      method: "PUT",
      path: `${P}/providers/${RA}/{name}`,
      apiVersion: "2020-04-01-preview",
      clientApiVersion: CLIENT_VERSION,
      auth: "bearer",
      body: { properties: { roleDefinitionId: readerDefinitionId, principalId: FIXTURE.principalId, principalType: "User" } },
    },
    response: {
      status: 201,
      body: roleAssignmentSample(FIXTURE.principalId, WORKSPACE, FIXTURE.assignmentName),
    },
    shape: { ...ASSIGNMENT_SHAPE, nullable: ["/properties/createdBy", "/properties/updatedBy"] },
    clientUse: "keys.assignRole() and readiness.fix() create the assignment and report the 201",
  },
];
