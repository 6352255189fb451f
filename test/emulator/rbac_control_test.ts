import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AZURE_CLI_CLIENT_ID,
  EMULATOR_APP_CLIENT_ID,
  EMULATOR_CLIENT_ID,
  runEmulatorCli,
  startEmulator,
} from "../../src/emulator/mod.ts";
import { ADA, CI, MI, rbacSetup, RG, SUB, WS } from "./_rbac.ts";

const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));

describe("control API: principals and role assignments", () => {
  it("starts with three principals and Owner / Contributor / Contributor at three levels, no data role", () => {
    const h = rbacSetup();
    expect(h.control.principals()).toEqual([
      {
        objectId: MI,
        type: "ServicePrincipal",
        displayName: "emulator-ws",
        tenantId: "00000000-0000-4000-8000-0000000000aa",
        appId: EMULATOR_CLIENT_ID,
        servicePrincipalType: "ManagedIdentity",
      },
      {
        objectId: ADA,
        type: "User",
        displayName: "Ada Lovelace",
        tenantId: "00000000-0000-4000-8000-0000000000aa",
        userPrincipalName: "ada@emulator.example",
      },
      {
        objectId: CI,
        type: "ServicePrincipal",
        displayName: "quantum-ci",
        tenantId: "00000000-0000-4000-8000-0000000000aa",
        appId: EMULATOR_APP_CLIENT_ID,
        servicePrincipalType: "Application",
      },
    ]);
    expect(
      h.control.roleAssignments().map((a) => [a.principalName, a.roleName, a.scope]),
    ).toEqual([
      ["emulator-ws", "Contributor", RG],
      ["Ada Lovelace", "Owner", `/subscriptions/${SUB}`],
      ["quantum-ci", "Contributor", WS],
    ]);
  });

  it("adds principals, generating ids, and refuses bad ones with the field and the fix", () => {
    const h = rbacSetup();
    const grace = h.control.addPrincipal({
      type: "User",
      displayName: "Grace Hopper",
      userPrincipalName: "grace@emulator.example",
    });
    expect(grace.objectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(grace.tenantId).toBe("00000000-0000-4000-8000-0000000000aa");
    const app = h.control.addPrincipal({ type: "ServicePrincipal", displayName: "nightly" });
    expect(app).toMatchObject({ servicePrincipalType: "Application", appId: expect.any(String) });
    expect(() => h.control.addPrincipal({ type: "Robot", displayName: "x" } as never)).toThrow(
      'Cannot add principal: "type" must be "User" or "ServicePrincipal", not "Robot"',
    );
    expect(() => h.control.addPrincipal({ type: "User", displayName: "No UPN" } as never))
      .toThrow(
        'Cannot add principal: a user needs "userPrincipalName" like "name@domain", not undefined',
      );
    expect(() =>
      h.control.addPrincipal({ type: "ServicePrincipal", displayName: "x", objectId: "abc" })
    ).toThrow('Cannot add principal: "objectId" must be a GUID, not "abc"');
    expect(() =>
      h.control.addPrincipal({ type: "ServicePrincipal", displayName: "again", objectId: CI })
    ).toThrow(
      `Cannot add principal: object id "${CI}" is taken by "quantum-ci". Leave objectId out to get a new one`,
    );
  });

  it("assigns by name or id (idempotent), unassigns, and names what is wrong", () => {
    const h = rbacSetup();
    const a = h.control.assignRole("quantum workspace data reader", { principalId: CI });
    expect(a).toMatchObject({
      roleName: "Quantum Workspace Data Reader",
      principalId: CI,
      principalType: "ServicePrincipal",
      principalName: "quantum-ci",
      scope: WS,
    });
    expect(h.control.assignRole(a.roleDefinitionId, { principalId: CI })).toEqual(a);
    expect(h.control.unassignRole("Quantum Workspace Data Reader", { principalId: CI })).toBe(1);
    expect(h.control.unassignRole("Quantum Workspace Data Reader", { principalId: CI })).toBe(0);
    expect(() => h.control.assignRole("Admin")).toThrow(
      'Cannot assign role "Admin": it is not a role the emulator knows. Use one of "Owner", "Contributor", "Reader", "User Access Administrator", "Quantum Workspace Data Contributor", "Quantum Workspace Data Reader"',
    );
    expect(() => h.control.assignRole("Reader", { principalId: "nobody" })).toThrow(
      'Cannot assign role "Reader" to "nobody": no principal has that object id. Add it with control.addPrincipal() first',
    );
    expect(() => h.control.assignRole("Reader", { scope: "/subscriptions/other" })).toThrow(
      'Cannot use scope "/subscriptions/other": use "workspace", "resourceGroup", "subscription" or one of their resource ids',
    );
  });

  it("setRole replaces the identity's Owner/Contributor/Reader at any scope and keeps data roles", () => {
    const h = rbacSetup();
    h.control.assignRole("Quantum Workspace Data Contributor");
    h.control.assignRole("Reader", { scope: "subscription" });
    h.control.setRole("Owner");
    expect(h.control.roleAssignments({ principalId: MI }).map((a) => [a.roleName, a.scope]))
      .toEqual([["Quantum Workspace Data Contributor", WS], ["Owner", RG]]);
    h.control.setRole("None");
    expect(h.control.roleAssignments({ principalId: MI }).map((a) => a.roleName)).toEqual([
      "Quantum Workspace Data Contributor",
    ]);
  });

  it("issues tokens with each principal's claims", () => {
    const h = rbacSetup();
    const of = (principalId?: string) => claims(h.control.issueToken({ principalId }).reveal());
    expect(of()).toMatchObject({ oid: MI, appid: EMULATOR_CLIENT_ID, idtyp: "app", xms_mirid: WS });
    expect(of()).not.toHaveProperty("upn");
    expect(of(ADA)).toMatchObject({
      oid: ADA,
      appid: AZURE_CLI_CLIENT_ID,
      idtyp: "user",
      name: "Ada Lovelace",
      upn: "ada@emulator.example",
      scp: "user_impersonation",
      tid: "00000000-0000-4000-8000-0000000000aa",
      iss: "https://sts.windows.net/00000000-0000-4000-8000-0000000000aa/",
    });
    expect(of(CI)).toMatchObject({ oid: CI, appid: EMULATOR_APP_CLIENT_ID, idtyp: "app" });
    expect(of(CI)).not.toHaveProperty("xms_mirid"); // an application, not a managed identity
    expect(of(ADA)).not.toHaveProperty("xms_mirid");
    expect(of("someone-else")).toMatchObject({ oid: "someone-else", appid: EMULATOR_CLIENT_ID });
  });

  it("a new identity takes over the old one's assignments", async () => {
    const h = rbacSetup();
    h.control.assignRole("Quantum Workspace Data Reader");
    const next = "00000000-0000-4000-8000-00000000beef";
    h.control.setIdentity({ principalId: next });
    expect(h.control.roleAssignments({ principalId: next }).map((a) => a.roleName)).toEqual([
      "Contributor",
      "Quantum Workspace Data Reader",
    ]);
    expect((await h.dataAs(next)).status).toBe(200);
  });

  it("takes extra principals and assignments as options", () => {
    const grace = "00000000-0000-4000-8000-00000000a11c";
    const h = rbacSetup({
      principals: [{
        type: "User",
        objectId: grace,
        displayName: "Grace Hopper",
        userPrincipalName: "grace@emulator.example",
      }],
      roleAssignments: [{ role: "Quantum Workspace Data Reader", principalId: grace }],
      role: "Reader",
    });
    expect(h.control.roleAssignments().map((a) => [a.principalName, a.roleName])).toEqual([
      ["Ada Lovelace", "Owner"],
      ["quantum-ci", "Contributor"],
      ["Grace Hopper", "Quantum Workspace Data Reader"],
      ["emulator-ws", "Reader"],
    ]);
  });

  it("validates device-code timing", () => {
    const h = rbacSetup();
    expect(() => h.control.setDeviceCodeTiming({ intervalSeconds: -1 })).toThrow(
      "Cannot set intervalSeconds: it must be a number >= 0, not -1",
    );
  });
});

describe("state file: RBAC survives a restart", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "aqn-rbac-state-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("keeps principals, assignments and the data-plane rule, and no token", async () => {
    const file = join(dir, "state.json");
    const first = await startEmulator({ stateFile: file });
    const grace = first.control.addPrincipal({
      type: "User",
      displayName: "Grace Hopper",
      userPrincipalName: "grace@emulator.example",
    });
    first.control.assignRole("Quantum Workspace Data Contributor", { principalId: grace.objectId });
    first.control.setDataPlaneAuthorization("controlPlaneRoles");
    const token = first.control.issueToken({ principalId: grace.objectId }).reveal();
    const before = first.control.roleAssignments();
    await first.stop();

    const text = await readFile(file, "utf8");
    expect(text).not.toContain(token);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(text);
    expect(saved.rbac.dataPlaneAuthorization).toBe("controlPlaneRoles");
    expect(saved.rbac.principals.map((p: { displayName: string }) => p.displayName)).toContain(
      "Grace Hopper",
    );

    const second = await startEmulator({ stateFile: file });
    try {
      expect(second.control.roleAssignments()).toEqual(before);
      expect(second.control.principals().map((p) => p.displayName)).toEqual([
        "emulator-ws",
        "Ada Lovelace",
        "quantum-ci",
        "Grace Hopper",
      ]);
      expect(second.control.dataPlaneAuthorization()).toBe("controlPlaneRoles");
    } finally {
      await second.stop();
    }
  });

  it("reads an older state file (no rbac) with the default directory, and refuses a broken one", async () => {
    const file = join(dir, "old.json");
    const created = "2026-01-01T00:00:00.000Z";
    const old = {
      version: 1,
      keys: {
        primary: { key: "a".repeat(86), createdAt: created },
        secondary: { key: "b".repeat(86), createdAt: created },
      },
      apiKeyEnabled: true,
      tags: {},
    };
    await writeFile(file, JSON.stringify(old), { mode: 0o600 });
    const emu = await startEmulator({ stateFile: file });
    expect(emu.control.roleAssignments()).toHaveLength(3);
    await emu.stop();
    expect(JSON.parse(await readFile(file, "utf8")).rbac.roleAssignments).toHaveLength(3);

    const broken = join(dir, "broken.json");
    const rbac = {
      principals: [],
      roleAssignments: [{ name: "x" }],
      dataPlaneAuthorization: "dataRoles",
    };
    await writeFile(broken, JSON.stringify({ ...old, rbac }), { mode: 0o600 });
    await expect(startEmulator({ stateFile: broken })).rejects.toMatchObject({
      code: "EmulatorStateInvalid",
    });
  });
});

describe("CLI", () => {
  it("prints the authority and takes --data-plane-authorization, refusing other values", async () => {
    let out = "";
    let err = "";
    const stop = new AbortController();
    const done = runEmulatorCli(["--data-plane-authorization", "controlPlaneRoles"], {
      stdout: (s) => {
        out += s;
        if (out.includes("Press Ctrl+C")) stop.abort();
      },
      signal: stop.signal,
    });
    expect(await done).toBe(0);
    expect(out).toMatch(/^ {2}Authority {6}https:\/\/127\.0\.0\.1:\d+$/m);
    const bad = await runEmulatorCli(["--data-plane-authorization", "all"], {
      stdout: () => {},
      stderr: (s) => (err += s),
    });
    expect(bad).toBe(2);
    expect(err).toBe(
      'Cannot start the emulator: Cannot set dataPlaneAuthorization "all": use "dataRoles" or "controlPlaneRoles"\n',
    );
  });
});
