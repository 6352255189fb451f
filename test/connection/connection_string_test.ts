import { describe, expect, test } from "vitest";
import { ConnectionStringError } from "../../src/errors.ts";
import {
  formatConnectionString,
  parseConnectionString,
} from "../../src/connection/connection_string.ts";
import { Secret } from "../../src/connection/secret.ts";
import type { ConnectionInfo } from "../../src/connection/connection_info.ts";
import { expectNoLeak, thrown } from "./_leak.ts";

const G = "11111111-2222-3333-4444-555555555555";
const KEY = "Zk3yS3cr3tValue/+==";
const cs = (endpoint: string, o: { sub?: string; rg?: string; ws?: string; key?: string } = {}) =>
  `SubscriptionId=${o.sub ?? G};ResourceGroupName=${o.rg ?? "rg"};WorkspaceName=${o.ws ?? "ws"};` +
  `ApiKey=${o.key ?? KEY};QuantumEndpoint=${endpoint}`;
const ALL = "SubscriptionId, ResourceGroupName, WorkspaceName, ApiKey and QuantumEndpoint";
const COPY = "Copy the connection string again from the Azure portal (Operations > Access keys).";
const ENDPOINT_FIX =
  "Use https://<region>.quantum.azure.com/ (https://<region>-v2.quantum.azure.com/ for a V2 workspace), or https://127.0.0.1:<port>/ for the emulator.";
const REGION =
  "Location must be one of the Azure regions listed in https://learn.microsoft.com/en-us/azure/reliability/regions-list.";
const SOURCES = Object.fromEntries(
  ["subscriptionId", "resourceGroup", "workspaceName", "location", "endpoint", "apiKey"].map((
    f,
  ) => [
    f,
    "connection string",
  ]),
);

function summary(info: ConnectionInfo) {
  const { apiKey, ...rest } = info;
  return { ...rest, apiKey: apiKey?.reveal() };
}

function rejects(text: string, field: string | undefined, message: string) {
  const e = thrown(() => parseConnectionString(text));
  expect(e).toBeInstanceOf(ConnectionStringError);
  expect(e.message).toBe(message);
  expect((e as ConnectionStringError).field).toBe(field);
  expect((e as ConnectionStringError).code).toBe("ConnectionStringInvalid");
  expectNoLeak(e, KEY, text);
}

describe("parseConnectionString() accepts what the Python SDK accepts", () => {
  test("the SDK's validation-test string", () => {
    const info = parseConnectionString(
      "SubscriptionId=12345678-1234-1234-1234-123456789abc;ResourceGroupName=my-rg;WorkspaceName=my-ws;ApiKey=test-key;QuantumEndpoint=https://eastus.quantum.azure.com/;",
    );
    expect(summary(info)).toEqual({
      subscriptionId: "12345678-1234-1234-1234-123456789abc",
      resourceGroup: "my-rg",
      workspaceName: "my-ws",
      location: "eastus",
      endpoint: "https://eastus.quantum.azure.com/",
      workspaceKind: "V1",
      isEmulator: false,
      apiKey: "test-key",
      sources: SOURCES,
    });
    expect(info.apiKey).toBeInstanceOf(Secret);
  });

  test.each([
    ["https://eastus.quantum.azure.com/;", "eastus", "V1", "https://eastus.quantum.azure.com/"],
    [
      "https://eastus-v2.quantum.azure.com/;",
      "eastus",
      "V2",
      "https://eastus-v2.quantum.azure.com/",
    ],
    [
      "https://eastus-V2.quantum.azure.com/;",
      "eastus",
      "V2",
      "https://eastus-v2.quantum.azure.com/",
    ],
    [
      "https://eastus2euap.quantum-test.azure.com/;",
      "eastus2euap",
      "V1",
      "https://eastus2euap.quantum-test.azure.com/",
    ],
    [
      "https://eastus2euap-v2.quantum-test.azure.com/;",
      "eastus2euap",
      "V2",
      "https://eastus2euap-v2.quantum-test.azure.com/",
    ],
    ["https://EASTUS.quantum.azure.com/;", "eastus", "V1", "https://eastus.quantum.azure.com/"],
    [
      "https://germanywestcentral.quantum.azure.com/;",
      "germanywestcentral",
      "V1",
      "https://germanywestcentral.quantum.azure.com/",
    ],
    ["https://eastus.quantum.azure.com/;\n", "eastus", "V1", "https://eastus.quantum.azure.com/"],
  ])("endpoint %j gives %s %s", (endpoint, location, kind, normalized) => {
    const info = parseConnectionString(cs(endpoint));
    expect([info.location, info.workspaceKind, info.endpoint, info.isEmulator]).toEqual([
      location,
      kind,
      normalized,
      false,
    ]);
  });

  test("an uppercase GUID, a key with / + =, lowercase field names", () => {
    const upper = "ABCDEF01-2345-6789-ABCD-EF0123456789";
    expect(
      parseConnectionString(cs("https://eastus.quantum.azure.com/;", { sub: upper }))
        .subscriptionId,
    )
      .toBe(upper);
    expect(
      parseConnectionString(cs("https://eastus.quantum.azure.com/;", { key: "ab/c+d==" })).apiKey
        ?.reveal(),
    )
      .toBe("ab/c+d==");
    const lower = cs("https://eastus.quantum.azure.com/;").replace(
      /(^|;)(\w+)=/g,
      (_, s, n) => s + n.toLowerCase() + "=",
    );
    expect(lower.startsWith("subscriptionid=")).toBe(true);
    expect(parseConnectionString(lower).workspaceName).toBe("ws");
  });

  test("the test.py constants (SIMPLE_CS) and the v2 dogfood string", () => {
    const simple =
      "SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=myresourcegroup;" +
      "WorkspaceName=myworkspace;ApiKey=myapikey;QuantumEndpoint=https://eastus.quantum.azure.com/;";
    expect(summary(parseConnectionString(simple))).toMatchObject({
      subscriptionId: G,
      resourceGroup: "myresourcegroup",
      workspaceName: "myworkspace",
      location: "eastus",
      apiKey: "myapikey",
    });
    expect(
      parseConnectionString(
        simple.replace("eastus.quantum.azure", "eastus2euap-v2.quantum-test.azure"),
      ),
    )
      .toMatchObject({ location: "eastus2euap", workspaceKind: "V2" });
  });
});

