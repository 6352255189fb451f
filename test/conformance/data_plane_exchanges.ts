/**
 * The recorded data-plane exchanges of the Python SDK's recordings (see recorded_exchange.ts):
 * providerStatus, quotas, and the job, session and top-level-item lists, with an access key and
 * with keys disabled. Bodies are our own samples.
 *
 * @module
 */
import { P, type RecordedExchange, SDK } from "./recorded_exchange.ts";

const DP_VERSION = "2025-12-01-preview";

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

/** The recorded data-plane exchanges. */
export const DATA_PLANE_EXCHANGES: readonly RecordedExchange[] = [
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
    clientUse: "ws.quotas() and quotas() follow every page into a QuotaList",
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
    clientUse: "read as the answer to connect()'s providerStatus probe: an UnauthorizedError",
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
