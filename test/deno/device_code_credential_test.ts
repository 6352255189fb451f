import assert from "node:assert/strict";
import { DeviceCodeCredential } from "@azure/identity";
import { EMULATOR_USER_ID, startEmulator } from "../../src/emulator/mod.ts";

// The unmodified credential in Deno: tlsOptions reaches core-rest-pipeline's Node HTTP client,
// which Deno's node:https runs with the emulator's CA for these requests only.
Deno.test("DeviceCodeCredential signs in against the emulator under Deno too", async () => {
  const emulator = await startEmulator();
  emulator.control.setDeviceCodeTiming({ intervalSeconds: 0.2 });
  try {
    let shown = "";
    const credential = new DeviceCodeCredential({
      tenantId: "organizations",
      authorityHost: emulator.authorityHost,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: emulator.caCertificate },
      userPromptCallback: (info) => {
        shown = info.message;
        setTimeout(() => emulator.control.approveDeviceCode(info.userCode), 300);
      },
    });
    const token = await credential.getToken("https://management.azure.com/.default");
    assert.match(
      shown,
      /^To sign in, use a web browser to open the page https:\/\/127\.0\.0\.1:\d+\/devicelogin/,
    );
    const claims = JSON.parse(
      atob(token.token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")),
    );
    assert.equal(claims.oid, EMULATOR_USER_ID);
    assert.equal(claims.aud, "https://management.azure.com");
    assert.ok(emulator.control.requestCount({ listener: "login", status: 400 }) >= 1);
  } finally {
    await emulator.stop();
  }
});