describe("parseConnectionString() is tolerant where the SDK is needlessly strict", () => {
  const canonical = summary(parseConnectionString(cs("https://eastus.quantum.azure.com/;")));
  test.each([
    [
      "fields in any order",
      `QuantumEndpoint=https://eastus.quantum.azure.com/;ApiKey=${KEY};WorkspaceName=ws;ResourceGroupName=rg;SubscriptionId=${G};`,
    ],
    [
      "spaces around ; and =",
      ` SubscriptionId = ${G} ; ResourceGroupName=rg ;WorkspaceName= ws;ApiKey =${KEY};  QuantumEndpoint = https://eastus.quantum.azure.com/ ; `,
    ],
    ["no trailing ;", cs("https://eastus.quantum.azure.com/")],
    ["no trailing /", cs("https://eastus.quantum.azure.com;")],
    ["no trailing / nor ;", cs("https://eastus.quantum.azure.com")],
    ["leading line break and CRLF", `\r\n${cs("https://eastus.quantum.azure.com/;")}\r\n`],
    [
      "mixed-case names and scheme",
      cs("HTTPS://EastUS.Quantum.Azure.Com/;").replace("ApiKey", "APIKEY"),
    ],
  ])("%s", (_, text) => expect(summary(parseConnectionString(text))).toEqual(canonical));

  test("the per-workspace host ARM reports as endpointUri", () => {
    const info = parseConnectionString(
      cs("https://My-WS.westus.quantum.azure.com/;", { ws: "my-ws" }),
    );
    expect([info.endpoint, info.location, info.workspaceKind]).toEqual([
      "https://my-ws.westus.quantum.azure.com/",
      "westus",
      "V1",
    ]);
  });

  test.each(["https://127.0.0.1:8443/", "https://localhost:8443"])(
    "the emulator endpoint %s",
    (endpoint) => {
      const info = parseConnectionString(cs(endpoint));
      expect([info.isEmulator, info.location, info.workspaceKind]).toEqual([true, "eastus", "V1"]);
      expect(info.endpoint).toMatch(/^https:\/\/(127\.0\.0\.1|localhost):8443\/$/);
    },
  );
});

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
      "QuantumEndpoint has a hyphen in its region label. Azure region names have no hyphen: write eastus, not east-us.",
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
      "QuantumEndpoint names a loopback host without a valid port. Use https://127.0.0.1:<port>/.",
    ],
    [
      "port 0",
      cs("https://localhost:0/;"),
      "QuantumEndpoint names a loopback host without a valid port. Use https://127.0.0.1:<port>/.",
    ],
    [
      "a per-workspace host of another workspace",
      cs("https://other.eastus.quantum.azure.com/;"),
      "QuantumEndpoint names a different workspace than the workspace name. Make them the same workspace, or use the regional endpoint https://<region>.quantum.azure.com/.",
    ],
  ])("%s", (_, text, what) => rejects(text, "QuantumEndpoint", P + what));

  test.each([
    [
      "a non-GUID subscription",
      cs(e, { sub: "not-a-guid" }),
      "SubscriptionId",
      "SubscriptionId is invalid. Subscription ID must be a valid GUID.",
    ],
    [
      "WorkspaceName=my_ws",
      cs(e, { ws: "my_ws" }),
      "WorkspaceName",
      "WorkspaceName is invalid. Workspace name can only include alphanumerics (a-zA-Z0-9) and hyphens, and cannot start or end with hyphen.",
    ],
    [
      "WorkspaceName=a",
      cs(e, { ws: "a" }),
      "WorkspaceName",
      "WorkspaceName is invalid. Workspace name must be between 2 and 54 characters long.",
    ],
    [
      "ResourceGroupName=rg.",
      cs(e, { rg: "rg." }),
      "ResourceGroupName",
      "ResourceGroupName is invalid. Resource group name can only include alphanumeric, underscore, parentheses, hyphen, period (except at end), and Unicode characters that match the allowed characters.",
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
      "ApiKey contains whitespace. Remove the spaces or line breaks inside the key.",
    ],
    [
      "a duplicate field",
      `${cs(e)}apikey=${KEY}`,
      "ApiKey",
      "ApiKey appears more than once. Keep one ApiKey.",
    ],
    [
      "an unknown field (the SDK ignores ;Foo=bar)",
      `${cs(e)}Foo=bar`,
      "Foo",
      `unknown field Foo. Use only the fields ${ALL}, and nothing after the final ";".`,
    ],
    [
      "an unknown field that may be part of the key",
      `${cs(e)}${KEY}x`,
      undefined,
      `it has a field with an unexpected name. Use only the fields ${ALL}, and nothing after the final ";".`,
    ],
    [
      "an identifier-shaped fragment of the key",
      `${cs(e)}Zk3yS3cr3tValue=1`,
      undefined,
      `it has a field with an unexpected name. Use only the fields ${ALL}, and nothing after the final ";".`,
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
      "it is empty. Copy a connection string from the Azure portal (Operations > Access keys).",
    ],
    [
      "a part without =",
      `${KEY.replace(/=/g, "")};${cs(e)}`,
      undefined,
      'part 1 has no "=". Write each field as Name=value and end it with ";".',
    ],
  ])("%s", (_, text, field, what) => rejects(text, field, P + what));

  test("a non-string with a TypeError", () => {
    expect(() => parseConnectionString(42 as unknown as string)).toThrow(
      new TypeError(
        "Cannot parse connection string: expected a string, got number. Pass the text itself.",
      ),
    );
  });
});

