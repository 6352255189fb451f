/**
 * Recorded Azure Quantum exchanges, as facts: for each request the real service answered in a
 * recording Microsoft published, what was asked (method, path template, api-version, auth scheme)
 * and what came back that clients act on (status, headers, body shape). The bodies are our own
 * samples with placeholder values: they keep the recorded field names, types, casing and the values
 * clients branch on, never the recorded data. Nothing here is copied from a recording file.
 *
 * Sources (read, not vendored):
 * - CLI: Azure/azure-cli-extensions `src/quantum/azext_quantum/tests/latest/recordings/
 *   test_workspace_keys.yaml` at 107f8eceb8b298995e36d7b772eca78f2b4e7197 (recorded 2025-09-29 with
 *   `az quantum` 1.0.0b8 against real ARM, api-version 2023-11-13-preview). MIT licence.
 * - SDK: microsoft/azure-quantum-python `azure-quantum/tests/unit/recordings/*.yaml` at
 *   2dd25ea975ae5d6a7aa58988b20df2921dd85020 (the parent of 859d18f7, which deleted them; recorded
 *   2025-10 against the real data plane, api-version 2025-12-01-preview). MIT licence.
 *
 * Both recorders keep only some response headers: neither kept `x-ms-request-id`, which real ARM
 * and the data plane send on every answer; the conformance tests require it of the emulator anyway.
 *
 * @module
 */

/** Our own placeholder identifiers (the recordings' were sanitized; these are not theirs). */
export const FIXTURE = {
  subscriptionId: "11111111-1111-4111-8111-111111111111",
  resourceGroup: "fixture-rg",
  workspaceName: "fixture-ws",
  location: "eastus",
  principalId: "22222222-2222-4222-8222-222222222222",
  tenantId: "33333333-3333-4333-8333-333333333333",
  operationId: "44444444-4444-4444-8444-444444444444*FIXTUREOPERATIONHASH",
} as const;

/** `{P}` in path templates. */
export const P = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Quantum/workspaces/{ws}";
/** The operation-status path template (`{op}`: the operation id). */
export const OPERATION = "/providers/Microsoft.Quantum/locations/EASTUS/operationStatuses/{op}";

/** Where a recorded exchange was read. */
export interface Source {
  repo: "Azure/azure-cli-extensions" | "microsoft/azure-quantum-python";
  path: string;
  commit: string;
  /** Which interaction of the file, in words. */
  interaction: string;
}

/** One recorded request and the response facts clients act on. */
export interface RecordedExchange {
  /** Stable id, e.g. `arm.listKeys`. */
  id: string;
  source: Source;
  request: {
    listener: "arm" | "dataPlane";
    method: "GET" | "PUT" | "POST";
    /** With `{sub}`, `{rg}`, `{ws}` and `{op}` (operation id) placeholders. */
    path: string;
    apiVersion: string;
    /** Other query parameters as recorded. */
    query?: Record<string, string>;
    auth: "bearer" | "apiKey";
    /** The recorded request body's shape (our values). */
    body?: unknown;
  };
  response: {
    status: number;
    /** Headers present in the recording that clients act on (names, lowercase). */
    present?: string[];
    /** Headers clients act on that the recording does not have. */
    absent?: string[];
    /** Exact header values (lowercase names). */
    headerValues?: Record<string, string>;
    /** Our sample of the body, `null` for an empty body. */
    body: unknown;
  };
  /** Shape rules for comparing a body with `response.body` (JSON pointers, `*` for any index). */
  shape?: {
    /** May be absent (on either side). */
    optional?: string[];
    /** May be `null` instead of the sample's type. */
    nullable?: string[];
    /** Must equal the sample's value (values clients act on; casing included). */
    exact?: string[];
  };
  /** What the module's clients do with this exchange, or why they do not send it. */
  clientUse: string;
}

const CLI: Omit<Source, "interaction"> = {
  repo: "Azure/azure-cli-extensions",
  path: "src/quantum/azext_quantum/tests/latest/recordings/test_workspace_keys.yaml",
  commit: "107f8eceb8b298995e36d7b772eca78f2b4e7197",
};
const SDK = (file: string): Omit<Source, "interaction"> => ({
  repo: "microsoft/azure-quantum-python",
  path: `azure-quantum/tests/unit/recordings/${file}`,
  commit: "2dd25ea975ae5d6a7aa58988b20df2921dd85020",
});

