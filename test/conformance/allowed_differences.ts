/**
 * THE reviewed list of intended differences between the emulator and Azure Quantum, each with its
 * reason. Entries that name a recorded exchange are checked both ways by the conformance suite: a
 * difference the emulator shows must be listed here, and a listed one must still occur. The other
 * entries describe behaviour no recording covers. docs/emulator.md's "Differences from Azure
 * Quantum" section is rendered from this list (`renderDifferences`), and a test keeps the two equal:
 * to change the section, change this list and run
 * `node_modules/.bin/deno run --allow-read --allow-write test/conformance/write_differences_doc.ts`.
 *
 * @module
 */

/** One intended difference. */
export interface AllowedDifference {
  /** Stable id. */
  id: string;
  /** The recorded exchange (see exchanges.ts) whose differences this entry allows, if any. */
  exchange?: string;
  /** Prefixes of the difference lines (see shape.ts) it allows; each must still occur. */
  covers: string[];
  /** One line, for the docs. */
  title: string;
  /** Why the emulator differs, for the docs (Markdown). */
  reason: string;
}

export const ALLOWED_DIFFERENCES: readonly AllowedDifference[] = [
  {
    id: "one-workspace",
    covers: [],
    title: "One workspace with fixed identifiers, on 127.0.0.1 with ports",
    reason: "Real endpoints are `https://{region}.quantum.azure.com/` (or the per-workspace " +
      "`https://{ws}.{region}.quantum.azure.com`) and `https://management.azure.com`. The Python SDK's " +
      "connection-string regex rejects a `QuantumEndpoint` with a port, so emulator connection strings " +
      "are for this module (and other emulator-aware clients) only.",
  },
  {
    id: "other-providers",
    exchange: "arm.resourceGraph",
    covers: ["status 400, recorded 200", "body"],
    title:
      "Only `Microsoft.Quantum` and `Microsoft.Authorization` are registered in the emulated Resource Manager",
    reason:
      "`Microsoft.Authorization` serves role assignments and role definitions only (its other " +
      "resource types are 404). Routes of other resource providers get ARM's answer for a namespace " +
      "it cannot route: " +
      "`400 InvalidResourceNamespace` at tenant scope (for example Azure Resource Graph, " +
      "`POST /providers/Microsoft.ResourceGraph/resources`, which the Python SDK uses to find a " +
      "workspace by name) and `409 MissingSubscriptionRegistration` under the subscription. Azure " +
      "serves them; emulating Resource Graph's query language is out of scope, and this module never " +
      "needs it (it takes the resource group from the connection).",
  },
  {
    id: "no-jobs",
    exchange: "dataPlane.jobs.apiKey",
    covers: ["body /value: no items", "body /nextLink: null"],
    title: "No jobs or sessions",
    reason:
      "Nothing runs in the emulator: `…/jobs`, `…/sessions` and `…/topLevelItems` are always " +
      '`{"value":[],"nextLink":null}` (they accept the `filter`, `orderby`, `skip` and `top` the ' +
      "Python SDK sends). Job submission, storage SAS URIs and job details are not emulated.",
  },
  {
    id: "not-emulated-arm",
    covers: [],
    title: "Workspace life cycle and other ARM operations are not emulated",
    reason:
      "`DELETE`, workspace creation, listing workspaces, `checkNameAvailability` and offerings " +
      "answer 404 or 405. The emulated workspace always exists.",
  },
  {
    id: "error-texts",
    covers: [],
    title: "Error message texts may differ",
    reason:
      "Status codes, error codes, headers and body shapes follow the recordings and the REST " +
      "reference; Azure's error messages are not recorded word for word.",
  },
  {
    id: "api-version-errors",
    covers: [],
    title: "An unknown ARM api-version is `400 InvalidApiVersionParameter`",
    reason:
      "Real ARM may answer `NoRegisteredProviderFound` for a well-formed but unsupported version " +
      "(not recorded). `listKeys`/`regenerateKey` with a version older than `2023-11-13-preview` are " +
      "also `400 InvalidApiVersionParameter`, and so is a `Microsoft.Authorization` version other than " +
      "`2015-07-01`, `2018-01-01-preview`, `2020-04-01-preview` or `2022-04-01`.",
  },
  {
    id: "listkeys-created-at",
    covers: [],
    title: "`listKeys` has `createdAt` at api-versions other than 2023-11-13-preview",
    reason:
      "Azure was recorded without `createdAt` at `2023-11-13-preview`, and the emulator answers " +
      "that version the same way. For the other versions (this module's default is " +
      "`2025-12-15-preview`) no answer was recorded; the emulator follows the REST spec's example, " +
      "which has it, so key ages can be shown. Clients must treat it as optional.",
  },
  {
    id: "keys-disabled",
    covers: [],
    title:
      "`regenerateKey` while keys are disabled is `409 ApiKeysDisabled`; `listKeys` still returns the keys",
    reason:
      "The portal requires enabling keys before regenerating them; Azure's exact error is not " +
      "recorded. Whether Azure's `listKeys` returns the keys (or nulls) while they are disabled is not " +
      "recorded either; the emulator returns them with `apiKeyEnabled: false`, and the data plane " +
      "rejects them.",
  },
  {
    id: "put-semantics",
    covers: [],
    title: "PUT keeps what it is not given and honours only `location`, `apiKeyEnabled` and `tags`",
    reason:
      "Azure replaces the resource with the body (clients send the whole resource back, as the " +
      "CLI does). `location` must be `eastus` (any case and spacing). A PUT that changes nothing " +
      "answers 200 at once, without an operation (every recorded PUT changed something and got 201). " +
      "Operation URLs have Azure's `{uuid}*{hex}` id but no signed query parameters (`t`, `c`, `s`, " +
      "`h`). `If-Match` and other ETag preconditions are not checked.",
  },
  {
    id: "operation-state",
    covers: [],
    title: 'During an operation, GET shows `provisioningState: "Accepted"`',
    reason:
      "Not recorded (the recorded GETs came after the operation ended). The operation lasts " +
      "exactly the configured LRO duration (default 0: done at the first poll; Azure took about " +
      "30 s).",
  },
  {
    id: "system-data",
    covers: [],
    title: "`systemData` names the emulator identity or the caller",
    reason:
      "`createdBy` is the emulator's managed identity and `lastModifiedBy` the principal of the " +
      "last change (`ManagedIdentity`, `Application` or `User`, as the emulated directory has it); " +
      "after an operation Azure showed its own application as the last modifier.",
  },
  {
    id: "patch",
    covers: [],
    title: "PATCH changes tags only",
    reason:
      "`Workspaces_UpdateTags` is documented for tags only; what Azure does with other fields " +
      "is undocumented, so the emulator ignores them.",
  },
  {
    id: "data-plane-checks",
    covers: [],
    title:
      "Data plane: an unknown workspace is 404 before authentication; the 403 without a data role is partly inferred",
    reason:
      "A bearer caller needs a Quantum Workspace Data Reader or Contributor role by default " +
      '(`dataPlaneAuthorization: "dataRoles"`, Azure Quantum\'s announced rule; ' +
      '`"controlPlaneRoles"` lets Owner, Contributor and Reader in, as before). The 403 has Azure\'s ' +
      "code and message (`InsufficientPermissions`, from the Azure Quantum troubleshooting page); its " +
      "status and envelope are inferred. Every data route is a read (`…/jobs/read`): there are no " +
      "job writes to authorize.",
  },
  {
    id: "tokens",
    covers: [],
    title: "Tokens are HS256 JWTs the emulator signs",
    reason: "Signed with a key shared by every emulator of the same process (MSAL caches " +
      "managed-identity tokens process-wide, so a token cached for one emulator stays valid for the " +
      "next one in the same kernel). They mean nothing to Azure, and Azure tokens mean nothing to the " +
      "emulator. The token endpoint issues a token for any `http(s)` resource; Entra ID rejects " +
      "unknown resources.",
  },
  {
    id: "roles",
    covers: [],
    title:
      "RBAC has six built-in roles and no custom roles, groups, conditions or deny assignments",
    reason:
      "Role assignments at the emulated subscription, resource group and workspace are inherited " +
      "downwards and checked on both planes (data roles on the data plane), with the built-in roles' " +
      "real ids and permissions: Owner, Contributor, Reader, User Access Administrator, Quantum " +
      "Workspace Data Contributor and Reader. Quantum Workspace Data Reader's real id was not found in " +
      "public sources: the emulator uses the stand-in `00000000-0000-4000-8000-0000000000d1` " +
      "(`QUANTUM_WORKSPACE_DATA_READER_ROLE_ID`) and infers its permissions (`…/jobs/read`); look it " +
      "up by name. Assignments count on Resource Manager at once and on the data plane after " +
      "`rolePropagationDelayMs` (default 0: the next request; Azure's can take minutes). Actions on " +
      "provider-level scopes (the operation status) are allowed to any principal holding the action " +
      "anywhere. Built-in role definitions carry placeholder `createdOn`/`updatedOn` dates (Azure's " +
      "differ per role). Some `Microsoft.Authorization` error texts are inferred (see " +
      "`src/emulator/rbac_errors.ts`).",
  },
  {
    id: "authority",
    covers: [],
    title:
      "The Microsoft Entra authority signs in by device code only, approved through the control API",
    reason:
      "No passwords, consent, MFA or conditional access; any GUID is a known client id; a code " +
      "is approved with `control.approveDeviceCode()`, not on the `/devicelogin` page; no instance " +
      "discovery (clients pass `disableInstanceDiscovery: true`); ID tokens are HS256 and `jwks_uri` " +
      "lists no keys.",
  },
  {
    id: "key-vault",
    covers: [],
    title: "One Key Vault, secrets only, with roles of its own",
    reason:
      "Keys, certificates, `PATCH`, backup and restore answer `501 NotImplemented`. Vault roles " +
      "are set with `control.vault` at vault scope (no access policies, per-secret assignments or " +
      "propagation delay), not through `Microsoft.Authorization`, and are not kept in the state file. " +
      "Details: [emulator-vault.md](emulator-vault.md#differences-from-azure-key-vault).",
  },
  {
    id: "propagation",
    covers: [],
    title: "Key propagation is one exact delay",
    reason:
      "Enabling or disabling reaches the data plane after the configured delay (default 0); " +
      "Azure's is about a minute and varies.",
  },
  {
    id: "limits",
    covers: [],
    title: "Request bodies over 1 MiB get 413; the request log keeps the last 1,000 requests",
    reason:
      "Both bound the memory of a long-running emulator (a notebook kernel); no real request " +
      "comes near the limit. Azure's own limits and its 413 body are not recorded.",
  },
  {
    id: "new-ca",
    covers: [],
    title: "A new CA at every start",
    reason:
      "Also with `--state`: clients must re-read `AZURE_QUANTUM_EMULATOR_CA` after a restart.",
  },
];

