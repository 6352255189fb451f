// The unmodified SecretClient (through readKeyVaultSecret / writeKeyVaultSecret) under Deno, with
// the real DefaultAzureCredential through the emulator's managed-identity endpoint, trusting the
// emulator's CA for that client only; Deno.inspect of the results shows no value or token.
import assert from "node:assert/strict";
import { parseKeyVaultReference } from "../../src/config/key_vault_reference.ts";
import { readKeyVaultSecret, writeKeyVaultSecret } from "../../src/config/key_vault_source.ts";
import { Secret } from "../../src/connection/secret.ts";
import { startEmulator } from "../../src/emulator/mod.ts";
import {
  defaultCredential,
  resetDefaultCredential,
} from "../../src/config/credential.ts";

const JWT = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./;

Deno.test("Key Vault source: write, read latest and by version, errors, under Deno", async () => {
  const emulator = await startEmulator({ exportEnv: true });
  resetDefaultCredential();
  try {
    const credential = await defaultCredential();
    const cs = emulator.connectionString.reveal();
    const ref = parseKeyVaultReference(
      `@Microsoft.KeyVault(SecretUri=${emulator.keyVaultUrl}secrets/quantum/)`,
    );
    const access = { credential, ca: emulator.caCertificate };
    const written = await writeKeyVaultSecret(ref, new Secret(cs), access);
    const latest = await readKeyVaultSecret(ref, access);
    assert.equal(latest.value.reveal(), cs);
    assert.equal(latest.version, written.version);
    await writeKeyVaultSecret(ref, new Secret("second"), access);
    const pinned = parseKeyVaultReference(
      `@Microsoft.KeyVault(SecretUri=${emulator.keyVaultUrl}secrets/quantum/${written.version})`,
    );
    assert.equal((await readKeyVaultSecret(pinned, access)).value.reveal(), cs);
    const missing = await readKeyVaultSecret(
      parseKeyVaultReference(
        `@Microsoft.KeyVault(SecretUri=${emulator.keyVaultUrl}secrets/absent)`,
      ),
      access,
    ).catch((e) => e);
    assert.equal(missing.code, "KeyVaultSecretNotFound");
    for (const value of [written, latest, missing, { ...latest }]) {
      const shown = Deno.inspect(value, { depth: 10, showHidden: true });
      assert.ok(!shown.includes(cs), "the connection string leaked");
      assert.ok(!JWT.test(shown), "a token leaked");
    }
  } finally {
    await emulator.stop();
    resetDefaultCredential();
  }
});
