import { describe, expect, it } from "vitest";
import { resolveSettings } from "../../src/config/settings.ts";
import { isConfigurationError } from "../../src/errors.ts";
import { cs } from "./_load_fixtures.ts";

const ENV_FILE = "/repo/.env";

/** A project whose only .env is /repo/.env, counting its reads. */
function project(text: string) {
  const reads: string[] = [];
  return {
    reads,
    options: {
      cwd: "/repo",
      env: {},
      exists: (p: string) => p === ENV_FILE || p === "/repo/.git",
      readTextFile: (p: string) => {
        reads.push(p);
        return p === ENV_FILE ? text : undefined;
      },
    },
  };
}

describe("resolveSettings()", () => {
  it("reads the .env once for the connection, the ARM endpoint and the CA, naming each source", () => {
    const { reads, options } = project(
      `AZURE_QUANTUM_CONNECTION_STRING='${cs()}'\nAZURE_QUANTUM_ARM_ENDPOINT=https://arm.example/\n`,
    );
    const settings = resolveSettings(options);
    expect(settings.arm.endpoint).toBe("https://arm.example");
    expect(settings.dataPlaneCa).toBeUndefined();
    expect(reads).toEqual([ENV_FILE]);
    expect(settings.envFile).toBe(ENV_FILE);
    expect(settings.connection.sources.apiKey).toBe(`.env ${ENV_FILE} (AZURE_QUANTUM_CONNECTION_STRING)`);
    expect(settings.sources).toEqual({
      armEndpoint: `.env ${ENV_FILE} (AZURE_QUANTUM_ARM_ENDPOINT)`,
      ca: undefined,
    });
  });

  it("takes the ARM endpoint from an option, then the environment, then .env, then the public cloud", () => {
    const { options } = project(`AZURE_QUANTUM_CONNECTION_STRING='${cs()}'\n`);
    expect(resolveSettings(options).sources.armEndpoint).toBe("default");
    expect(resolveSettings(options).arm.endpoint).toBe("https://management.azure.com");
    const env = { AZURE_QUANTUM_ARM_ENDPOINT: "https://env.example" };
    expect(resolveSettings({ ...options, env }).sources.armEndpoint).toBe(
      "env AZURE_QUANTUM_ARM_ENDPOINT",
    );
    const explicit = resolveSettings({ ...options, env, armEndpoint: "https://option.example" });
    expect([explicit.sources.armEndpoint, explicit.arm.endpoint]).toEqual([
      "argument armEndpoint",
      "https://option.example",
    ]);
  });

  it("resolves the ARM settings on first use, so a bad endpoint fails key management only", () => {
    const { options } = project(`AZURE_QUANTUM_CONNECTION_STRING='${cs()}'\n`);
    const settings = resolveSettings({ ...options, armEndpoint: "http://arm.example" });
    expect(settings.connection.workspaceName).toBe("myworkspace");
    let error: unknown;
    try {
      void settings.arm;
    } catch (e) {
      error = e;
    }
    expect(isConfigurationError(error) && error.code).toBe("ArmEndpointInvalid");
  });

  it("prints no key and no environment", () => {
    const { options } = project(`AZURE_QUANTUM_CONNECTION_STRING='${cs()}'\n`);
    const settings = resolveSettings({ ...options, env: { SECRET_THING: cs() } });
    expect(JSON.stringify(settings)).not.toContain("Zk3yS3cr3t");
    expect(JSON.stringify(settings)).not.toContain("SECRET_THING");
  });
});
