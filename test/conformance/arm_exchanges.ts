/**
 * The recorded Resource Manager exchanges (see recorded_exchange.ts for the sources): the
 * `apiKeyEnabled` PUT with its operation, GET, listKeys and regenerateKey from the `az quantum`
 * recording, and the Python SDK's Resource Graph query. Bodies are our own samples.
 *
 * @module
 */
import {
  CLI,
  FIXTURE,
  OPERATION,
  P,
  type RecordedExchange,
  SDK,
  withFixtureIds,
} from "./recorded_exchange.ts";

const ARM_VERSION = "2023-11-13-preview";

const RESOURCE_ID = withFixtureIds(P);
const STORAGE_ID = `/subscriptions/${FIXTURE.subscriptionId}/resourceGroups/${FIXTURE.resourceGroup}` +
  "/providers/Microsoft.Storage/storageAccounts/fixturestorage";
export const ENDPOINT_URI = `https://${FIXTURE.workspaceName}.${FIXTURE.location}.quantum.azure.com`;

const provider = (providerId: string) => ({
  providerId,
  providerSku: "fixture-sku",
  applicationName: `${FIXTURE.workspaceName}-${providerId}`,
  provisioningState: "Succeeded",
  resourceUsageId: "55555555-5555-4555-8555-555555555555",
});

const systemData = {
  createdBy: "someone@example.com",
  createdByType: "User",
  createdAt: "2025-01-01T00:00:00.0000000Z",
  lastModifiedBy: "someone@example.com",
  lastModifiedByType: "User",
  lastModifiedAt: "2025-01-01T00:01:00.0000000Z",
};

/** The workspace as GET returned it at 2023-11-13-preview (no workspaceKind at that version). */
export function workspaceSample(apiKeyEnabled: boolean): Record<string, unknown> {
  return {
    id: RESOURCE_ID,
    name: FIXTURE.workspaceName,
    type: "microsoft.quantum/workspaces",
    location: FIXTURE.location,
    tags: {},
    systemData,
    identity: { principalId: FIXTURE.principalId, tenantId: FIXTURE.tenantId, type: "SystemAssigned" },
    properties: {
      providers: [provider("ionq"), provider("rigetti")],
      provisioningState: "Succeeded",
      usable: "Yes",
      storageAccount: STORAGE_ID,
      apiKeyEnabled,
      endpointUri: ENDPOINT_URI,
    },
  };
}

const WORKSPACE_SHAPE = {
  exact: ["/type", "/properties/provisioningState", "/identity/type"],
  optional: ["/tags/*"], // the user's own tags
};

const operationStatus = (status: "Accepted" | "Succeeded") => ({
  id: withFixtureIds(OPERATION).replace("{op}", FIXTURE.operationId),
  name: FIXTURE.operationId,
  resourceId: RESOURCE_ID,
  status,
  startTime: "2025-01-01T00:02:00.0000000Z",
  ...(status === "Succeeded" ? { properties: null } : {}),
});

const connectionString = (key: string) =>
  `SubscriptionId=${FIXTURE.subscriptionId};ResourceGroupName=${FIXTURE.resourceGroup};` +
  `WorkspaceName=${FIXTURE.workspaceName};ApiKey=${key};QuantumEndpoint=https://${FIXTURE.location}.quantum.azure.com/;`;

/** A listKeys body at 2023-11-13-preview: keys without createdAt, as recorded. */
export function listKeysSample(primary: string, secondary: string, apiKeyEnabled = true) {
  return {
    apiKeyEnabled,
    primaryKey: { key: primary },
    secondaryKey: { key: secondary },
    primaryConnectionString: connectionString(primary),
    secondaryConnectionString: connectionString(secondary),
  };
}

