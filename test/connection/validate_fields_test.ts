import { describe, expect, test } from "vitest";
import { ConnectionStringError, isConnectionStringError } from "../../src/errors.ts";
import {
  normalizeLocation,
  validateField,
  validateLocation,
  validateResourceGroup,
  validateSubscriptionId,
  validateWorkspaceName,
} from "../../src/connection/validate_fields.ts";
import { thrown } from "./_leak.ts";

const RG_CHARS =
  "Resource group name can only include alphanumeric, underscore, parentheses, hyphen, period (except at end), and Unicode characters that match the allowed characters";
const RG_LENGTH = "Resource group name must be between 1 and 90 characters long";
const WS_CHARS =
  "Workspace name can only include alphanumerics (a-zA-Z0-9) and hyphens, and cannot start or end with hyphen";
const WS_LENGTH = "Workspace name must be between 2 and 54 characters long";
const REGION =
  "Location must be one of the Azure regions listed in https://learn.microsoft.com/en-us/azure/reliability/regions-list";

function message(fn: () => unknown): string {
  const e = thrown(fn);
  expect(isConnectionStringError(e)).toBe(true);
  return e.message;
}

describe("validateSubscriptionId()", () => {
  test.each([
    "12345678-1234-1234-1234-123456789abc",
    "ABCDEF01-2345-6789-ABCD-EF0123456789",
    "abcdef01-2345-6789-abcd-ef0123456789",
  ])("accepts %s unchanged", (id) => expect(validateSubscriptionId(id)).toBe(id));

  test("rejects a non-GUID with the SDK sentence, naming the source", () => {
    expect(message(() => validateSubscriptionId("not-a-guid", "env SUBSCRIPTION_ID"))).toBe(
      "Cannot load connection: env SUBSCRIPTION_ID is invalid. Subscription ID must be a valid GUID",
    );
    const e = thrown(() => validateSubscriptionId("not-a-guid"));
    expect(e).toBeInstanceOf(ConnectionStringError);
    expect((e as ConnectionStringError).field).toBe("SubscriptionId");
    expect(e.message).toBe(
      "Cannot parse connection string: SubscriptionId is invalid. Subscription ID must be a valid GUID",
    );
  });

  test("rejects a non-string with a TypeError holding the SDK sentence", () => {
    const e = thrown(() =>
      validateSubscriptionId(12345 as unknown as string, "argument subscriptionId")
    );
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe(
      "Cannot load connection: argument subscriptionId is a number. Subscription ID must be a string",
    );
  });
});

describe("validateResourceGroup()", () => {
  test.each([
    "my-resource-group",
    "rg123",
    "a".repeat(90),
    "a",
    "my.resource.group",
    "group(test)",
    "(parentheses)",
    "123-group",
    "my-group.v2",
    "rg_test(prod)-v1.2",
    "café",
    "日本語",
    "Казан",
    "αβγ",
    "group_名前",
    "test.group(1)-name_v2",
    "RG",
    "_",
    "a.b",
    "rg-",
    "ǅ",
    "ʰa",
    "٣٤",
    "𝒜".repeat(90),
  ])("accepts %s unchanged", (rg) => expect(validateResourceGroup(rg)).toBe(rg));

  const specials = [..."@#$%^&*+=[]{}|:;\"'<>,?!`~"].map((c) => `group${c}test`);
  test.each([
    "my/resource/group",
    "my\\resource\\group",
    "my resource group",
    "group.",
    "my-group.",
    "test.group.",
    ...specials,
    "[test]",
    "{test}",
    "<test>",
    "test\ngroup",
    "test\tgroup",
  ])("rejects %j with the character sentence", (rg) => {
    expect(message(() => validateResourceGroup(rg))).toBe(
      `Cannot parse connection string: ResourceGroupName is invalid. ${RG_CHARS}`,
    );
  });

  test("counts code points, not UTF-16 units", () => {
    expect(message(() => validateResourceGroup("a".repeat(91)))).toBe(
      `Cannot parse connection string: ResourceGroupName is invalid. ${RG_LENGTH}`,
    );
    expect(message(() => validateResourceGroup("", "env RESOURCE_GROUP"))).toBe(
      `Cannot load connection: env RESOURCE_GROUP is invalid. ${RG_LENGTH}`,
    );
  });

  test("rejects a non-string", () => {
    expect(thrown(() => validateResourceGroup(12345 as unknown as string)).message).toContain(
      "Resource group name must be a string",
    );
  });
});

