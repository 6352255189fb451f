import { describe, expect, test } from "vitest";
import { ConnectionStringError } from "../../src/errors.ts";
import { parseConnectionString } from "../../src/connection/connection_string.ts";
import { expectNoLeak, thrown } from "./_leak.ts";

const G = "11111111-2222-3333-4444-555555555555";
const KEY = "Zk3yS3cr3tValue/+==";
const cs = (endpoint: string, o: { sub?: string; rg?: string; ws?: string; key?: string } = {}) =>
  `SubscriptionId=${o.sub ?? G};ResourceGroupName=${o.rg ?? "rg"};WorkspaceName=${o.ws ?? "ws"};` +
  `ApiKey=${o.key ?? KEY};QuantumEndpoint=${endpoint}`;
const ALL = "SubscriptionId, ResourceGroupName, WorkspaceName, ApiKey and QuantumEndpoint";
const COPY = "Copy the connection string again from the Azure portal (Operations > Access keys)";
const ENDPOINT_FIX =
  "Use https://<region>.quantum.azure.com/ (https://<region>-v2.quantum.azure.com/ for a V2 workspace), or https://127.0.0.1:<port>/ for the emulator";
const REGION =
  "Location must be one of the Azure regions listed in https://learn.microsoft.com/en-us/azure/reliability/regions-list";

function rejects(text: string, field: string | undefined, message: string) {
  const e = thrown(() => parseConnectionString(text));
  expect(e).toBeInstanceOf(ConnectionStringError);
  expect(e.message).toBe(message);
  expect((e as ConnectionStringError).field).toBe(field);
  expect((e as ConnectionStringError).code).toBe("ConnectionStringInvalid");
  expectNoLeak(e, KEY, text);
}

