import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppServiceCredential } from "../../src/config/app_service_credential.ts";
import { connect } from "../../src/connect.ts";
import { type Emulator, startEmulator } from "../../src/emulator/mod.ts";
import { isUnauthorizedError } from "../../src/request_errors.ts";
import { rejection } from "../keys/_emulator.ts";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.stop());

function entra(options: { withKey?: boolean } = {}) {
  const { subscriptionId, resourceGroup, workspaceName, location } = emu.workspace;
  return connect({
    ...(options.withKey
      ? { connectionString: emu.connectionString }
      : { subscriptionId, resourceGroup, workspaceName, location, endpoint: emu.endpoint }),
    useEntraId: true,
    credential: new AppServiceCredential({ endpoint: emu.identityEndpoint, header: emu.env.IDENTITY_HEADER }),
    ca: emu.caCertificate,
    envFile: false,
    env: {},
    progress: false,
  });
}

describe("data-plane errors say what was sent", () => {
  it("an Entra identity without a data role (403): assign a Quantum Workspace Data role, even when a key is configured", async () => {
    for (const withKey of [false, true]) {
      const e = await rejection(entra({ withKey }));
      expect(isUnauthorizedError(e) && e.code).toBe("Forbidden");
      expect(e.message).toMatch(
        /^Cannot connect to workspace "emulator-ws": your Microsoft Entra identity has no data role on the workspace \(403 InsufficientPermissions\) \(request id [0-9a-f-]{36}\)\. Assign it "Quantum Workspace Data Contributor" \(or "Quantum Workspace Data Reader"\) on \/subscriptions\/00000000-0000-4000-8000-000000000001\/resourceGroups\/emulator-rg\/providers\/Microsoft\.Quantum\/workspaces\/emulator-ws; Owner or Contributor alone does not give data access\. `ws\.keys\.readiness\(\)` shows who you are signed in as, and `readiness\.fix\(\)` assigns the role$/,
      );
      expect(e).toMatchObject({ statusCode: 403, serviceCode: "InsufficientPermissions" });
    }
    emu.control.assignRole("Quantum Workspace Data Reader");
    expect((await entra()).authMode).toBe("Microsoft Entra ID");
  });
});
