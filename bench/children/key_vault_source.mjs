// Row 6: what a Key Vault source adds to `connect()`. In one fresh process with its own emulator
// (whose managed identity the real DefaultAzureCredential uses), with AZURE_QUANTUM_CONNECTION_STRING
// as a Key Vault reference: the first connect of the process (imports @azure/keyvault-secrets and
// @azure/identity, gets a token, answers the vault's challenge, reads the secret); then, interleaved
// with connects that have the connection string in clear text, later connects (this process's read
// is reused) and connect({ refresh: true }). Requests are counted at the emulator for each connect.
import { runChild, RUNTIME } from "../lib/child.mjs";

await runChild(async ({ repeats = 5 }) => {
  const { connect, startEmulator } = await import("azure-quantum-notebook");
  const emulator = await startEmulator({ exportEnv: true });
  try {
    const clearEnv = emulator.revealEnv();
    emulator.control.vault.setSecret("quantum", clearEnv.AZURE_QUANTUM_CONNECTION_STRING);
    const vaultEnv = {
      ...clearEnv,
      AZURE_QUANTUM_CONNECTION_STRING:
        `@Microsoft.KeyVault(SecretUri=${emulator.keyVaultUrl}secrets/quantum/)`,
    };
    const base = { envFile: false, progress: false };
    const control = emulator.control;
    /** One timed connect with `options`, and the requests it sent (counted at the emulator). */
    const once = async (options) => {
      control.resetLog();
      const t0 = performance.now();
      const ws = await connect({ ...base, ...options });
      const ms = performance.now() - t0;
      return {
        ms,
        vault: control.requestLog({ listener: "vault" }).map((e) => `${e.method} ${e.status}`),
        identity: control.requestCount({ listener: "identity" }),
        dataPlane: control.requestCount({ listener: "dataPlane" }),
        fromVault: Boolean(ws.info.keySource?.keyVault),
      };
    };
    const phase = () => ({
      ms: [],
      requests: { vault: [], identity: 0, dataPlane: 0 },
      fromVault: true,
    });
    const add = (into, one) => {
      into.ms.push(one.ms);
      into.requests.vault.push(...one.vault);
      into.requests.identity += one.identity;
      into.requests.dataPlane += one.dataPlane;
      into.fromVault &&= one.fromVault;
    };
    const clear = phase();
    const first = phase();
    const cached = phase();
    const refresh = phase();
    for (let i = 0; i < 2; i++) await once({ env: clearEnv }); // warm-up: pipeline, TLS, JIT
    add(first, await once({ env: vaultEnv }));
    // Side by side, interleaved, so the machine's state is the same for each.
    for (let i = 0; i < repeats; i++) {
      add(clear, await once({ env: clearEnv }));
      add(cached, await once({ env: vaultEnv }));
      add(refresh, await once({ env: vaultEnv, refresh: true }));
    }
    clear.fromVault = false;
    return { runtime: RUNTIME, repeats, clear, first, cached, refresh };
  } finally {
    await emulator.stop();
  }
});
