// The opt-in refusal of key changes and role assignments: on Azure it asks for the opt-in; for the
// emulator (whose Resource Manager endpoint is then Azure's public cloud) it names the endpoint to set.
import { describe, expect, it } from "vitest";
import type { KeyHost } from "../../src/keys/key_host.ts";
import { assignRoleWithOptIn } from "../../src/keys/readiness.ts";
import { type NotApplied, optInRefusal } from "../../src/keys/results.ts";

const host = (isEmulator: boolean, endpoint: string) =>
  ({
    info: { isEmulator, endpoint, workspaceName: isEmulator ? "emu" : "ws" },
    settings: { keyChanges: { allowed: false, source: "not given" }, armEndpointNote: undefined },
  }) as unknown as KeyHost;

describe("opt-in-required", () => {
  it("an emulator connection with Azure's Resource Manager endpoint: set the emulator's, not the opt-in", async () => {
    const emu = host(true, "https://127.0.0.1:8443/");
    expect(optInRefusal(emu, "regenerate", "regenerate the secondary key")!.message).toBe(
      "Not done: this would regenerate the secondary key. Workspace 'emu' is the local emulator's " +
        "(https://127.0.0.1:8443/), but its Resource Manager endpoint is Azure's: applications that use its keys " +
        "would be affected. To change its keys on the emulator, set AZURE_QUANTUM_ARM_ENDPOINT to the emulator's " +
        "armEndpoint (its env file has it), then run this again.",
    );
    const role = (await assignRoleWithOptIn(emu, undefined as never, "Quantum Workspace Data Contributor")) as NotApplied;
    expect(role.message).toBe(
      "Not done: this would assign \"Quantum Workspace Data Contributor\" on workspace 'emu'. Workspace 'emu' is the " +
        "local emulator's (https://127.0.0.1:8443/), but its Resource Manager endpoint is Azure's: a role assignment " +
        "changes who may use it. To change its role assignments on the emulator, set AZURE_QUANTUM_ARM_ENDPOINT to " +
        "the emulator's armEndpoint (its env file has it), then run this again.",
    );
  });

  it("an Azure connection: the opt-in", () => {
    expect(optInRefusal(host(false, "https://eastus.quantum.azure.com/"), "regenerate", "regenerate the secondary key")!.message).toBe(
      "Not done: this would regenerate the secondary key. Workspace 'ws' is on Azure (https://eastus.quantum.azure.com/), " +
        "not the emulator: applications that use its keys would be affected. To change its keys, set " +
        "AZURE_QUANTUM_ALLOW_KEY_CHANGES=1 in the environment, or connect({ allowKeyChanges: true }), then run this again.",
    );
  });
});
