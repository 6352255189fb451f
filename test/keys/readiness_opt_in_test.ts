// The order of disable's checks on a workspace that is not the emulator (where the session's opt-in
// applies), and the opt-in of role assignments: already disabled → readiness (would-lock-out,
// unless force) → confirm → opt-in → PUT. Resource Manager and the data plane answer through the
// test's fetch (the emulator never needs the opt-in).
import { describe, expect, it } from "vitest";
import type { NotApplied } from "../../src/keys/results.ts";
import { assignment, denied, fakeAzureWorkspace, json, ME, WS_ID } from "../entra/_fake_azure.ts";

const DATA_CONTRIBUTOR = "c1410b24-3e69-4857-8f86-4d0a2e603250";
const forbidden = () => json({ error: { code: "InsufficientPermissions", message: "There are not enough permissions to perform this operation." } }, 403);
const definition = (url: URL) =>
  url.pathname.endsWith("/roleDefinitions") && url.searchParams.get("$filter") === "roleName eq 'Quantum Workspace Data Contributor'"
    ? json({ value: [{ id: `/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/${DATA_CONTRIBUTOR}`, properties: { roleName: "Quantum Workspace Data Contributor", permissions: [] } }] })
    : undefined;
const roles = (url: URL) => url.pathname.endsWith("/roleAssignments") ? json({ value: [] }) : definition(url);
const puts = (sent: string[]) => sent.filter((s) => s.startsWith("PUT "));
const reasonOf = (r: unknown) => (r as NotApplied).reason;

describe("keys.disable() on Azure: the order of the checks", () => {
  it("no data role: would-lock-out comes first, with or without confirm and the opt-in", async () => {
    for (const options of [{}, { confirm: true }, { confirm: true, allow: true }]) {
      const { ws, sent } = fakeAzureWorkspace(roles, forbidden, { allowKeyChanges: "allow" in options });
      const r = await ws.keys.disable({ confirm: options.confirm });
      expect(reasonOf(r)).toBe("would-lock-out");
      expect((r as NotApplied).impact).toContain("Grace Hopper (grace@contoso.com) has no data role on the workspace");
      expect(puts(sent)).toEqual([]);
    }
  });

  it("a data role: unconfirmed asks for confirmation (and the opt-in); confirmed without the opt-in: opt-in-required; with both: the PUT", async () => {
    const unconfirmed = fakeAzureWorkspace(roles);
    const r1 = await unconfirmed.ws.keys.disable();
    expect(reasonOf(r1)).toBe("confirmation-required");
    expect((r1 as NotApplied).fix).toBe(
      "Run again with { confirm: true }; on Azure also opt in: set AZURE_QUANTUM_ALLOW_KEY_CHANGES=1 in the environment, or connect({ allowKeyChanges: true }).",
    );
    const noOptIn = fakeAzureWorkspace(roles);
    expect(reasonOf(await noOptIn.ws.keys.disable({ confirm: true }))).toBe("opt-in-required");
    expect(puts(noOptIn.sent)).toEqual([]);
    const both = fakeAzureWorkspace((url, req) =>
      req.method === "PUT" && url.pathname === WS_ID ? json({ properties: { apiKeyEnabled: false } }, 200) : roles(url), undefined, { allowKeyChanges: true });
    const forced = fakeAzureWorkspace(() => undefined, forbidden);
    expect(reasonOf(await forced.ws.keys.disable({ force: true, confirm: true }))).toBe("opt-in-required"); // force skips the readiness check only
    expect(forced.sent).toEqual([`GET ${WS_ID}`]);
    const applied = await both.ws.keys.disable({ confirm: true });
    expect(puts(both.sent)).toEqual([`PUT ${WS_ID}`]);
    expect(applied).toMatchObject({ applied: true });
  });

  it("already disabled: unchanged, before any other check", async () => {
    const { ws, sent } = fakeAzureWorkspace((url, req) =>
      req.method === "GET" && url.pathname === WS_ID ? json({ location: "westus", properties: { apiKeyEnabled: false } }) : undefined
    );
    expect(reasonOf(await ws.keys.disable({ confirm: true }))).toBe("unchanged");
    expect(sent).toEqual([`GET ${WS_ID}`]);
  });
});

