import { describe, expect, test } from "vitest";
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
describe("formatConnectionString()", () => {
  test("emits the canonical order with trailing ; and /", () => {
    const info = parseConnectionString(
      `QuantumEndpoint=https://EastUS-v2.quantum.azure.com ; ApiKey=${KEY};workspacename=ws;ResourceGroupName=rg;SubscriptionId=${G}`,
    );
    expect(formatConnectionString(info).reveal()).toBe(
      `SubscriptionId=${G};ResourceGroupName=rg;WorkspaceName=ws;ApiKey=${KEY};QuantumEndpoint=https://eastus-v2.quantum.azure.com/;`,
    );
  });

  test("returns a Secret: reveal() stays the only way to the key as text (issue 13)", () => {
    const info = parseConnectionString(
      `SubscriptionId=${G};ResourceGroupName=rg;WorkspaceName=ws;ApiKey=${KEY};QuantumEndpoint=https://eastus.quantum.azure.com/;`,
    );
    const formatted: unknown = formatConnectionString(info);
    expect(formatted).toBeInstanceOf(Secret);
    for (const shown of [String(formatted), JSON.stringify({ formatted }), `${formatted}`]) {
      expect(shown).not.toContain(KEY);
    }
    expect(parseConnectionString(formatted as Secret)).toEqual(info);
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
      "Cannot format connection string: ResourceGroupName is invalid. Resource group name can only include alphanumeric, underscore, parentheses, hyphen, period (except at end), and Unicode characters that match the allowed characters",
    );
    expectNoLeak(rg, KEY);
  });
});
