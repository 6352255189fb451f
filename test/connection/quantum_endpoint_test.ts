import { describe, expect, test } from "vitest";
import { ConnectionStringError } from "../../src/errors.ts";
import { EMULATOR_LOCATION, parseQuantumEndpoint } from "../../src/connection/quantum_endpoint.ts";
import { thrown } from "./_leak.ts";

describe("parseQuantumEndpoint()", () => {
  test("normalizes regional, V2, test and per-workspace hosts", () => {
    expect(parseQuantumEndpoint("https://EastUS.quantum.azure.com")).toEqual({
      endpoint: "https://eastus.quantum.azure.com/",
      location: "eastus",
      workspaceKind: "V1",
      isEmulator: false,
    });
    expect(parseQuantumEndpoint("https://westus-V2.quantum-test.azure.com/")).toEqual({
      endpoint: "https://westus-v2.quantum-test.azure.com/",
      location: "westus",
      workspaceKind: "V2",
      isEmulator: false,
    });
    expect(
      parseQuantumEndpoint("https://e2e-test-w7398545.eastus.quantum.azure.com", {
        workspaceName: "E2E-test-w7398545",
      }),
    )
      .toEqual({
        endpoint: "https://e2e-test-w7398545.eastus.quantum.azure.com/",
        location: "eastus",
        workspaceKind: "V1",
        isEmulator: false,
        workspaceLabel: "e2e-test-w7398545",
      });
  });

  test("loopback endpoints are the emulator, in its development region", () => {
    expect(EMULATOR_LOCATION).toBe("eastus");
    expect(parseQuantumEndpoint(" https://LOCALHOST:08443 ")).toEqual({
      endpoint: "https://localhost:8443/",
      location: "eastus",
      workspaceKind: "V1",
      isEmulator: true,
    });
    expect(() => parseQuantumEndpoint("https://127.0.0.1:65536/")).toThrow(ConnectionStringError);
    expect(() => parseQuantumEndpoint("https://[::1]:8443/")).toThrow(ConnectionStringError);
  });

  test("messages name the source when given", () => {
    const e = thrown(() =>
      parseQuantumEndpoint("http://eastus.quantum.azure.com/", { source: "argument endpoint" })
    );
    expect(e.message).toBe(
      "Cannot load connection: argument endpoint does not use https. Use https://<region>.quantum.azure.com/ (https://<region>-v2.quantum.azure.com/ for a V2 workspace), or https://127.0.0.1:<port>/ for the emulator",
    );
    expect((e as ConnectionStringError).field).toBe("QuantumEndpoint");
    expect(thrown(() => parseQuantumEndpoint("https://a.eastus.quantum.azure.com/")).message).toBe(
      "Cannot parse endpoint: the workspace label of QuantumEndpoint is invalid. Workspace name must be between 2 and 54 characters long",
    );
    expect(() => parseQuantumEndpoint(1 as unknown as string)).toThrow(TypeError);
  });
});