describe("formatConnectionString()", () => {
  test("emits the canonical order with trailing ; and /", () => {
    const info = parseConnectionString(
      `QuantumEndpoint=https://EastUS-v2.quantum.azure.com ; ApiKey=${KEY};workspacename=ws;ResourceGroupName=rg;SubscriptionId=${G}`,
    );
    expect(formatConnectionString(info)).toBe(
      `SubscriptionId=${G};ResourceGroupName=rg;WorkspaceName=ws;ApiKey=${KEY};QuantumEndpoint=https://eastus-v2.quantum.azure.com/;`,
    );
  });

  test.each([
    "https://eastus.quantum.azure.com/",
    "https://westus2-v2.quantum.azure.com",
    "https://eastus2euap.quantum-test.azure.com/",
    "https://ws.japaneast.quantum.azure.com/",
    "https://127.0.0.1:51234/",
    "https://localhost:8443",
  ])("parse(format(x)) equals x for %s", (endpoint) => {
    const x = parseConnectionString(
      cs(endpoint, { sub: "ABCDEF01-2345-6789-ABCD-EF0123456789", rg: "rg_名前(1).x" }),
    );
    const again = parseConnectionString(formatConnectionString(x));
    expect(again).toEqual(x);
    expect(summary(again)).toEqual(summary(x));
  });

  test("refuses a connection without key (Entra ID) with a TypeError", () => {
    const { apiKey: _, ...entra } = parseConnectionString(cs("https://eastus.quantum.azure.com/"));
    expect(() => formatConnectionString(entra)).toThrow(TypeError);
    expect(() => formatConnectionString(entra)).toThrow(/no apiKey \(it uses Microsoft Entra ID\)/);
  });

  test("refuses fields that would break the string, without echoing them", () => {
    const info = parseConnectionString(cs("https://eastus.quantum.azure.com/"));
    const bad = thrown(() => formatConnectionString({ ...info, apiKey: new Secret(`${KEY};x`) }));
    expect(bad).toBeInstanceOf(TypeError);
    expectNoLeak(bad, KEY);
    const rg = thrown(() => formatConnectionString({ ...info, resourceGroup: "rg;ApiKey=x" }));
    expect(rg.message).toBe(
      "Cannot format connection string: ResourceGroupName is invalid. Resource group name can only include alphanumeric, underscore, parentheses, hyphen, period (except at end), and Unicode characters that match the allowed characters.",
    );
    expectNoLeak(rg, KEY);
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
  ])("%s", (_, text) => {
    const e = thrown(() => parseConnectionString(text));
    expect((e as ConnectionStringError).field).toBeUndefined();
    expect(e.message).toContain("it has a field with an unexpected name");
    expectNoLeak(e, "abcDEF123");
  });
});