/**
 * The differences in `found` (lines from `differences()`) that no entry for `exchangeId` allows.
 *
 * @example Usage
 * ```ts
 * import { unexplained } from "./allowed_differences.ts";
 * unexplained("arm.listKeys", []); // []
 * ```
 */
export function unexplained(exchangeId: string, found: readonly string[]): string[] {
  const allowed = ALLOWED_DIFFERENCES.filter((a) => a.exchange === exchangeId).flatMap((a) =>
    a.covers
  );
  return found.filter((d) => !allowed.some((prefix) => d.startsWith(prefix)));
}

/** Markers around the generated section in docs/emulator.md. */
export const DOC_START =
  "<!-- differences: generated from test/conformance/allowed_differences.ts -->";
export const DOC_END = "<!-- end of differences -->";

/**
 * The Markdown list docs/emulator.md shows as "Differences from Azure Quantum".
 *
 * @example Usage
 * ```ts
 * import { renderDifferences } from "./allowed_differences.ts";
 * renderDifferences().startsWith("- **"); // true
 * ```
 */
export function renderDifferences(
  list: readonly AllowedDifference[] = ALLOWED_DIFFERENCES,
): string {
  return list.map((d) =>
    `- **${d.title}.** ${d.reason}` +
    (d.exchange ? ` (Recorded exchange \`${d.exchange}\`, checked by the conformance suite.)` : "")
  ).join("\n") + "\n";
}