/** The recorded ARM exchanges, in the order the CLI sent them. */
export const ARM_EXCHANGES: readonly RecordedExchange[] = [
  {
    id: "arm.workspace.get",
    source: { ...CLI, interaction: "GET {P} of `quantum workspace update --enable-api-key` (before the PUT)" },
    request: { listener: "arm", method: "GET", path: P, apiVersion: ARM_VERSION, auth: "bearer" },
    response: { status: 200, present: ["etag"], body: workspaceSample(true) },
    shape: WORKSPACE_SHAPE,
    clientUse: "keys.enable()/disable() read it before the PUT; connect() with Entra ID reads properties.endpointUri",
  },
  {
    id: "arm.workspace.put",
    source: { ...CLI, interaction: "PUT {P} of `quantum workspace update --enable-api-key`" },
    request: {
      listener: "arm",
      method: "PUT",
      path: P,
      apiVersion: ARM_VERSION,
      auth: "bearer",
      body: {
        tags: {},
        location: FIXTURE.location,
        properties: {
          providers: [provider("ionq")],
          storageAccount: STORAGE_ID,
          apiKeyEnabled: false,
        },
        identity: { type: "SystemAssigned" },
      },
    },
    response: {
      status: 201,
      present: ["azure-asyncoperation", "etag"],
      absent: ["retry-after", "location"],
      body: (() => {
        const body = workspaceSample(false);
        const { usable: _usable, ...properties } = body.properties as Record<string, unknown>;
        return { ...body, properties: { ...properties, provisioningState: "Accepted" } };
      })(),
    },
    shape: WORKSPACE_SHAPE,
    clientUse: "keys.enable()/disable() send it and follow Azure-AsyncOperation, waiting their own default (no Retry-After)",
  },
  {
    id: "arm.operation.accepted",
    source: { ...CLI, interaction: "first GET of the Azure-AsyncOperation URL after the PUT" },
    request: { listener: "arm", method: "GET", path: OPERATION, apiVersion: ARM_VERSION, auth: "bearer" },
    response: { status: 200, present: ["etag"], absent: ["retry-after"], body: operationStatus("Accepted") },
    shape: { exact: ["/status"] },
    clientUse: "the LRO poller reads status and polls again after its default interval",
  },
  {
    id: "arm.operation.succeeded",
    source: { ...CLI, interaction: "second GET of the Azure-AsyncOperation URL, about 31 s later" },
    request: { listener: "arm", method: "GET", path: OPERATION, apiVersion: ARM_VERSION, auth: "bearer" },
    response: { status: 200, present: ["etag"], absent: ["retry-after"], body: operationStatus("Succeeded") },
    shape: { exact: ["/status", "/properties"] },
    clientUse: "the LRO poller stops at Succeeded, then GETs the workspace",
  },
  {
    id: "arm.listKeys",
    source: { ...CLI, interaction: "POST {P}/listKeys of `quantum workspace keys list`" },
    request: { listener: "arm", method: "POST", path: `${P}/listKeys`, apiVersion: ARM_VERSION, auth: "bearer" },
    response: { status: 200, body: listKeysSample("fixture-primary-key", "fixture-secondary-key") },
    clientUse: "keys.status(), regenerate(), rotate() and connectionString() read both keys (createdAt optional)",
  },
  {
    id: "arm.regenerateKey",
    source: { ...CLI, interaction: 'POST {P}/regenerateKey with {"keys": ["Primary"]} (also ["Secondary"], both)' },
    request: {
      listener: "arm",
      method: "POST",
      path: `${P}/regenerateKey`,
      apiVersion: ARM_VERSION,
      auth: "bearer",
      body: { keys: ["Secondary"] },
    },
    response: { status: 204, body: null },
    clientUse: "keys.regenerate() and rotate() send it; any 2xx is success",
  },
  {
    id: "arm.resourceGraph",
    source: { ...SDK("test_workspace_by_name.yaml"), interaction: "POST of the Azure Resource Graph query that finds a workspace by name" },
    request: {
      listener: "arm",
      method: "POST",
      path: "/providers/Microsoft.ResourceGraph/resources",
      apiVersion: "2021-03-01",
      auth: "bearer",
      body: { query: "Resources | where type =~ 'microsoft.quantum/workspaces' | where name =~ 'fixture-ws'" },
    },
    response: {
      status: 200,
      body: {
        totalRecords: 1,
        count: 1,
        data: [{
          name: FIXTURE.workspaceName,
          subscriptionId: FIXTURE.subscriptionId,
          resourceGroup: FIXTURE.resourceGroup,
          location: FIXTURE.location,
          endpointUri: ENDPOINT_URI,
        }],
        facets: [],
        resultTruncated: "false",
      },
    },
    clientUse: "not sent: this module needs the resource group (the Python SDK finds it through Resource Graph)",
  },
];
