// The readiness check against answers the emulator does not give (a caller who may read the data
// plane but not role assignments, a rejected token, markup in role names, paged and foreign
// next links), served by a fetch that answers like Resource Manager and the data plane.
import { describe, expect, it } from "vitest";
import { checkReadiness } from "../../src/entra/readiness_check.ts";
import { isArmError } from "../../src/request_errors.ts";
import { renderReadiness } from "../../src/render/readiness_card.ts";
import { ARM, assignment, denied, fakeAzureWorkspace, json, ME, WS_ID } from "./_fake_azure.ts";

function workspace(arm: (url: URL, req: Request) => Response | undefined, dataPlane?: () => Response) {
  return fakeAzureWorkspace(arm, dataPlane).ws;
}

describe("checkReadiness() on answers the emulator does not give", () => {
  it("may reach the data plane but not read role assignments (403): the verdict rests on the probe, and says so", async () => {
    const ws = workspace((url) =>
      url.pathname.endsWith("/roleAssignments")
        ? denied("Microsoft.Authorization/roleAssignments/read", WS_ID)
        : undefined
    );
    const { data, describe } = await checkReadiness(ws, await ws.keys.armClient());
    expect(describe).toBe("Grace Hopper (grace@contoso.com)");
    expect(data.safe).toBe(true);
    expect(data.assignments).toBeUndefined();
    expect(data.assignmentsError).toBe(
      "Resource Manager answered 403 AuthorizationFailed: this identity may not read role assignments here " +
        "(Reader or any role above it may); the verdict rests on the data-plane probe",
    );
    expect(data.verdict).toBe(
      "Safe to disable access keys for this kernel: Grace Hopper (grace@contoso.com) reaches the data plane with " +
        "Microsoft Entra ID. Who else uses keys is not known (the role assignments could not be listed).",
    );
    expect(renderReadiness(data, describe)["text/plain"]).toMatch(/Role assignments: +could not be listed: Resource Manager answered 403/);
  });

  it("a token the data plane rejects (401): not safe, sign in to the workspace's tenant; no role to assign", async () => {
    const ws = workspace((url) => url.pathname.endsWith("/roleAssignments") ? json({ value: [] }) : undefined, () => new Response("", { status: 401 }));
    const { data } = await checkReadiness(ws, await ws.keys.armClient());
    expect(data.dataPlane).toEqual({ outcome: "unauthorized", status: 401 });
    expect(data.safe).toBe(false);
    expect(data.roleToAssign).toBeUndefined();
    expect(data.verdict).toBe(
      "Not safe: the data plane rejected the Microsoft Entra token of Grace Hopper (grace@contoso.com) (401): sign in to the workspace's tenant, then check again.",
    );
  });

  it("markup from Resource Manager is escaped; a role it will not describe counts as unknown, not as 'no data role'", async () => {
    const evil = "<img src=x onerror=alert(1)>";
    const OTHER = "33333333-3333-4333-8333-333333333333";
    const CONTRIB = "b24988ac-6180-42a0-ab88-20f7382dd24c";
    const MYSTERY = "44444444-4444-4444-8444-444444444444";
    const ws = workspace((url) => {
      if (url.pathname.endsWith("/roleAssignments")) {
        return json({ value: [assignment(CONTRIB, ME), assignment(MYSTERY, OTHER, WS_ID, evil), { properties: null }, null] });
      }
      if (url.pathname.endsWith(`/roleDefinitions/${CONTRIB}`)) {
        return json({ id: "x", properties: { roleName: evil, permissions: [{ actions: ["*"], dataActions: [] }] } });
      }
    });
    const { data, describe } = await checkReadiness(ws, await ws.keys.armClient());
    expect(data.assignments!.map((a) => [a.roleName, a.dataAccess])).toEqual([[evil, "none"], [MYSTERY, "unknown"]]);
    expect(data.keyOnly).toEqual([]); // the other principal's role is unknown: not claimed to have no data role
    const html = renderReadiness(data, describe)["text/html"] as string;
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  it("follows next links on Resource Manager's own host, and refuses one to another host (the token goes nowhere else)", async () => {
    let pages = 0;
    const ws = workspace((url) => {
      if (!url.pathname.endsWith("/roleAssignments")) return undefined;
      pages++;
      return url.searchParams.get("$skiptoken") === "2"
        ? json({ value: [assignment("acdd72a7-3385-48ef-bd42-f606fba81ae7", ME)] })
        : json({ value: [], nextLink: `${ARM}${WS_ID}/providers/Microsoft.Authorization/roleAssignments?$filter=atScope()&$skiptoken=2` });
    });
    const { data } = await checkReadiness(ws, await ws.keys.armClient());
    expect(pages).toBe(2);
    expect(data.assignments).toHaveLength(1);

    const foreign = workspace((url) =>
      url.pathname.endsWith("/roleAssignments") ? json({ value: [], nextLink: "https://evil.example/steal" }) : undefined
    );
    const e = await checkReadiness(foreign, await foreign.keys.armClient()).then(() => undefined, (err) => err);
    expect(isArmError(e) && e.code).toBe("NextLinkUntrusted");
    expect(e.message).toBe(
      'Cannot list the role assignments of workspace "ws": Resource Manager sent a next-page link to https://evil.example, ' +
        `not to ${ARM}, and this module sends its token nowhere else. Check AZURE_QUANTUM_ARM_ENDPOINT`,
    );
  });
});
