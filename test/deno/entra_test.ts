// The move to Entra ID under Deno: signIn() (the unmodified DeviceCodeCredential, the emulator's
// CA trusted for its authority through core-rest-pipeline's tlsOptions), a workspace on that
// credential, the readiness report and its fix; Deno.inspect of each shows no token.
import assert from "node:assert/strict";
import { connect, signIn } from "../../mod.ts";
import { EMULATOR_USER_ID, startEmulator } from "../../src/emulator/mod.ts";

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./;

Deno.test("signIn(), readiness and its fix under Deno", async () => {
  const emulator = await startEmulator();
  emulator.control.setDeviceCodeTiming({ intervalSeconds: 0.1 });
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    const signingIn = signIn({ authorityHost: emulator.authorityHost, ca: emulator.caCertificate });
    while (emulator.control.deviceCodes().length === 0) await new Promise((r) => setTimeout(r, 25));
    emulator.control.approveDeviceCode(emulator.control.deviceCodes()[0]!.userCode);
    const credential = await signingIn;
    assert.equal(credential.identity?.objectId, EMULATOR_USER_ID);
    assert.match(lines.join("\n"), /Enter the code: [A-Z0-9]{9}[\s\S]*Signed in to Microsoft Entra ID {2}\[Signed in\]/);

    const ws = await connect({ env: emulator.revealEnv(), envFile: false, credential, progress: false });
    const before = await ws.keys.readiness();
    assert.equal(before.safe, false);
    assert.equal(before.signedInAs, "Ada Lovelace (ada@emulator.example)");
    const fixed = await before.fix();
    assert.equal(fixed.applied, true);
    const after = await ws.keys.readiness();
    assert.equal(after.safe, true);
    for (const value of [credential, before, fixed, after, ws]) {
      const shown = Deno.inspect(value, { depth: 10, showHidden: true }) + JSON.stringify(value);
      assert.ok(!JWT.test(shown), "a token in Deno.inspect or JSON");
      assert.ok(!/DAQABIQEAAAB|1\.AQE[A-Za-z0-9_-]{20}/.test(shown), "a device code or refresh token");
    }
  } finally {
    console.log = log;
    await emulator.stop();
  }
});
