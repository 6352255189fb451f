import { parse } from "dotenv";
import { describe, expect, it } from "vitest";
import { MERGE_MARKER, mergeEmulatorEnv } from "../../src/emulator/env_file_merge.ts";

const ENV = {
  AZURE_QUANTUM_CONNECTION_STRING:
    "SubscriptionId=s;ResourceGroupName=rg;WorkspaceName=ws;ApiKey=new-key;QuantumEndpoint=https://127.0.0.1:4000/;",
  AZURE_QUANTUM_ARM_ENDPOINT: "https://127.0.0.1:4001",
  AZURE_QUANTUM_EMULATOR_CA: "/tmp/azure-quantum-emulator-x/ca.pem",
  IDENTITY_ENDPOINT: "http://127.0.0.1:4002/msi/token",
  IDENTITY_HEADER: "new-header",
};
const REAL =
  "SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=rg;WorkspaceName=ws;ApiKey=REAL-KEY;QuantumEndpoint=https://eastus.quantum.azure.com/;";

describe("mergeEmulatorEnv()", () => {
  it("creates a new file from the fresh text", () => {
    expect(mergeEmulatorEnv(undefined, ENV, "FRESH\n", "f")).toEqual({
      text: "FRESH\n",
      outcome: "created",
      keptLines: 0,
    });
  });

  // Issue 13 #3: on main, --env-file replaced an existing .env with the emulator's five variables.
  it("merges into a file with other content, keeping every other line byte for byte", () => {
    const existing =
      "# my project\r\nOPENAI_API_KEY='sk-other'\r\n\r\nexport DEBUG=1 # verbose\r\n";
    const r = mergeEmulatorEnv(existing, ENV, "FRESH\n", ".env");
    expect(r.outcome).toBe("merged");
    expect(r.keptLines).toBe(4);
    expect(r.text.startsWith(existing)).toBe(true);
    expect(r.text.slice(existing.length).split("\r\n")).toEqual([
      "",
      MERGE_MARKER,
      `AZURE_QUANTUM_CONNECTION_STRING='${ENV.AZURE_QUANTUM_CONNECTION_STRING}'`,
      `AZURE_QUANTUM_ARM_ENDPOINT='${ENV.AZURE_QUANTUM_ARM_ENDPOINT}'`,
      `AZURE_QUANTUM_EMULATOR_CA='${ENV.AZURE_QUANTUM_EMULATOR_CA}'`,
      `IDENTITY_ENDPOINT='${ENV.IDENTITY_ENDPOINT}'`,
      `IDENTITY_HEADER='${ENV.IDENTITY_HEADER}'`,
      "",
    ]);
    expect(parse(r.text)).toEqual({ OPENAI_API_KEY: "sk-other", DEBUG: "1", ...ENV });
  });

  it("replaces an earlier emulator's values in place and says updated", () => {
    const earlier = Object.entries(ENV).map(([k, v]) => `${k}='${v.replace("4", "5")}'`).join("\n");
    const existing = `# Azure Quantum emulator: written earlier\n${earlier}\n`;
    const r = mergeEmulatorEnv(existing, ENV, "FRESH\n", ".env.emulator");
    expect(r.outcome).toBe("updated");
    expect(r.keptLines).toBe(1);
    expect(r.text.split("\n")[0]).toBe("# Azure Quantum emulator: written earlier");
    expect(parse(r.text)).toEqual(ENV);
  });

  it("refuses a file whose connection string points at Azure, without showing it", () => {
    const existing = `AZURE_QUANTUM_CONNECTION_STRING='${REAL}'\nOTHER=1\n`;
    let error: unknown;
    try {
      mergeEmulatorEnv(existing, ENV, "FRESH\n", ".env");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe(
      `Cannot write the emulator's variables to ".env": it sets AZURE_QUANTUM_CONNECTION_STRING to a ` +
        "connection string whose QuantumEndpoint is not a local emulator's, which the emulator will " +
        "not replace. Use another file, for example --write-env .env.emulator",
    );
    expect((error as Error).message).not.toContain("REAL-KEY");
  });

  it("refuses a file that names a real ARM or managed-identity endpoint", () => {
    for (
      const line of [
        "AZURE_QUANTUM_ARM_ENDPOINT=https://management.azure.com",
        "IDENTITY_ENDPOINT=http://169.254.129.2:8081/msi/token",
      ]
    ) {
      expect(() => mergeEmulatorEnv(`${line}\n`, ENV, "", ".env")).toThrow(
        /it sets (AZURE_QUANTUM_ARM_ENDPOINT|IDENTITY_ENDPOINT) to an endpoint that is not a local emulator's/,
      );
    }
  });

  it("refuses a file that names a real Key Vault, and takes an earlier emulator's vault URL", () => {
    const env = { ...ENV, AZURE_QUANTUM_KEY_VAULT_URL: "https://127.0.0.1:4003/" };
    expect(() =>
      mergeEmulatorEnv(
        "AZURE_QUANTUM_KEY_VAULT_URL=https://my-vault.vault.azure.net/\n",
        env,
        "",
        ".env",
      )
    ).toThrow(
      new RangeError(
        `Cannot write the emulator's variables to ".env": it sets AZURE_QUANTUM_KEY_VAULT_URL to an ` +
          "endpoint that is not a local emulator's, which the emulator will not replace. Use another " +
          "file, for example --write-env .env.emulator",
      ),
    );
    const r = mergeEmulatorEnv(
      "AZURE_QUANTUM_KEY_VAULT_URL='https://127.0.0.1:5003/'\n",
      env,
      "",
      ".env",
    );
    expect(r.outcome).toBe("updated");
    expect(parse(r.text)).toEqual(env);
  });

  it("appends to a file without a final line break, and to an empty file", () => {
    expect(mergeEmulatorEnv("A=1", ENV, "", "f").text.startsWith(`A=1\n\n${MERGE_MARKER}\n`)).toBe(
      true,
    );
    expect(mergeEmulatorEnv("", ENV, "", "f").text.startsWith(`${MERGE_MARKER}\n`)).toBe(true);
  });
});