describe("role assignments on Azure need the session's opt-in", () => {
  it("readiness.fix() and keys.assignRole() without it: opt-in-required, no request; with it: the PUT", async () => {
    const { ws, sent } = fakeAzureWorkspace(roles, forbidden);
    const readiness = await ws.keys.readiness();
    const before = sent.length;
    const refused = await readiness.fix();
    expect(reasonOf(refused)).toBe("opt-in-required");
    expect((refused as NotApplied).message).toBe(
      "Not done: this would assign \"Quantum Workspace Data Contributor\" on workspace 'ws'. Workspace 'ws' is on Azure " +
        "(https://westus.quantum.azure.com/), not the emulator: a role assignment changes who may use it. To change its role " +
        "assignments, set AZURE_QUANTUM_ALLOW_KEY_CHANGES=1 in the environment, or connect({ allowKeyChanges: true }), then run this again.",
    );
    expect(reasonOf(await ws.keys.assignRole())).toBe("opt-in-required");
    expect(sent.length).toBe(before);
    // fixOthers() too; and with nobody listed it has nothing to do.
    const others = fakeAzureWorkspace((url) =>
      url.pathname.endsWith("/roleAssignments")
        ? json({ value: [assignment("b24988ac-6180-42a0-ab88-20f7382dd24c", "33333333-3333-4333-8333-333333333333", WS_ID, "ServicePrincipal")] })
        : url.pathname.endsWith("/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c")
        ? json({ id: "x", properties: { roleName: "Contributor", permissions: [{ actions: ["*"], dataActions: [] }] } })
        : definition(url), forbidden);
    const listed = await others.ws.keys.readiness();
    expect(listed.keyOnly).toHaveLength(1);
    const sentBefore = others.sent.length;
    const unconfirmed = (await listed.fixOthers()) as NotApplied;
    expect(unconfirmed.reason).toBe("confirmation-required");
    expect(unconfirmed.fix).toBe(
      "Run again with { confirm: true }; on Azure also opt in: set AZURE_QUANTUM_ALLOW_KEY_CHANGES=1 in the environment, or connect({ allowKeyChanges: true }).",
    );
    expect(reasonOf(await listed.fixOthers({ confirm: true }))).toBe("opt-in-required");
    expect(others.sent.length).toBe(sentBefore);
    expect((await readiness.fixOthers({ confirm: true }) as NotApplied).message).toBe(
      "Not done: every principal that may read the access keys has a data role already. Nothing to do.",
    );

    const allowed = fakeAzureWorkspace((url, req) => {
      if (req.method === "PUT" && url.pathname.includes("/roleAssignments/")) {
        return json({ id: `${url.pathname}`, properties: { roleDefinitionId: "x/roleDefinitions/" + DATA_CONTRIBUTOR, principalId: ME, principalType: "User", scope: WS_ID } }, 201);
      }
      return roles(url);
    }, forbidden, { allowKeyChanges: true });
    const fixed = await (await allowed.ws.keys.readiness()).fix();
    expect(fixed).toMatchObject({ applied: true, outcome: "created", putStatus: 201, principalId: ME, principalType: "User", you: true });
    expect(puts(allowed.sent)).toEqual([expect.stringMatching(new RegExp(`^PUT ${WS_ID}/providers/Microsoft.Authorization/roleAssignments/[0-9a-f-]{36}$`))]);
    // A Contributor may not assign roles: ARM's 403 names the role that may.
    const contributor = fakeAzureWorkspace((url, req) =>
      req.method === "PUT" && url.pathname.includes("/roleAssignments/") ? denied("Microsoft.Authorization/roleAssignments/write", url.pathname) : roles(url), forbidden, { allowKeyChanges: true });
    const e = await (await contributor.ws.keys.readiness()).fix().then(() => undefined, (err: Error) => err);
    expect(e?.message).toContain(`"User Access Administrator" (or "Owner")`);
    expect(e?.message).toContain(`--scope "${WS_ID}"`);
  });
});
