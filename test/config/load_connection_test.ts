import { describe, expect, test, vi } from "vitest";
import { ConfigurationError, ConnectionStringError } from "../../src/errors.ts";
import { loadConnection } from "../../src/config/load_connection.ts";
import { Secret } from "../../src/connection/secret.ts";
import { expectNoLeak, thrown } from "../connection/_leak.ts";

import { BAD_G, cs, ENV_CS, FIX, G, KEY, KEY2, WRONG } from "./_load_fixtures.ts";
const VARS =
  "AZURE_QUANTUM_CONNECTION_STRING, AZURE_QUANTUM_SUBSCRIPTION_ID, SUBSCRIPTION_ID, AZURE_QUANTUM_WORKSPACE_RG, RESOURCE_GROUP, AZURE_QUANTUM_WORKSPACE_NAME, AZURE_QUANTUM_WORKSPACE_LOCATION, LOCATION";
const PER_FIELD = {
  SUBSCRIPTION_ID: G,
  RESOURCE_GROUP: "myresourcegroup",
  AZURE_QUANTUM_WORKSPACE_NAME: "myworkspace",
  LOCATION: "East US",
};

function conflictOf(fn: () => unknown, message: string) {
  const e = thrown(fn);
  expect(e).toBeInstanceOf(ConfigurationError);
  expect((e as ConfigurationError).code).toBe("ConnectionConflict");
  expect(e.message).toBe(message);
  expectNoLeak(e, KEY, KEY2);
}