const ARM_VERSION = "2023-11-13-preview";
const DP_VERSION = "2025-12-01-preview";
const id = (p: string) =>
  p.replace("{sub}", FIXTURE.subscriptionId).replace("{rg}", FIXTURE.resourceGroup).replace(
    "{ws}",
    FIXTURE.workspaceName,
  );

const RESOURCE_ID = id(P);
const STORAGE_ID = `/subscriptions/${FIXTURE.subscriptionId}/resourceGroups/${FIXTURE.resourceGroup}` +
  "/providers/Microsoft.Storage/storageAccounts/fixturestorage";
const ENDPOINT_URI = `https://${FIXTURE.workspaceName}.${FIXTURE.location}.quantum.azure.com`;

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
  id: id(OPERATION).replace("{op}", FIXTURE.operationId),
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

const target = (id: string, currentAvailability: string, averageQueueTime: number, statusPage: string | null) => ({
  id,
  currentAvailability,
  averageQueueTime,
  statusPage,
});

/** providerStatus as recorded: providers with targets; statusPage a URL, `""` or `null`. */
export function providerStatusSample() {
  return {
    value: [
      {
        id: "ionq",
        currentAvailability: "Available",
        targets: [
          target("ionq.simulator", "Available", 42, "https://status.example.com/ionq"),
          target("ionq.qpu.fixture-1", "Unavailable", 0, "https://status.example.com/ionq"),
        ],
      },
      {
        id: "pasqal",
        currentAvailability: "Available",
        targets: [target("pasqal.qpu.fixture", "Degraded", 0, "")],
      },
    ],
    nextLink: null,
  };
}

const emptyList = { value: [], nextLink: null };
const EMPTY_LIST_SHAPE = { exact: ["/nextLink"] };
const JOB_QUERY = { skip: "0", top: "100" };

