/**
 * Field-level validation of a workspace connection, with the Azure Quantum Python SDK's rules and
 * sentences (`WorkspaceConnectionParams._validate_connection_params`), so that a value this module
 * accepts is one the SDK accepts too.
 *
 * @module
 */

import { withoutFinalPeriod } from "../_text.ts";
import { ConnectionStringError } from "../errors.ts";
import type { ConnectionField } from "./connection_info.ts";
import { isAzureRegion } from "./azure_regions.ts";

/** The name of each field inside a connection string. */
export const CONNECTION_STRING_FIELD_NAMES: Readonly<Record<ConnectionField, string>> = Object
  .freeze({
    subscriptionId: "SubscriptionId",
    resourceGroup: "ResourceGroupName",
    workspaceName: "WorkspaceName",
    apiKey: "ApiKey",
    endpoint: "QuantumEndpoint",
    location: "Location",
  });

/** The Python SDK's validation sentences, word for word. */
export const SDK_MESSAGES = Object.freeze({
  subscriptionType: "Subscription ID must be a string.",
  subscriptionGuid: "Subscription ID must be a valid GUID.",
  resourceGroupType: "Resource group name must be a string.",
  resourceGroupLength: "Resource group name must be between 1 and 90 characters long.",
  resourceGroupChars:
    "Resource group name can only include alphanumeric, underscore, parentheses, hyphen, period (except at end), and Unicode characters that match the allowed characters.",
  workspaceType: "Workspace name must be a string.",
  workspaceLength: "Workspace name must be between 2 and 54 characters long.",
  workspaceChars:
    "Workspace name can only include alphanumerics (a-zA-Z0-9) and hyphens, and cannot start or end with hyphen.",
  locationType: "Location must be a string.",
  locationRegion:
    "Location must be one of the Azure regions listed in https://learn.microsoft.com/en-us/azure/reliability/regions-list.",
});

/**
 * How an error names the value at fault: `prefix` is the "Cannot <do what>" part, `subject` names
 * the value (a connection-string field, or a source such as `env SUBSCRIPTION_ID`). Never a value.
 */
