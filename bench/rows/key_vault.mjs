// Row 6: what a Key Vault source adds to connect(): time, and vault requests counted at the
// emulator (the target is about requests: one read per process, again only when asked).
import { runChild } from "../lib/spawn.mjs";
import { summary } from "../lib/stats.mjs";

/** The vault requests a phase may send: per connect, in order. */
export const KEY_VAULT_TARGET = {
  // The SecretClient's first request gets Key Vault's challenge (401), then one authenticated GET.
  first: ["GET 401", "GET 200"],
  cached: [],
  refresh: ["GET 200"],
};

const median = (xs) => summary(xs).median;

/** Row 6: fresh processes (one per round), each timing and counting the four phases. */
export async function keyVaultSource(runtime, { rounds, repeats = 5 }) {
  const runs = [];
  for (let i = 0; i < rounds; i++) {
    runs.push(await runChild(runtime, "bench/children/key_vault_source.mjs", { repeats }));
  }
  const perConnect = (phase, n) => phase.requests.vault.length / n;
  // Over `n` connects, the phase sent the target's requests for each, and nothing else.
  const asTargeted = (phase, target, n) =>
    JSON.stringify(phase.requests.vault) === JSON.stringify(Array(n).fill(target).flat());
  const met = runs.every((r) =>
    asTargeted(r.first, KEY_VAULT_TARGET.first, 1) &&
    asTargeted(r.cached, KEY_VAULT_TARGET.cached, repeats) &&
    asTargeted(r.refresh, KEY_VAULT_TARGET.refresh, repeats) &&
    r.first.fromVault && r.cached.fromVault && r.refresh.fromVault
  );
  const added = (pick) => summary(runs.map((r) => median(pick(r).ms) - median(r.clear.ms)));
  return {
    runtime,
    repeats,
    runs,
    ms: {
      clear: summary(runs.map((r) => median(r.clear.ms))),
      first: summary(runs.map((r) => r.first.ms[0])),
      cached: summary(runs.map((r) => median(r.cached.ms))),
      refresh: summary(runs.map((r) => median(r.refresh.ms))),
    },
    addedMs: {
      first: added((r) => r.first),
      cached: added((r) => r.cached),
      refresh: added((r) => r.refresh),
    },
    vaultRequests: {
      first: runs[0]?.first.requests.vault,
      cachedPerConnect: perConnect(runs[0].cached, repeats),
      refreshPerConnect: perConnect(runs[0].refresh, repeats),
    },
    tokenRequests: {
      first: runs[0]?.first.requests.identity,
      cached: runs[0]?.cached.requests.identity,
    },
    met,
  };
}
