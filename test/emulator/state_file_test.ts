import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createEmulatorHandlers,
  EMULATOR_USER_ID,
  type PersistentState,
  startEmulator,
} from "../../src/emulator/mod.ts";
import { persistentState } from "../../src/emulator/create_handlers.ts";

// One state file holds the workspace (keys, enabled flag, tags), the vault's secrets and RBAC.

const KEYS = ["apiKeyEnabled", "keys", "rbac", "tags", "vault", "version"];
const GRACE = "00000000-0000-4000-8000-00000000a11c";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "aqn-state-file-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("the state snapshot", () => {
  it("reports every change with vault and RBAC together, and nothing while the handlers are built", () => {
    const reported: PersistentState[] = [];
    const h = createEmulatorHandlers({
      principals: [{
        type: "User",
        objectId: GRACE,
        displayName: "Grace Hopper",
        userPrincipalName: "grace@emulator.example",
      }],
      roleAssignments: [{ role: "Quantum Workspace Data Reader", principalId: GRACE }],
      role: "Reader",
      dataPlaneAuthorization: "controlPlaneRoles",
      onStateChange: (s) => reported.push(s),
    });
    expect(reported).toEqual([]);
    expect(Object.keys(h.snapshot()).sort()).toEqual(KEYS);
    expect(h.snapshot()).toEqual(persistentState(h.context));
    expect(h.snapshot().rbac?.dataPlaneAuthorization).toBe("controlPlaneRoles");

    h.control.vault.setSecret("quantum", "one");
    expect(reported).toHaveLength(1);
    expect(reported[0]!.vault?.secrets.map((s) => s.name)).toEqual(["quantum"]);
    expect(reported[0]!.rbac?.principals.map((p) => p.displayName)).toContain("Grace Hopper");

    h.control.assignRole("Quantum Workspace Data Contributor", { principalId: EMULATOR_USER_ID });
    h.control.setKeysEnabled(false);
    expect(reported).toHaveLength(3);
    const last = reported.at(-1)!;
    expect(last.apiKeyEnabled).toBe(false);
    expect(last.vault?.secrets.map((s) => s.name)).toEqual(["quantum"]);
    expect(last.rbac?.roleAssignments).toHaveLength(5);
    expect(last).toEqual(h.snapshot());
  });
});

describe("the state file", () => {
  it("is written at start with every part, and keeps vault secrets and role assignments across a restart", async () => {
    const stateFile = join(dir, "state.json");
    const untouched = await startEmulator({ stateFile });
    await untouched.stop();
    // Written without any change: a fresh file holds the seeded directory at once.
    const seeded = JSON.parse(await readFile(stateFile, "utf8"));
    expect(Object.keys(seeded).sort()).toEqual(KEYS);
    expect(seeded.vault).toEqual({ secrets: [] });
    expect(seeded.rbac.roleAssignments).toHaveLength(3);

    const first = await startEmulator({ stateFile });
    const version = first.control.vault.setSecret("quantum", "one").version;
    first.control.vault.assignRole("Key Vault Secrets User", EMULATOR_USER_ID);
    first.control.assignRole("Quantum Workspace Data Reader", { principalId: EMULATOR_USER_ID });
    const assignments = first.control.roleAssignments();
    await first.stop();

    const second = await startEmulator({ stateFile });
    try {
      expect(second.control.vault.secret("quantum")?.version).toBe(version);
      expect(second.control.roleAssignments()).toEqual(assignments);
      // Vault role assignments are not kept (docs/emulator-vault.md): the default comes back.
      expect(second.control.vault.roles(EMULATOR_USER_ID)).toEqual([]);
      expect(second.control.vault.roles()).toEqual(["Key Vault Secrets Officer"]);
    } finally {
      await second.stop();
    }
  });

  it("adds the default directory to a file with a vault but no RBAC, keeping its secrets", async () => {
    const stateFile = join(dir, "vault-only.json");
    const created = "2026-01-01T00:00:00.000Z";
    const vault = {
      secrets: [{
        name: "quantum",
        versions: [{
          version: "0123456789abcdef0123456789abcdef",
          value: "kept",
          enabled: true,
          created: 1,
          updated: 1,
        }],
      }],
    };
    await writeFile(
      stateFile,
      JSON.stringify({
        version: 1,
        keys: {
          primary: { key: "a".repeat(86), createdAt: created },
          secondary: { key: "b".repeat(86), createdAt: created },
        },
        apiKeyEnabled: true,
        tags: {},
        vault,
      }),
      { mode: 0o600 },
    );
    const emu = await startEmulator({ stateFile });
    expect(emu.control.vault.secret("quantum")?.value.reveal()).toBe("kept");
    await emu.stop();
    const saved = JSON.parse(await readFile(stateFile, "utf8"));
    expect(Object.keys(saved).sort()).toEqual(KEYS);
    expect(saved.vault).toEqual(vault);
    expect(saved.rbac.roleAssignments).toHaveLength(3);
  });
});
