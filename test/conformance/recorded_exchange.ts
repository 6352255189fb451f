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

/** The `az quantum` recording these facts were read from. */
export const CLI: Omit<Source, "interaction"> = {
  repo: "Azure/azure-cli-extensions",
  path: "src/quantum/azext_quantum/tests/latest/recordings/test_workspace_keys.yaml",
  commit: "107f8eceb8b298995e36d7b772eca78f2b4e7197",
};
/** A recording of the Python SDK these facts were read from. */
export const SDK = (file: string): Omit<Source, "interaction"> => ({
  repo: "microsoft/azure-quantum-python",
  path: `azure-quantum/tests/unit/recordings/${file}`,
  commit: "2dd25ea975ae5d6a7aa58988b20df2921dd85020",
});

/** A path template with the fixture's identifiers filled in. */
export const withFixtureIds = (p: string): string =>
  p.replace("{sub}", FIXTURE.subscriptionId).replace("{rg}", FIXTURE.resourceGroup).replace(
    "{ws}",
    FIXTURE.workspaceName,
  );

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