describe("validateWorkspaceName()", () => {
  test.each([
    "12",
    "a1",
    "1a",
    "ab",
    "WORKSPACE",
    "myWorkSpace",
    "1234567890",
    "w0rksp4c3",
    "my-work-space",
    "a-b-c-d-e",
    "1-2",
    "a-1-b",
    "workspace----------test",
    "a".repeat(54),
    "1".repeat(54),
    "myworkspace",
    "MyWorkspace1",
    "ws",
    "w-s",
    "a--b",
  ])("accepts %s unchanged", (ws) => expect(validateWorkspaceName(ws)).toBe(ws));

  test.each(["a", "1", "a".repeat(55), "1".repeat(55), ""])(
    "rejects %j with the length sentence",
    (ws) => {
      expect(message(() => validateWorkspaceName(ws))).toBe(
        `Cannot parse connection string: WorkspaceName is invalid. ${WS_LENGTH}`,
      );
    },
  );

  test.each(["my_workspace", "my/workspace", "my workspace", "-myworkspace", "myworkspace-", "wé"])(
    "rejects %j with the character sentence",
    (ws) => {
      expect(message(() => validateWorkspaceName(ws, "env AZURE_QUANTUM_WORKSPACE_NAME"))).toBe(
        `Cannot load connection: env AZURE_QUANTUM_WORKSPACE_NAME is invalid. ${WS_CHARS}`,
      );
    },
  );

  test("rejects a non-string", () => {
    expect(thrown(() => validateWorkspaceName(12345 as unknown as string)).message).toContain(
      "Workspace name must be a string",
    );
  });
});

describe("validateLocation() and normalizeLocation()", () => {
  test.each([
    ["East US", "eastus"],
    ["EASTUS", "eastus"],
    ["WestUs2", "westus2"],
    ["South Central US", "southcentralus"],
    ["Germany West Central", "germanywestcentral"],
    ["New Zealand North", "newzealandnorth"],
    ["westcentralus", "westcentralus"],
    ["West US 3", "westus3"],
    ["Japan East", "japaneast"],
    ["UK South", "uksouth"],
    ["East US 2 EUAP", "eastus2euap"],
    ["Central US EUAP", "centraluseuap"],
    ["australia central 2", "australiacentral2"],
    ["  North Europe  ", "northeurope"],
    ["Sweden\tCentral", "swedencentral"],
  ])("normalizes %j to %s", (input, expected) => {
    expect(validateLocation(input)).toBe(expected);
    expect(normalizeLocation(input)).toBe(expected);
  });

  test.each([
    "   ",
    "invalid-region",
    "us-east",
    "east-us",
    "westus4",
    "southus",
    "centraleurope",
    "asiaeast",
    "chinaeast",
    "usgovtexas",
    "East US 3",
    "not a region",
  ])("rejects %j with the region sentence", (location) => {
    expect(message(() => validateLocation(location, "env LOCATION"))).toBe(
      `Cannot load connection: env LOCATION is invalid. ${REGION}`,
    );
  });

  test.each([12345, 3.14, true])("rejects %j as not a string", (location) => {
    const e = thrown(() => validateLocation(location as unknown as string));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toContain("Location must be a string");
  });
});

describe("validateField()", () => {
  test("dispatches by field name", () => {
    expect(validateField("location", "West US 2", "argument location")).toBe("westus2");
    expect(validateField("workspaceName", "ws")).toBe("ws");
    expect(validateField("resourceGroup", "rg")).toBe("rg");
    expect(validateField("subscriptionId", "12345678-1234-1234-1234-123456789abc")).toBe(
      "12345678-1234-1234-1234-123456789abc",
    );
    expect(() => validateField("apiKey" as never, "k")).toThrow(TypeError);
  });
});
