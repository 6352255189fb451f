/**
 * Parsing and formatting of Azure Quantum connection strings
 * (`SubscriptionId=…;ResourceGroupName=…;WorkspaceName=…;ApiKey=…;QuantumEndpoint=https://…/;`).
 *
 * @module
 */

import { ConnectionStringError } from "../errors.ts";
import type { ConnectionField, ConnectionInfo } from "./connection_info.ts";
import { checkQuantumEndpoint } from "./quantum_endpoint.ts";
import { isSecret, Secret } from "./secret.ts";
import {
  checkApiKey,
  checkResourceGroup,
  checkSubscriptionId,
  checkWorkspaceName,
  CONNECTION_STRING_FIELD_NAMES as NAMES,
  connectionStringContext,
} from "./validate_fields.ts";

type StringField = Exclude<ConnectionField, "location">;

const ORDER: readonly StringField[] = [
  "subscriptionId",
  "resourceGroup",
  "workspaceName",
  "apiKey",
  "endpoint",
];
const FIELD_BY_NAME = new Map(ORDER.map((f) => [NAMES[f].toLowerCase(), f]));
const ALL_NAMES = "SubscriptionId, ResourceGroupName, WorkspaceName, ApiKey and QuantumEndpoint";
const COPY_AGAIN =
  "Copy the connection string again from the Azure portal (Operations > Access keys)";

/** The source label every field of a parsed connection string gets. */
export const CONNECTION_STRING_SOURCE = "connection string";

interface Part {
  index: number;
  name: string;
  value: string;
}

function splitParts(body: string, fail: (what: string, fix: string) => never): Part[] {
  const parts: Part[] = [];
  body.split(";").forEach((raw, i) => {
    const part = raw.trim();
    if (part === "") return;
    const eq = part.indexOf("=");
    if (eq < 0) {
      fail(`part ${i + 1} has no "="`, 'Write each field as Name=value and end it with ";"');
    }
    parts.push({ index: i, name: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() });
  });
  return parts;
}

/**
 * Names an unknown field only when it cannot be a key: a name of one or more words (`Foo`,
 * `ApiKye`, `EndpointSuffix`, `endpoint_suffix`: letters only, each uppercase letter starting a
 * word of lowercase ones, at most 32 characters) that overlaps no value of the string, is not a
 * known name with text glued to it (`ApiKeyAbc…`, where a `=` went missing), and is not followed
 * by an empty value, a second `=` (a base64 key's padding) or a known field name (`<key>=ApiKey`:
 * name and value swapped). Anything else (digits, runs of capitals, `_` or `-` inside) might be a
 * mistyped or misplaced key, and is not shown.
 */
function safeName(part: Part, parts: readonly Part[]): string | undefined {
  const { name } = part;
  if (name.length > 32 || !/^[A-Za-z][a-z]*(?:_?[A-Z]?[a-z]+)*$/.test(name)) return undefined;
  const value = part.value.replace(/[\s\p{C}]/gu, ""); // invisible copy-paste debris
  if (value === "" || value.startsWith("=")) return undefined;
  if (FIELD_BY_NAME.has(value.toLowerCase())) return undefined;
  const lower = name.toLowerCase();
  if ([...FIELD_BY_NAME.keys()].some((known) => lower.startsWith(known))) return undefined;
  const overlaps = (v: string) => v !== "" && (v.includes(name) || name.includes(v));
  return parts.some((p) => overlaps(p.value)) ? undefined : name;
}

/**
 * {@link parseConnectionString} for a string that came from `source` (e.g.
 * `"env AZURE_QUANTUM_CONNECTION_STRING"`), which error messages then name.
 */
