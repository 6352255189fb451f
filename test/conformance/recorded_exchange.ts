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
 * - Role assignments and definitions: Azure/azure-cli `src/azure-cli/azure/cli/command_modules/role/
 *   tests/latest/recordings/test_role_assignment_create_using_principal_type.yaml` at
 *   1fec3e2d5c204e40489f81aca7ab52b047a8b138 (recorded 2020-11-26, `az` 2.15.1) and
 *   `test_built_in_role_definition_scenario.yaml` at 2768f1e2211e54b69ee8c0412432636b37077bfb
 *   (recorded 2025-01-10, `az` 2.68.0); a role definition by id: the documented example of
 *   MicrosoftDocs/azure-docs `articles/role-based-access-control/role-definitions-list.md` at
 *   dc77906137090cbcb0961c2e58111202fb6d6a48 (api-version 2022-04-01; no recording found). MIT
 *   licence (azure-cli), CC BY 4.0 (azure-docs).
 * - Key Vault secrets: Azure/azure-cli `src/azure-cli/azure/cli/command_modules/keyvault/tests/
 *   latest/recordings/test_keyvault_secret.yaml` at 040d1995fc1a94d56877b1e78a7c900b88a88f3c
 *   (recorded 2025-03-11, `az` 2.70.0, api-version 7.4). MIT licence.
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
  /** The name (a GUID) of a role assignment a client creates (`{name}` in path templates). */
  assignmentName: "77777777-7777-4777-8777-777777777777",
  /** Key Vault (`{vault}` is the vault's origin; `{secret}` and `{version}` in path templates). */
  secretName: "fixture-secret",
  secretVersion: "0123456789abcdef0123456789abcdef",
} as const;

/** `{P}` in path templates. */
export const P = "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Quantum/workspaces/{ws}";
/** The operation-status path template (`{op}`: the operation id). */
export const OPERATION = "/providers/Microsoft.Quantum/locations/EASTUS/operationStatuses/{op}";

/** Where a recorded exchange was read. */
export interface Source {
  repo: "Azure/azure-cli-extensions" | "microsoft/azure-quantum-python" | "Azure/azure-cli" | "MicrosoftDocs/azure-docs";
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
    listener: "arm" | "dataPlane" | "vault";
    method: "GET" | "PUT" | "POST";
    /**
     * With `{sub}`, `{rg}`, `{ws}`, `{op}` (operation id), `{name}` (a new role assignment's GUID),
     * `{secret}` and `{version}` placeholders.
     */
    path: string;
    /** The api-version of the recording (the emulator is asked at this one). */
    apiVersion: string;
    /**
     * The api-version this module sends, when it is not the recorded one; the response schema of
     * the fields compared is the same at both (the REST spec's, cited with the exchange).
     */
    clientApiVersion?: string;
    /** Other query parameters as recorded. */
    query?: Record<string, string>;
    auth: "bearer" | "apiKey" | "none";
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
  operationId: string = FIXTURE.operationId,
  apiVersion: string = exchange.request.apiVersion,
): string {
  const path = exchange.request.path
    .replace("{sub}", encodeURIComponent(ids.subscriptionId))
    .replace("{rg}", encodeURIComponent(ids.resourceGroup))
    .replace("{ws}", encodeURIComponent(ids.workspaceName))
    .replace("{op}", encodeURIComponent(operationId))
    .replace("{name}", FIXTURE.assignmentName)
    .replace("{secret}", FIXTURE.secretName)
    .replace("{version}", FIXTURE.secretVersion);
  const query = new URLSearchParams({ "api-version": apiVersion, ...exchange.request.query });
  return `${path}?${query}`;
}
