import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, EMULATOR_USER_ID, startEmulator } from "../../src/emulator/mod.ts";
import { client, send, UUID } from "./_https.ts";

let emulator: Emulator;
let c: ReturnType<typeof client>;

beforeAll(async () => {
  emulator = await startEmulator();
  c = client(emulator);
});
afterAll(() => emulator.stop());

describe("ARM routing of other resource providers", () => {
  const at = (method: string, path: string, body?: object) =>
    send(emulator.armEndpoint + path, {
      method,
      body,
      headers: { authorization: `Bearer ${c.armToken()}` },
      ca: emulator.caCertificate,
    });

  // Issue 15: on main, the api-version check ran first and listed Quantum's versions.
  it("Azure Resource Graph (tenant scope): 400 InvalidResourceNamespace, not an api-version error", async () => {
    const res = await at(
      "POST",
      "/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01",
      {
        query: "Resources | where type =~ 'microsoft.quantum/workspaces'",
      },
    );
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: "InvalidResourceNamespace",
        message: "The resource namespace 'Microsoft.ResourceGraph' is invalid.",
      },
    });
    expect(res.headers["x-ms-request-id"]).toMatch(UUID);
  });

  it("another namespace under the subscription: 409 MissingSubscriptionRegistration with its target", async () => {
    const sub = `/subscriptions/${emulator.workspace.subscriptionId}`;
    for (
      const path of [
        `${sub}/providers/Microsoft.KeyVaultX/vaults?api-version=2023-07-01`,
        `${sub}/resourceGroups/emulator-rg/providers/Microsoft.Storage/storageAccounts/s?api-version=1`,
        `${sub}/providers/Microsoft.Web/sites`,
      ]
    ) {
      const res = await at("GET", path);
      expect(res.status).toBe(409);
      const error = res.json().error;
      expect(error.code).toBe("MissingSubscriptionRegistration");
      expect(error.details[0]).toMatchObject({ code: "MissingSubscriptionRegistration" });
      expect(error.message).toBe(
        `The subscription is not registered to use namespace '${error.details[0].target}'. ` +
          "See https://aka.ms/rps-not-found for how to register subscriptions.",
      );
    }
  });

  it("another namespace under an unknown subscription: 404 SubscriptionNotFound first", async () => {
    const res = await at(
      "GET",
      "/subscriptions/00000000-0000-4000-8000-0000000000ff/providers/Microsoft.Web/sites?api-version=1",
    );
    expect([res.status, res.json().error.code]).toEqual([404, "SubscriptionNotFound"]);
  });

  it("Microsoft.Authorization is registered: its routes answer, with its own api-versions", async () => {
    const sub = `/subscriptions/${emulator.workspace.subscriptionId}`;
    const rg = `${sub}/resourceGroups/${emulator.workspace.resourceGroup}`;
    // Ada, the default user, is Owner on the subscription (the emulator identity only on the group).
    const ada = emulator.control.issueToken({ principalId: EMULATOR_USER_ID }).reveal();
    for (const scope of [sub, rg, c.P]) {
      const res = await send(
        `${emulator.armEndpoint}${scope}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
        { headers: { authorization: `Bearer ${ada}` }, ca: emulator.caCertificate },
      );
      expect([scope, res.status]).toEqual([scope, 200]);
      expect(Array.isArray(res.json().value)).toBe(true);
    }
    const owner = await at(
      "GET",
      "/providers/Microsoft.Authorization/roleDefinitions?$filter=roleName%20eq%20'Owner'&api-version=2022-04-01",
    );
    expect([owner.status, owner.json().value[0].properties.roleName]).toEqual([200, "Owner"]);
    // A Quantum api-version is not one of Authorization's, and the answer lists Authorization's.
    const bad = await at(
      "GET",
      `${sub}/providers/Microsoft.Authorization/roleAssignments?api-version=2025-12-15-preview`,
    );
    expect([bad.status, bad.json().error.code]).toEqual([400, "InvalidApiVersionParameter"]);
    expect(bad.json().error.message).toContain("2022-04-01");
    expect(bad.json().error.message).not.toContain("2025-12-15-preview'.");
    // Another resource type of the registered namespace: no route (404), not a registration error.
    const locks = await at(
      "GET",
      `${sub}/providers/Microsoft.Authorization/locks?api-version=2020-05-01`,
    );
    expect([locks.status, locks.json().error.code]).toEqual([404, "NotFound"]);
  });

  it("still authenticates first, and Quantum paths without a route stay 404 NotFound", async () => {
    const anonymous = await send(
      `${emulator.armEndpoint}/providers/Microsoft.ResourceGraph/resources?api-version=2021-03-01`,
      { method: "POST", ca: emulator.caCertificate },
    );
    expect(anonymous.status).toBe(401);
    const quantum = await at("GET", `${c.P}/jobs?api-version=nope`);
    expect([quantum.status, quantum.json().error.code]).toEqual([404, "NotFound"]);
  });
});