export function parseConnectionStringFrom(
  input: string | Secret,
  source?: string,
): ConnectionInfo {
  const text: unknown = isSecret(input) ? input.reveal() : input;
  const prefix = source === undefined
    ? "Cannot parse connection string"
    : `Cannot parse connection string from ${source}`;
  const fail = (field: string | undefined, what: string, fix: string): never => {
    throw new ConnectionStringError(field, `${prefix}: ${what}. ${fix}`);
  };
  if (typeof text !== "string") {
    throw new TypeError(`${prefix}: expected a string, got ${typeof text}. Pass the text itself`);
  }
  const body = (text as string).trim();
  if (body === "") {
    fail(
      undefined,
      "it is empty",
      "Copy a connection string from the Azure portal (Operations > Access keys)",
    );
  }
  const parts = splitParts(body, (what, fix) => fail(undefined, what, fix));

  const values = new Map<StringField, string>();
  for (const part of parts) {
    const { name, value } = part;
    const field = FIELD_BY_NAME.get(name.toLowerCase());
    if (field === undefined) {
      const shown = safeName(part, parts);
      fail(
        shown,
        shown === undefined ? "it has a field with an unexpected name" : `unknown field ${shown}`,
        `Use only the fields ${ALL_NAMES}, and nothing after the final ";"`,
      );
    }
    const f = field as StringField;
    if (values.has(f)) {
      fail(NAMES[f], `${NAMES[f]} appears more than once`, `Keep one ${NAMES[f]}`);
    }
    if (value === "") {
      fail(NAMES[f], `${NAMES[f]} is empty`, `Give ${NAMES[f]} a value. ${COPY_AGAIN}`);
    }
    values.set(f, value);
  }
  const missing = ORDER.filter((f) => !values.has(f)).map((f) => NAMES[f]);
  if (missing.length > 0) {
    const list = missing.length === 1
      ? missing[0]
      : `${missing.slice(0, -1).join(", ")} and ${missing[missing.length - 1]}`;
    fail(
      missing[0],
      `${list} ${missing.length === 1 ? "is" : "are"} missing`,
      `A connection string needs ${ALL_NAMES}. ${COPY_AGAIN}`,
    );
  }

  const get = (f: StringField) => values.get(f) as string;
  const ctx = (f: ConnectionField) => connectionStringContext(f, source);
  const apiKey = checkApiKey(get("apiKey"), ctx("apiKey"));
  const subscriptionId = checkSubscriptionId(get("subscriptionId"), ctx("subscriptionId"));
  const resourceGroup = checkResourceGroup(get("resourceGroup"), ctx("resourceGroup"));
  const workspaceName = checkWorkspaceName(get("workspaceName"), ctx("workspaceName"));
  const endpoint = checkQuantumEndpoint(get("endpoint"), ctx("endpoint"), workspaceName);
  const label = CONNECTION_STRING_SOURCE;
  return {
    subscriptionId,
    resourceGroup,
    workspaceName,
    location: endpoint.location,
    endpoint: endpoint.endpoint,
    workspaceKind: endpoint.workspaceKind,
    apiKey: new Secret(apiKey),
    isEmulator: endpoint.isEmulator,
    sources: {
      subscriptionId: label,
      resourceGroup: label,
      workspaceName: label,
      location: label,
      endpoint: label,
      apiKey: label,
    },
  };
}

/**
 * Parses and validates an Azure Quantum connection string (the text, or a `Secret` holding it).
 *
 * Accepts every string the Azure Quantum Python SDK accepts (field names in any case, uppercase
 * GUIDs, keys with `/ + =`, `-v2`/`-V2` hosts, `quantum-test` hosts, a trailing newline), and is
 * tolerant where the SDK is needlessly strict: fields in any order, whitespace around `;` and `=`,
 * no trailing `;`, no trailing `/`. Also accepted: the per-workspace host
 * `https://<ws>.<region>.quantum.azure.com/` (its first label must be the WorkspaceName) and the
 * emulator's `https://127.0.0.1:<port>/` or `https://localhost:<port>/` (`isEmulator: true`,
 * location `"eastus"`, the emulator's development region).
 *
 * Unknown fields are rejected, which includes text after the final `;` that the SDK ignores
 * (`…/;Foo=bar`): a mistyped field name would otherwise be dropped silently. Messages name the
 * field at fault, never a value (an unknown field's name is shown only when it cannot be part of
 * the key). The endpoint is stored lowercased with a trailing `/`; the location is lowercased.
 *
 * @throws {ConnectionStringError} with a message "Cannot parse connection string: <what>. <fix>".
 * @example Usage
 * ```ts
 * import { parseConnectionString } from "azure-quantum-notebook";
 * const info = parseConnectionString(
 *   "SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=rg;" +
 *     "WorkspaceName=ws;ApiKey=k;QuantumEndpoint=https://eastus-v2.quantum.azure.com/;",
 * );
 * info.workspaceKind; // "V2"
 * ```
 */
