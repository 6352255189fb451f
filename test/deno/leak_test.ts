// Deno.inspect (what Deno's REPL and kernel print for a value) shows no key, connection string
// or token, for every object a notebook holds: connection, workspace and its options, targets,
// key results, quotas, errors, the emulator, its env and the secrets of its vault.
import assert from "node:assert/strict";
import { Console } from "node:console";
import { Writable } from "node:stream";
import { connect, isUnauthorizedError, parseConnectionString, Secret } from "../../mod.ts";
import { startEmulator } from "../../src/emulator/mod.ts";

const VAULT_ONLY = "vault-only-secret-value-4a8c1e";
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./;

Deno.test("Deno.inspect() of everything a notebook holds shows no secret", async () => {
  const emulator = await startEmulator();
  const tokens: string[] = [];
  const credential = {
    getToken() {
      const token = emulator.control.issueToken().reveal();
      tokens.push(token);
      return Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3_600_000 });
    },
  };
  try {
    const before = emulator.control.keys();
    const cs = emulator.connectionString.reveal();
    const env = emulator.revealEnv();
    const ws = await connect({
      connectionString: cs,
      env,
      envFile: false,
      credential,
      progress: false,
    });
    const values: unknown[] = [
      parseConnectionString(cs),
      new Secret(cs),
      ws,
      ws.info,
      ws.options,
      ws.settings,
      ws.keys,
      ws.liveKey,
      await ws.dataPlane(),
      await ws.listTargets(),
      await ws.quotas(),
      await ws.keys.status(),
      await ws.keys.disable(),
      await ws.keys.regenerate("secondary", { confirm: true }),
      await ws.keys.connectionString("primary"),
      await ws.keys.rotate({ confirm: true, graceMs: 10, pollIntervalMs: 20, envFile: false }),
      emulator,
      emulator.env,
    ];
    // The emulated vault: a connection string kept there, and a value only the vault knows.
    const kept = emulator.control.vault.setSecret("quantum", cs);
    emulator.control.vault.setSecret("other", VAULT_ONLY);
    values.push(
      emulator.control,
      kept,
      { ...kept },
      emulator.control.vault.versions("other"),
      emulator.control.vault.secret("other"),
    );
    const middle = emulator.control.keys(); // after regenerate and rotate
    const current = emulator.connectionString.reveal();
    const stale = await connect({
      connectionString: current,
      envFile: false,
      env: { ...env },
      progress: false,
    });
    emulator.control.regenerateKeys("primary");
    const after = emulator.control.keys();
    const error = await stale.listTargets().then(() => undefined, (e) => e);
    assert.ok(isUnauthorizedError(error), "the regenerated key is rejected");
    values.push(error);

    const secrets = [
      before.primary.reveal(),
      before.secondary.reveal(),
      middle.primary.reveal(),
      middle.secondary.reveal(),
      after.primary.reveal(),
      after.secondary.reveal(),
      cs,
      current,
      emulator.connectionString.reveal(),
      env.IDENTITY_HEADER,
      VAULT_ONLY,
      ...tokens,
    ];
    assert.ok(tokens.length > 0, "key management asked for a token");
    // Plain views skip inspect hooks: console.table, a spread, Object.entries (issue 13, 1).
    const plain = (value: unknown): string[] => {
      if (value === null || typeof value !== "object") return [];
      let table = "";
      const stream = new Writable({
        write(chunk, _encoding, done) {
          table += String(chunk);
          done();
        },
      });
      new Console({ stdout: stream, stderr: stream }).table(value);
      assert.ok(table.length > 0, "console.table printed");
      return [table, Deno.inspect({ ...value }), Deno.inspect(Object.entries(value))];
    };
    for (const value of values) {
      for (const text of plain(value)) {
        for (const secret of secrets) {
          assert.ok(!text.includes(secret), `a plain view shows a ${secret.length}-char secret`);
        }
      }
      for (const options of [{}, { depth: 10, showHidden: true, getters: true }]) {
        const text = Deno.inspect(value, options);
        for (const secret of secrets) {
          assert.ok(!text.includes(secret), `Deno.inspect shows a ${secret.length}-char secret`);
        }
        assert.doesNotMatch(text, JWT);
      }
    }
  } finally {
    await emulator.stop();
  }
});
