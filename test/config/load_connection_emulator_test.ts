import { describe, expect, it } from "vitest";
import { loadConnection } from "../../src/config/load_connection.ts";

const EMULATOR = "SubscriptionId=00000000-0000-4000-8000-000000000001;ResourceGroupName=emulator-rg;" +
  "WorkspaceName=emulator-ws;ApiKey=emulator-key;QuantumEndpoint=https://127.0.0.1:4443/;";
const AZURE = "SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=prod-rg;" +
  "WorkspaceName=prod-ws;ApiKey=prod-key;QuantumEndpoint=https://westus.quantum.azure.com/;";

describe("loadConnection() with an emulator connection string", () => {
  it("does not read a lower-precedence .env just to fill the emulator's default location", () => {
    const reads: string[] = [];
    const info = loadConnection({
      env: { AZURE_QUANTUM_CONNECTION_STRING: EMULATOR },
      cwd: "/project", // a .env found by the search ranks below the environment
      exists: (path) => path === "/project/.env" || path === "/project/.git",
      readTextFile: (path) => {
        reads.push(path);
        return `AZURE_QUANTUM_CONNECTION_STRING='${AZURE}'\n`;
      },
    });
    expect(info.workspaceName).toBe("emulator-ws");
    expect(info.location).toBe("eastus");
    expect(info.sources.location).toBe("env AZURE_QUANTUM_CONNECTION_STRING");
    expect(info.isEmulator).toBe(true);
  });

  it("still lets an explicit location override the emulator's default", () => {
    const info = loadConnection({ connectionString: EMULATOR, location: "West US", envFile: false, env: {} });
    expect(info.location).toBe("westus");
    expect(info.sources.location).toBe("argument");
  });
});