describe("loadConnection() from arguments and the environment", () => {
  test("AZURE_QUANTUM_CONNECTION_STRING alone (test_env_connection_string)", () => {
    const info = loadConnection({ env: { AZURE_QUANTUM_CONNECTION_STRING: cs() }, envFile: false });
    expect(info).toMatchObject({
      subscriptionId: G,
      resourceGroup: "myresourcegroup",
      workspaceName: "myworkspace",
      location: "eastus",
      endpoint: "https://eastus.quantum.azure.com/",
      workspaceKind: "V1",
      isEmulator: false,
      keySource: { kind: "env", variable: "AZURE_QUANTUM_CONNECTION_STRING" },
    });
    expect(info.apiKey?.reveal()).toBe(KEY);
    expect(Object.values(info.sources)).toEqual(Array(6).fill(ENV_CS));
    expect(info.envFilePath).toBeUndefined();
  });

  test("a connectionString argument wins over a wrong env string (from_connection_string (d))", () => {
    const info = loadConnection({
      connectionString: new Secret(cs()),
      env: { AZURE_QUANTUM_CONNECTION_STRING: WRONG, ...PER_FIELD, LOCATION: "westus" },
      envFile: false,
    });
    expect([info.subscriptionId, info.location, info.apiKey?.reveal()]).toEqual([G, "eastus", KEY]);
    expect(info.sources.apiKey).toBe("argument connectionString");
    expect(info.keySource).toEqual({ kind: "argument", variable: "connectionString" });
  });

  test("an unneeded bad env string is never parsed (from_connection_string (e))", () => {
    const info = loadConnection({
      connectionString: cs(),
      env: { AZURE_QUANTUM_CONNECTION_STRING: "bad-connection-string" },
      envFile: false,
    });
    expect(info.workspaceName).toBe("myworkspace");
  });

  test("per-field variables and a string for another workspace conflict (the SDK would mix them)", () => {
    conflictOf(
      () =>
        loadConnection({
          env: { AZURE_QUANTUM_CONNECTION_STRING: WRONG, ...PER_FIELD },
          envFile: false,
        }),
      `Cannot load connection: the subscription ID from env SUBSCRIPTION_ID differs from the one in ${ENV_CS}. ${FIX}`,
    );
  });

  test("LOCATION=westus against a string for eastus conflicts", () => {
    conflictOf(
      () =>
        loadConnection({
          env: { AZURE_QUANTUM_CONNECTION_STRING: cs(), LOCATION: "westus" },
          envFile: false,
        }),
      `Cannot load connection: the location from env LOCATION differs from the one in ${ENV_CS}. ${FIX}`,
    );
  });

  test("an argument against the env string conflicts, naming both sources", () => {
    conflictOf(
      () =>
        loadConnection({
          workspaceName: "other",
          env: { AZURE_QUANTUM_CONNECTION_STRING: cs() },
          envFile: false,
        }),
      `Cannot load connection: the workspace name from argument workspaceName differs from the one in ${ENV_CS}. ${FIX}`,
    );
    conflictOf(
      () => loadConnection({ apiKey: KEY2, connectionString: cs() }),
      `Cannot load connection: the access key from argument apiKey differs from the one in argument connectionString. ${FIX}`,
    );
    conflictOf(
      () =>
        loadConnection({
          endpoint: "https://eastus-v2.quantum.azure.com",
          env: { AZURE_QUANTUM_CONNECTION_STRING: cs() },
          envFile: false,
        }),
      `Cannot load connection: the endpoint from argument endpoint differs from the one in ${ENV_CS}. ${FIX}`,
    );
  });

  test("the same value from two sources is fine (case-insensitive where Azure is)", () => {
    const info = loadConnection({
      env: {
        AZURE_QUANTUM_CONNECTION_STRING: cs(),
        SUBSCRIPTION_ID: G.toUpperCase(),
        RESOURCE_GROUP: "MyResourceGroup",
        LOCATION: "East US",
        AZURE_QUANTUM_WORKSPACE_NAME: "",
      },
      envFile: false,
    });
    expect(info.sources).toEqual({
      subscriptionId: "env SUBSCRIPTION_ID",
      resourceGroup: "env RESOURCE_GROUP",
      location: "env LOCATION",
      workspaceName: ENV_CS,
      endpoint: ENV_CS,
      apiKey: ENV_CS,
    });
    expect([info.subscriptionId, info.resourceGroup, info.location]).toEqual([
      G.toUpperCase(),
      "MyResourceGroup",
      "eastus",
    ]);
  });

  test("per-field variables follow the SDK's precedence; empty strings are unset", () => {
    const info = loadConnection({
      env: {
        AZURE_QUANTUM_SUBSCRIPTION_ID: G,
        SUBSCRIPTION_ID: BAD_G,
        AZURE_QUANTUM_WORKSPACE_RG: "",
        RESOURCE_GROUP: "rg2",
        AZURE_QUANTUM_WORKSPACE_NAME: "ws2",
        AZURE_QUANTUM_WORKSPACE_LOCATION: " ",
        LOCATION: "West US 2",
      },
      envFile: false,
    });
    expect(info).toEqual({
      subscriptionId: G,
      resourceGroup: "rg2",
      workspaceName: "ws2",
      location: "westus2",
      endpoint: "https://westus2.quantum.azure.com/",
      workspaceKind: "V1",
      isEmulator: false,
      sources: {
        subscriptionId: "env AZURE_QUANTUM_SUBSCRIPTION_ID",
        resourceGroup: "env RESOURCE_GROUP",
        workspaceName: "env AZURE_QUANTUM_WORKSPACE_NAME",
        location: "env LOCATION",
        endpoint: "derived from location",
      },
    });
  });

  test("explicit fields without key give Entra ID; an endpoint option is kept", () => {
    const info = loadConnection({
      subscriptionId: G,
      resourceGroup: "rg",
      workspaceName: "ws",
      location: "East US",
      endpoint: "https://EastUS-v2.quantum.azure.com",
      envFile: false,
      env: {},
    });
    expect(info.apiKey).toBeUndefined();
    expect(info.keySource).toBeUndefined();
    expect([info.endpoint, info.workspaceKind, info.sources.endpoint, info.sources.location])
      .toEqual([
        "https://eastus-v2.quantum.azure.com/",
        "V2",
        "argument",
        "argument",
      ]);
  });

  test("an apiKey argument with fields derives the endpoint", () => {
    const info = loadConnection({
      ...{ subscriptionId: G, resourceGroup: "rg", workspaceName: "ws", location: "japaneast" },
      apiKey: KEY,
      envFile: false,
      env: {},
    });
    expect([info.endpoint, info.apiKey?.reveal(), info.keySource]).toEqual([
      "https://japaneast.quantum.azure.com/",
      KEY,
      { kind: "argument", variable: "apiKey" },
    ]);
  });

  test("an emulator string takes a location from elsewhere without conflict", () => {
    const emu = cs({ endpoint: "https://127.0.0.1:8443/" });
    expect(
      loadConnection({ env: { AZURE_QUANTUM_CONNECTION_STRING: emu }, envFile: false }).location,
    ).toBe("eastus");
    const info = loadConnection({
      env: { AZURE_QUANTUM_CONNECTION_STRING: emu, LOCATION: "westus" },
      envFile: false,
    });
    expect([info.location, info.isEmulator, info.endpoint]).toEqual([
      "westus",
      true,
      "https://127.0.0.1:8443/",
    ]);
  });

  test("a per-workspace endpoint must name the chosen workspace", () => {
    conflictOf(
      () =>
        loadConnection({
          endpoint: "https://other.eastus.quantum.azure.com/",
          subscriptionId: G,
          resourceGroup: "rg",
          workspaceName: "ws",
          envFile: false,
          env: {},
        }),
      `Cannot load connection: the workspace name from argument workspaceName differs from the one in argument endpoint. ${FIX}`,
    );
  });

  test("invalid values name their source", () => {
    const e1 = thrown(() =>
      loadConnection({ env: { ...PER_FIELD, LOCATION: "mars" }, envFile: false })
    );
    expect(e1).toBeInstanceOf(ConnectionStringError);
    expect(e1.message).toBe(
      "Cannot load connection: env LOCATION is invalid. Location must be one of the Azure regions listed in https://learn.microsoft.com/en-us/azure/reliability/regions-list",
    );
    const e2 = thrown(() =>
      loadConnection({
        env: { AZURE_QUANTUM_CONNECTION_STRING: cs({ ws: "my_ws" }) },
        envFile: false,
      })
    );
    expect(e2.message).toBe(
      `Cannot parse connection string from ${ENV_CS}: WorkspaceName is invalid. Workspace name can only include alphanumerics (a-zA-Z0-9) and hyphens, and cannot start or end with hyphen`,
    );
    expectNoLeak(e2, KEY);
    const e3 = thrown(() =>
      loadConnection({
        env: { AZURE_QUANTUM_CONNECTION_STRING: `${cs()}Foo=${KEY}` },
        envFile: false,
      })
    );
    expectNoLeak(e3, KEY);
  });

  test("nothing configured: ConnectionNotFound lists what is missing and every variable", () => {
    const e = thrown(() =>
      loadConnection({ env: { AZURE_QUANTUM_WORKSPACE_NAME: "ws" }, envFile: false })
    );
    expect(e).toBeInstanceOf(ConfigurationError);
    expect((e as ConfigurationError).code).toBe("ConnectionNotFound");
    expect(e.message).toBe(
      "Cannot load connection: the subscription ID, resource group and location are not configured. " +
        "Configure the connection in one of three ways: (1) the environment variable " +
        "AZURE_QUANTUM_CONNECTION_STRING (or the per-field variables), (2) the same variable in a .env file " +
        '(none read: envFile is false), or (3) the local emulator, with connect({ emulator: "auto" }). ' +
        `Variables read: ${VARS}`,
    );
  });

  test("reads the process environment by default", () => {
    vi.stubEnv("AZURE_QUANTUM_CONNECTION_STRING", cs({ ws: "fromprocess" }));
    try {
      const info = loadConnection({ envFile: false });
      expect(info.workspaceName).toBe("fromprocess");
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
