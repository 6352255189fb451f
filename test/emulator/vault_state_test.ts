import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, VAULT_AUDIENCE } from "../../src/emulator/mod.ts";
import { loadState } from "../../src/emulator/state_file.ts";
import { send } from "./_https.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "aqn-vault-state-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("the emulated vault in the state file", () => {
  it("keeps secrets, versions and deletions across a restart; the vault URL changes with the port", async () => {
    const stateFile = join(dir, "state.json");
    const first = await startEmulator({ stateFile });
    const v1 = first.control.vault.setSecret("quantum", "one").version;
    const v2 =
      first.control.vault.setSecret("quantum", "two", { tags: { slot: "primary" } }).version;
    first.control.vault.setSecret("gone", "x");
    const res = await send(`${first.keyVaultUrl}secrets/gone?api-version=2025-07-01`, {
      method: "DELETE",
      ca: first.caCertificate,
      headers: {
        authorization: `Bearer ${first.control.issueToken({ audience: VAULT_AUDIENCE }).reveal()}`,
      },
    });
    expect(res.status).toBe(200);
    await first.stop();
    const saved = JSON.parse(await readFile(stateFile, "utf8"));
    expect(saved.vault.secrets.map((s: { name: string }) => s.name).sort()).toEqual([
      "gone",
      "quantum",
    ]);

    const second = await startEmulator({ stateFile });
    try {
      expect(second.control.vault.versions("quantum").map((i) => [i.version, i.value.reveal()]))
        .toEqual([
          [v1, "one"],
          [v2, "two"],
        ]);
      expect(second.control.vault.secret("quantum")?.tags).toEqual({ slot: "primary" });
      expect(second.control.vault.secretNames()).toEqual(["quantum"]);
      expect(() => second.control.vault.setSecret("gone", "y")).toThrow(/it is deleted/);
    } finally {
      await second.stop();
    }
  });

  it("accepts a state file without a vault (written before it existed) and rejects a malformed vault", async () => {
    const file = join(dir, "state.json");
    const base = {
      version: 1,
      keys: {
        primary: { key: "k1", createdAt: "2026-01-01T00:00:00Z" },
        secondary: { key: "k2", createdAt: "2026-01-01T00:00:00Z" },
      },
      apiKeyEnabled: true,
      tags: {},
    };
    await writeFile(file, JSON.stringify(base));
    expect((await loadState(file))?.vault).toBeUndefined();
    for (
      const vault of [
        { secrets: "no" },
        { secrets: [{ name: "bad name", versions: [] }] },
        {
          secrets: [{
            name: "db",
            versions: [{
              version: "short",
              value: "s3cr3t-value",
              enabled: true,
              created: 1,
              updated: 1,
            }],
          }],
        },
      ]
    ) {
      await writeFile(file, JSON.stringify({ ...base, vault }));
      const e = await loadState(file).catch((e) => e);
      expect(e).toMatchObject({ code: "EmulatorStateInvalid" });
      expect(inspect(e) + e.message).not.toContain("s3cr3t-value");
    }
  });

  it("shows the vault URL in its JSON and env, never a vault secret", async () => {
    const emu = await startEmulator();
    try {
      emu.control.vault.setSecret("quantum", "s3cr3t-in-vault");
      const shown = [
        JSON.stringify(emu),
        inspect(emu, { depth: 8 }),
        JSON.stringify(emu.env),
        inspect(emu.control.vault.secret("quantum")),
      ];
      expect(JSON.parse(shown[0]!).keyVaultUrl).toBe(emu.keyVaultUrl);
      expect(emu.env.AZURE_QUANTUM_KEY_VAULT_URL).toBe(emu.keyVaultUrl);
      for (const text of shown) expect(text).not.toContain("s3cr3t-in-vault");
    } finally {
      await emu.stop();
    }
  });
});
