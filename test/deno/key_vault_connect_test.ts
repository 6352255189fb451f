// Under Deno: connect() from a Key Vault reference (the real DefaultAzureCredential through the
// emulator's managed identity, the unmodified SecretClient), rotation writing back to the vault,
// sharing and moving; Deno.inspect of every result and error shows no key, secret value or token.
import assert from "node:assert/strict";
import { connect, loadConnection } from "../../mod.ts";
import { resetDefaultCredential } from "../../src/config/credential.ts";
import { startEmulator } from "../../src/emulator/mod.ts";

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./;

Deno.test("Key Vault reference: connect, rotate with write-back, share, move, under Deno", async () => {
  const emulator = await startEmulator({ exportEnv: true });
  resetDefaultCredential();
  try {
    const start = emulator.connectionString.reveal();
    emulator.control.vault.setSecret("quantum", start);
    const reference = `@Microsoft.KeyVault(SecretUri=${emulator.keyVaultUrl}secrets/quantum/)`;
    const env = { ...emulator.revealEnv(), AZURE_QUANTUM_CONNECTION_STRING: reference };
    const options = { env, envFile: false as const, progress: false as const };
    assert.throws(() => loadConnection(options), { code: "KeyVaultReferenceUnresolved" });
    const ws = await connect(options);
    assert.equal(ws.info.keySource?.keyVault?.secretName, "quantum");
    emulator.control.resetLog();
    await connect(options);
    assert.equal(emulator.control.requestCount({ listener: "vault" }), 0, "read once per process");

    const report = await ws.keys.rotate({ confirm: true, graceMs: 10, pollIntervalMs: 20 });
    assert.equal(report.applied && report.completed, true);
    const latest = emulator.control.vault.secret("quantum")!;
    assert.ok(latest.value.reveal().includes(emulator.control.keys().primary.reveal()));
    const shared = await ws.keys.shareToKeyVault("secondary", { secretName: "shared" });
    const plain = await connect({ env: emulator.revealEnv(), envFile: false, progress: false });
    const moved = await plain.keys.moveToKeyVault({ vaultUrl: emulator.keyVaultUrl, secretName: "moved" });
    const bad = await connect({
      ...options,
      env: { ...env, AZURE_QUANTUM_CONNECTION_STRING: reference.replace("quantum", "absent") },
    }).catch((e) => e);
    assert.equal(bad.code, "KeyVaultSecretNotFound");

    const secrets = [
      start,
      latest.value.reveal(),
      emulator.control.keys().primary.reveal(),
      emulator.control.keys().secondary.reveal(),
      emulator.env.IDENTITY_HEADER.reveal(),
    ];
    for (const value of [ws, ws.info, report, shared, { ...shared }, moved, plain.info, bad, await ws.keys.status()]) {
      const shown = Deno.inspect(value, { depth: 10, showHidden: true });
      for (const s of secrets) assert.ok(!shown.includes(s), "a key or connection string leaked");
      assert.ok(!JWT.test(shown), "a token leaked");
    }
  } finally {
    await emulator.stop();
    resetDefaultCredential();
  }
});