export interface FieldContext {
  prefix: string;
  subject: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY_ALPHABET = /^[A-Za-z0-9_+/=-]+$/;
const KEY_MIN_LENGTH = 40;
const KEY_SWITCH_RATIO = 0.4;
const RESOURCE_GROUP_CHARS = /^[\p{Lu}\p{Ll}\p{Lt}\p{Lm}\p{Lo}\p{Nd}_().-]+$/u;
const WORKSPACE_NAME = /^[a-zA-Z0-9]+(-*[a-zA-Z0-9])*$/;

function charClass(c: string): number {
  return c >= "A" && c <= "Z" ? 0 : c >= "a" && c <= "z" ? 1 : c >= "0" && c <= "9" ? 2 : 3;
}

/**
 * True when an identifier (a resource group or workspace name) looks like an access key, so it is
 * refused before it is shown or sent. The rule: at least 40 characters, all of the base64/base64url
 * alphabet (`A-Z a-z 0-9 _ - + / =`); upper- and lowercase letters and a third class (digits or
 * symbols); fewer than 15% separators (`_ -`); and the character class (upper, lower, digit,
 * symbol) changes at 40% or more of adjacent pairs. Azure's keys (32 or 64 random bytes: 43 to 88
 * characters) change class at about 64% of pairs and hold about 3% separators: the rule refuses
 * 99.9% of 43-character keys and all but about 1 in 100,000 86-character ones. Names made of words
 * change class far less often (`AzureQuantum-ResourceGroup-For-Testing-2024-Project`: 38%), names
 * of short segments have many separators, and names without two letter cases (`"a"*90`,
 * GUID-based managed groups) never qualify.
 */
function looksLikeAccessKey(value: string): boolean {
  if (value.length < KEY_MIN_LENGTH || !KEY_ALPHABET.test(value)) return false;
  const classes = new Set([...value].map(charClass));
  if (!classes.has(0) || !classes.has(1) || classes.size < 3) return false;
  if ((value.match(/[_-]/g)?.length ?? 0) >= 0.15 * value.length) return false;
  let switches = 0;
  for (let i = 1; i < value.length; i++) {
    if (charClass(value[i]) !== charClass(value[i - 1])) switches++;
  }
  return switches / (value.length - 1) >= KEY_SWITCH_RATIO;
}

function refuseKeyLike(field: ConnectionField, value: string, ctx: FieldContext) {
  if (looksLikeAccessKey(value)) {
    throw invalidField(
      field,
      ctx,
      `It looks like an access key, not a ${
        field === "resourceGroup" ? "resource group" : "workspace"
      } name: check that the fields are not swapped, and copy the connection string again`,
    );
  }
}

/**
 * Whether an access key can be sent in an HTTP header: visible ASCII only (Azure's keys are base64
 * or base64url). Keys from anywhere (a connection string, Resource Manager) pass this first.
 */
export function isSendableKey(value: string): boolean {
  return /^[\x21-\x7e]+$/.test(value);
}

/**
 * Checks an access key: the key is sent in an HTTP header, so it must be visible ASCII (Azure's
 * keys are base64 or base64url). Whitespace, control characters (a NUL from a C string, an escape
 * sequence) and invisible or non-ASCII characters are refused; the message never shows the key.
 */
export function checkApiKey(value: string, ctx: FieldContext): string {
  if (/\s/.test(value)) {
    throw new ConnectionStringError(
      "ApiKey",
      `${ctx.prefix}: ${ctx.subject} contains whitespace. Remove the spaces or line breaks inside the key`,
    );
  }
  if (!isSendableKey(value)) {
    throw new ConnectionStringError(
      "ApiKey",
      `${ctx.prefix}: ${ctx.subject} holds a control, invisible or non-ASCII character. ` +
        "Copy the key again from the Azure portal (Operations > Access keys)",
    );
  }
  return value;
}

/**
 * The context for a field inside a connection string (`source` names where the string came from).
 */
export function connectionStringContext(field: ConnectionField, source?: string): FieldContext {
  return {
    prefix: source === undefined
      ? "Cannot parse connection string"
      : `Cannot parse connection string from ${source}`,
    subject: CONNECTION_STRING_FIELD_NAMES[field],
  };
}

function contextFor(field: ConnectionField, source: string | undefined): FieldContext {
  return source === undefined
    ? connectionStringContext(field)
    : { prefix: "Cannot load connection", subject: source };
}

/** A `ConnectionStringError` for `field`: "<prefix>: <subject> is invalid. <rule>". */
export function invalidField(
  field: ConnectionField,
  context: FieldContext,
  rule: string,
): ConnectionStringError {
  return new ConnectionStringError(
    CONNECTION_STRING_FIELD_NAMES[field],
    `${context.prefix}: ${context.subject} is invalid. ${withoutFinalPeriod(rule)}`,
  );
}

function requireString(value: unknown, rule: string, ctx: FieldContext) {
  if (typeof value !== "string") {
    throw new TypeError(
      `${ctx.prefix}: ${ctx.subject} is a ${typeof value}. ${withoutFinalPeriod(rule)}`,
    );
  }
}

/**
 * Removes every whitespace character and lowercases, as the SDK's location setter does:
 * `"East US"` becomes `"eastus"`. Does not check the region list (see {@link validateLocation}).
 *
 * @example Usage
 * ```ts
 * import { normalizeLocation } from "azure-quantum-notebook";
 * normalizeLocation("South Central US"); // "southcentralus"
 * ```
 */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

/** {@link validateSubscriptionId} with an explicit error context. */
export function checkSubscriptionId(value: string, ctx: FieldContext): string {
  requireString(value, SDK_MESSAGES.subscriptionType, ctx);
  if (!GUID.test(value)) throw invalidField("subscriptionId", ctx, SDK_MESSAGES.subscriptionGuid);
  return value;
}

/** {@link validateResourceGroup} with an explicit error context. */
export function checkResourceGroup(value: string, ctx: FieldContext): string {
  requireString(value, SDK_MESSAGES.resourceGroupType, ctx);
  const length = [...value].length; // code points, as Python's len()
  if (length < 1 || length > 90) {
    throw invalidField("resourceGroup", ctx, SDK_MESSAGES.resourceGroupLength);
  }
  if (!RESOURCE_GROUP_CHARS.test(value) || value.endsWith(".")) {
    throw invalidField("resourceGroup", ctx, SDK_MESSAGES.resourceGroupChars);
  }
  refuseKeyLike("resourceGroup", value, ctx);
  return value;
}

/** {@link validateWorkspaceName} with an explicit error context. */
export function checkWorkspaceName(value: string, ctx: FieldContext): string {
  requireString(value, SDK_MESSAGES.workspaceType, ctx);
  if (value.length < 2 || value.length > 54) {
    throw invalidField("workspaceName", ctx, SDK_MESSAGES.workspaceLength);
  }
  if (!WORKSPACE_NAME.test(value)) {
    throw invalidField("workspaceName", ctx, SDK_MESSAGES.workspaceChars);
  }
  refuseKeyLike("workspaceName", value, ctx);
  return value;
}

/** {@link validateLocation} with an explicit error context. */
export function checkLocation(value: string, ctx: FieldContext): string {
  requireString(value, SDK_MESSAGES.locationType, ctx);
  const location = normalizeLocation(value);
  if (!isAzureRegion(location)) throw invalidField("location", ctx, SDK_MESSAGES.locationRegion);
  return location;
}

/**
 * Checks a subscription ID (a GUID, any case) and returns it unchanged. `source` names where it
 * came from (e.g. `"env SUBSCRIPTION_ID"`) for the error message; without it the message speaks
 * of the connection-string field.
 *
 * @throws {ConnectionStringError} `Subscription ID must be a valid GUID.`
 */
export function validateSubscriptionId(value: string, source?: string): string {
  return checkSubscriptionId(value, contextFor("subscriptionId", source));
}

/**
 * Checks a resource group name (1–90 code points of Unicode letters and digits, `_ ( ) - .`, not
 * ending with `.`) and returns it unchanged.
 *
 * @throws {ConnectionStringError} with the SDK's length or character sentence.
 */
export function validateResourceGroup(value: string, source?: string): string {
  return checkResourceGroup(value, contextFor("resourceGroup", source));
}

/**
 * Checks a workspace name (2–54 ASCII letters, digits and inner hyphens) and returns it unchanged.
 *
 * @throws {ConnectionStringError} with the SDK's length or character sentence.
 */
export function validateWorkspaceName(value: string, source?: string): string {
  return checkWorkspaceName(value, contextFor("workspaceName", source));
}

/**
 * Normalizes a location (see {@link normalizeLocation}) and checks it is one of the 57 Azure
 * regions the SDK knows; returns the normalized name.
 *
 * @throws {ConnectionStringError} with the SDK's region sentence.
 */
export function validateLocation(value: string, source?: string): string {
  return checkLocation(value, contextFor("location", source));
}

/**
 * Validates one of the four workspace-identity fields by name and returns the normalized value
 * (only `location` changes). `apiKey` and `endpoint` have their own rules
 * (`parseQuantumEndpoint`, `parseConnectionString`).
 */
export function validateField(
  field: "subscriptionId" | "resourceGroup" | "workspaceName" | "location",
  value: string,
  source?: string,
): string {
  switch (field) {
    case "subscriptionId":
      return validateSubscriptionId(value, source);
    case "resourceGroup":
      return validateResourceGroup(value, source);
    case "workspaceName":
      return validateWorkspaceName(value, source);
    case "location":
      return validateLocation(value, source);
    default:
      throw new TypeError(`Cannot validate field: ${String(field)} is not a validated field`);
  }
}