export function parseConnectionString(text: string | Secret): ConnectionInfo {
  return parseConnectionStringFrom(text);
}

/**
 * Formats a connection in the canonical form the Python SDK emits and accepts:
 * `SubscriptionId=…;ResourceGroupName=…;WorkspaceName=…;ApiKey=…;QuantumEndpoint=https://…/;`,
 * as a {@link Secret} (it holds the key): `reveal()` stays the only way to a key as plain text,
 * and everything that takes a connection string (`parseConnectionString`, `connect`,
 * `updateEnvFile`) takes the `Secret` as it is. `parseConnectionString(formatConnectionString(x))`
 * equals `x` for every `x` that `parseConnectionString` returns. (The SDK itself rejects
 * per-workspace and loopback endpoints.)
 *
 * @throws {TypeError} when `info.apiKey` is missing (Entra ID connections have no connection
 * string) or holds `;`, whitespace, or a control or non-ASCII character.
 * @throws {ConnectionStringError} when a field is invalid.
 * @example Usage
 * ```ts
 * import { formatConnectionString, Secret } from "azure-quantum-notebook";
 * const connectionString = formatConnectionString({
 *   subscriptionId: "11111111-2222-3333-4444-555555555555", resourceGroup: "rg",
 *   workspaceName: "ws", location: "eastus", endpoint: "https://eastus.quantum.azure.com/",
 *   workspaceKind: "V1", apiKey: new Secret("k"), isEmulator: false, sources: {},
 * });
 * console.log(`${connectionString}`); // ••••••••  sha256:…
 * ```
 */
export function formatConnectionString(info: ConnectionInfo): Secret {
  const prefix = "Cannot format connection string";
  const key: unknown = info?.apiKey;
  if (key === undefined || key === null) {
    throw new TypeError(
      `${prefix}: the connection has no apiKey (it uses Microsoft Entra ID). Use a connection loaded with an access key`,
    );
  }
  const value = isSecret(key) ? key.reveal() : key;
  if (typeof value !== "string" || !/^[\x21-\x3a\x3c-\x7e]+$/.test(value)) {
    throw new TypeError(
      `${prefix}: apiKey is empty or holds ";", whitespace, or a control or non-ASCII character. ` +
        "Use the key as Azure shows it",
    );
  }
  const ctx = (field: ConnectionField) => ({ prefix, subject: NAMES[field] });
  const workspaceName = checkWorkspaceName(info.workspaceName, ctx("workspaceName"));
  const fields: Record<StringField, string> = {
    subscriptionId: checkSubscriptionId(info.subscriptionId, ctx("subscriptionId")),
    resourceGroup: checkResourceGroup(info.resourceGroup, ctx("resourceGroup")),
    workspaceName,
    apiKey: value,
    endpoint: checkQuantumEndpoint(info.endpoint, ctx("endpoint"), workspaceName).endpoint,
  };
  return new Secret(ORDER.map((f) => `${NAMES[f]}=${fields[f]};`).join(""));
}

/** The connection string for `key`: the workspace's own fields (canonical form) with that key. */
export function connectionStringFor(info: ConnectionInfo, key: Secret): Secret {
  return formatConnectionString({ ...info, apiKey: key });
}

/** True when `text` is a connection string holding `key` (a `Secret` is revealed only here). */
export function holdsKey(text: string | Secret | undefined, key: Secret): boolean {
  if (!text) return false;
  try {
    const value = typeof text === "string" ? text : text.reveal();
    return parseConnectionString(value).apiKey?.equals(key) === true;
  } catch {
    return false;
  }
}