/** Every recorded exchange the conformance suites replay. */
export const EXCHANGES: readonly RecordedExchange[] = [
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
  {
    id: "dataPlane.providerStatus",
    source: { ...SDK("test_workspace_get_targets_ionq.yaml"), interaction: "GET providerStatus (Entra ID bearer token)" },
    request: { listener: "dataPlane", method: "GET", path: `${P}/providerStatus`, apiVersion: DP_VERSION, auth: "bearer" },
    response: { status: 200, body: providerStatusSample() },
    shape: {
      nullable: ["/value/*/targets/*/statusPage"],
      optional: [
        "/value/*/targets/*/statusPage",
        "/value/*/targets/*/numQubits",
        "/value/*/targets/*/targetProfile",
        "/value/*/targets/*/metadata",
      ],
      exact: ["/nextLink"],
    },
    clientUse: "connect() probes it; listTargets() follows every page into a TargetList",
  },
  {
    id: "dataPlane.quotas",
    source: { ...SDK("test_workspace_job_quotas.yaml"), interaction: "GET quotas (Entra ID bearer token)" },
    request: { listener: "dataPlane", method: "GET", path: `${P}/quotas`, apiVersion: DP_VERSION, auth: "bearer" },
    response: {
      status: 200,
      body: {
        value: [{
          dimension: "fixture_dimension",
          scope: "Workspace",
          providerId: "microsoft-qc",
          utilization: 0.0,
          holds: 0.0,
          limit: 10.0,
          period: "None",
        }],
        nextLink: null,
      },
    },
    shape: { exact: ["/nextLink"] },
    clientUse: "not sent yet (quotas are planned in issue 12)",
  },
  {
    id: "dataPlane.jobs.apiKey",
    source: { ...SDK("test_workspace_auth_connection_string_api_key.yaml"), interaction: "first GET jobs with x-ms-quantum-api-key (200, a page of jobs)" },
    request: { listener: "dataPlane", method: "GET", path: `${P}/jobs`, apiVersion: DP_VERSION, query: JOB_QUERY, auth: "apiKey" },
    response: {
      status: 200,
      body: {
        // Every field name of the recorded job items, with our values.
        value: [{
          containerUri: "https://fixture.blob.core.windows.net/job-fixture",
          inputDataUri: "https://fixture.blob.core.windows.net/job-fixture/inputData",
          inputDataFormat: "qir.v1",
          inputParams: { shots: 100 },
          metadata: null,
          sessionId: null,
          jobPriority: "Basic",
          status: "Succeeded",
          jobType: "QuantumComputing",
          outputDataFormat: "microsoft.quantum-results.v1",
          outputDataUri: "https://fixture.blob.core.windows.net/job-fixture/outputData",
          beginExecutionTime: "2025-01-01T00:00:01.000Z",
          cancellationTime: null,
          lastModifiedTime: null,
          quantumComputingData: { count: 1 },
          errorData: null,
          isCancelling: false,
          tags: [],
          name: "fixture job",
          id: "66666666-6666-4666-8666-666666666666",
          providerId: "ionq",
          target: "ionq.simulator",
          creationTime: "2025-01-01T00:00:00.0000000Z",
          endExecutionTime: "2025-01-01T00:00:02.000Z",
          costEstimate: { currencyCode: "USD", events: [], estimatedTotal: 0.0 },
          itemType: "Job",
        }],
        nextLink: "https://eastus.quantum.azure.com/fixture-next-page",
      },
    },
    clientUse: "not sent (this module lists no jobs)",
  },
  {
    id: "dataPlane.jobs.keysDisabled",
    source: { ...SDK("test_workspace_auth_connection_string_api_key.yaml"), interaction: "GET jobs with the key after access keys were disabled" },
    request: { listener: "dataPlane", method: "GET", path: `${P}/jobs`, apiVersion: DP_VERSION, query: JOB_QUERY, auth: "apiKey" },
    response: {
      status: 401,
      present: ["www-authenticate"],
      headerValues: { "www-authenticate": 'Bearer error="invalid_token"', "content-length": "0" },
      body: null,
    },
    // The data plane answers a rejected key the same way on every route (reference §2.4).
    clientUse: "read as the answer to connect()'s providerStatus probe: an AuthenticationError",
  },
  {
    id: "dataPlane.jobs.empty",
    source: { ...SDK("test_workspace_by_name.yaml"), interaction: "GET jobs of a workspace without jobs" },
    request: { listener: "dataPlane", method: "GET", path: `${P}/jobs`, apiVersion: DP_VERSION, query: JOB_QUERY, auth: "bearer" },
    response: { status: 200, body: emptyList },
    shape: EMPTY_LIST_SHAPE,
    clientUse: "not sent (this module lists no jobs)",
  },
  {
    id: "dataPlane.sessions.empty",
    source: { ...SDK("test_workspace_by_name.yaml"), interaction: "GET sessions of a workspace without sessions" },
    request: { listener: "dataPlane", method: "GET", path: `${P}/sessions`, apiVersion: DP_VERSION, query: JOB_QUERY, auth: "bearer" },
    response: { status: 200, body: emptyList },
    shape: EMPTY_LIST_SHAPE,
    clientUse: "not sent (this module lists no sessions)",
  },
  {
    id: "dataPlane.topLevelItems.empty",
    source: { ...SDK("test_workspace_by_name.yaml"), interaction: "GET topLevelItems of a workspace without jobs or sessions" },
    request: { listener: "dataPlane", method: "GET", path: `${P}/topLevelItems`, apiVersion: DP_VERSION, query: JOB_QUERY, auth: "bearer" },
    response: { status: 200, body: emptyList },
    shape: EMPTY_LIST_SHAPE,
    clientUse: "not sent (this module lists no jobs or sessions)",
  },
];

/**
 * The request path of `exchange` for a workspace (and operation id), with the query string
 * (api-version first, then the recorded parameters).
 */
export function requestPath(
  exchange: RecordedExchange,
  ids: { subscriptionId: string; resourceGroup: string; workspaceName: string },
  operationId = FIXTURE.operationId,
): string {
  const path = exchange.request.path
    .replace("{sub}", encodeURIComponent(ids.subscriptionId))
    .replace("{rg}", encodeURIComponent(ids.resourceGroup))
    .replace("{ws}", encodeURIComponent(ids.workspaceName))
    .replace("{op}", encodeURIComponent(operationId));
  const query = new URLSearchParams({ "api-version": exchange.request.apiVersion, ...exchange.request.query });
  return `${path}?${query}`;
}

/** The exchange with this id (throws for an unknown one, so a typo fails loudly). */
export function exchange(exchangeId: string): RecordedExchange {
  const found = EXCHANGES.find((e) => e.id === exchangeId);
  if (!found) throw new Error(`no recorded exchange "${exchangeId}"`);
  return found;
}