describe("parseConnectionString() rejects", () => {
  const e = "https://eastus.quantum.azure.com/;";
  const P = "Cannot parse connection string: ";
  test.each([
    [
      "http://",
      cs("http://eastus.quantum.azure.com/;"),
      `QuantumEndpoint does not use https. ${ENDPOINT_FIX}`,
    ],
    [
      "a port on an Azure host",
      cs("https://eastus.quantum.azure.com:443/;"),
      `QuantumEndpoint has a port, which Azure Quantum hosts do not take. ${ENDPOINT_FIX}`,
    ],
    [
      "an extra path",
      cs("https://eastus.quantum.azure.com/x/;"),
      `QuantumEndpoint has a path, query or fragment. ${ENDPOINT_FIX}`,
    ],
    [
      "a query",
      cs("https://eastus.quantum.azure.com/?a=1;"),
      `QuantumEndpoint has a path, query or fragment. ${ENDPOINT_FIX}`,
    ],
    [
      "a hyphen in the location",
      cs("https://east-us.quantum.azure.com/;"),
      "QuantumEndpoint has a hyphen in its region label. Azure region names have no hyphen: write eastus, not east-us",
    ],
    [
      "-v3",
      cs("https://eastus-v3.quantum.azure.com/;"),
      `QuantumEndpoint has an unknown workspace-kind suffix (only -v2 exists). ${ENDPOINT_FIX}`,
    ],
    [
      "an unknown region (westus4)",
      cs("https://westus4.quantum.azure.com/;"),
      `QuantumEndpoint names an unknown region. ${REGION}`,
    ],
    [
      "a sovereign region",
      cs("https://usgovtexas.quantum.azure.com/;"),
      `QuantumEndpoint names an unknown region. ${REGION}`,
    ],
    [
      "the SDK's unescaped-dot quirk",
      cs("https://eastusXquantumYazureZcom/;"),
      `QuantumEndpoint does not name an Azure Quantum host. ${ENDPOINT_FIX}`,
    ],
    [
      "another host",
      cs("https://example.com/;"),
      `QuantumEndpoint does not name an Azure Quantum host. ${ENDPOINT_FIX}`,
    ],
    [
      "user info",
      cs("https://u@eastus.quantum.azure.com/;"),
      `QuantumEndpoint does not name an Azure Quantum host. ${ENDPOINT_FIX}`,
    ],
    [
      "no scheme",
      cs("eastus.quantum.azure.com;"),
      `QuantumEndpoint is not an https:// URL. ${ENDPOINT_FIX}`,
    ],
    [
      "a loopback host without port",
      cs("https://127.0.0.1/;"),
      "QuantumEndpoint names a loopback host without a valid port. Use https://127.0.0.1:<port>/",
    ],
    [
      "port 0",
      cs("https://localhost:0/;"),
      "QuantumEndpoint names a loopback host without a valid port. Use https://127.0.0.1:<port>/",
    ],
    [
      "a per-workspace host of another workspace",
      cs("https://other.eastus.quantum.azure.com/;"),
      "QuantumEndpoint names a different workspace than the workspace name. Make them the same workspace, or use the regional endpoint https://<region>.quantum.azure.com/",
    ],
  ])("%s", (_, text, what) => rejects(text, "QuantumEndpoint", P + what));

  test.each([
    [
      "a non-GUID subscription",
      cs(e, { sub: "not-a-guid" }),
      "SubscriptionId",
      "SubscriptionId is invalid. Subscription ID must be a valid GUID",
    ],
    [
      "WorkspaceName=my_ws",
      cs(e, { ws: "my_ws" }),
      "WorkspaceName",
      "WorkspaceName is invalid. Workspace name can only include alphanumerics (a-zA-Z0-9) and hyphens, and cannot start or end with hyphen",
    ],
    [
      "WorkspaceName=a",
      cs(e, { ws: "a" }),
      "WorkspaceName",
      "WorkspaceName is invalid. Workspace name must be between 2 and 54 characters long",
    ],
    [
      "ResourceGroupName=rg.",
      cs(e, { rg: "rg." }),
      "ResourceGroupName",
      "ResourceGroupName is invalid. Resource group name can only include alphanumeric, underscore, parentheses, hyphen, period (except at end), and Unicode characters that match the allowed characters",
    ],
    [
      "an empty ApiKey",
      cs(e, { key: "" }),
      "ApiKey",
      `ApiKey is empty. Give ApiKey a value. ${COPY}`,
    ],
    [
      "whitespace inside the key",
      cs(e, { key: "Zk3yS3 cr3tValue" }),
      "ApiKey",
      "ApiKey contains whitespace. Remove the spaces or line breaks inside the key",
    ],
    [
      "a duplicate field",
      `${cs(e)}apikey=${KEY}`,
      "ApiKey",
      "ApiKey appears more than once. Keep one ApiKey",
    ],
    [
      "an unknown field (the SDK ignores ;Foo=bar)",
      `${cs(e)}Foo=bar`,
      "Foo",
      `unknown field Foo. Use only the fields ${ALL}, and nothing after the final ";"`,
    ],
    [
      "an unknown field that may be part of the key",
      `${cs(e)}${KEY}x`,
      undefined,
      `it has a field with an unexpected name. Use only the fields ${ALL}, and nothing after the final ";"`,
    ],
    [
      "an identifier-shaped fragment of the key",
      `${cs(e)}Zk3yS3cr3tValue=1`,
      undefined,
      `it has a field with an unexpected name. Use only the fields ${ALL}, and nothing after the final ";"`,
    ],
    [
      "missing fields",
      `SubscriptionId=${G};ApiKey=${KEY}`,
      "ResourceGroupName",
      `ResourceGroupName, WorkspaceName and QuantumEndpoint are missing. A connection string needs ${ALL}. ${COPY}`,
    ],
    [
      "a missing key",
      cs(e).replace(`ApiKey=${KEY};`, ""),
      "ApiKey",
      `ApiKey is missing. A connection string needs ${ALL}. ${COPY}`,
    ],
    [
      "an empty string",
      " \n",
      undefined,
      "it is empty. Copy a connection string from the Azure portal (Operations > Access keys)",
    ],
    [
      "a part without =",
      `${KEY.replace(/=/g, "")};${cs(e)}`,
      undefined,
      'part 1 has no "=". Write each field as Name=value and end it with ";"',
    ],
  ])("%s", (_, text, field, what) => rejects(text, field, P + what));

  test("a non-string with a TypeError", () => {
    expect(() => parseConnectionString(42 as unknown as string)).toThrow(
      new TypeError(
        "Cannot parse connection string: expected a string, got number. Pass the text itself",
      ),
    );
  });
});
describe("parseConnectionString() never names a field that may hold the key", () => {
  test.each([
    [
      "a known name glued to the key",
      `SubscriptionId=${G};ResourceGroupName=rg;WorkspaceName=ws;ApiKeyabcDEF123==;QuantumEndpoint=https://eastus.quantum.azure.com/`,
    ],
    [
      "a short key without its name",
      `SubscriptionId=${G};ResourceGroupName=rg;WorkspaceName=ws;abcDEF123==;QuantumEndpoint=https://eastus.quantum.azure.com/;ApiKey=abcDEF123==`,
    ],
    [
      "a padded base64 key pasted without its ApiKey= (and no other ApiKey)",
      `SubscriptionId=${G};ResourceGroupName=rg;WorkspaceName=ws;abcDEF123==;QuantumEndpoint=https://eastus.quantum.azure.com/`,
    ],
    [
      "the same, with one = of padding",
      `SubscriptionId=${G};ResourceGroupName=rg;WorkspaceName=ws;abcDEF123xyz=;QuantumEndpoint=https://eastus.quantum.azure.com/`,
    ],
  ])("%s", (_, text) => {
    const e = thrown(() => parseConnectionString(text));
    expect((e as ConnectionStringError).field).toBeUndefined();
    expect(e.message).toContain("it has a field with an unexpected name");
    expectNoLeak(e, "abcDEF123");
  });
});
