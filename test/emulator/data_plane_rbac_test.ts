import { describe, expect, it } from "vitest";
import { ADA, CI, MI, rbacSetup, WS } from "./_rbac.ts";

const FORBIDDEN = {
  error: {
    code: "InsufficientPermissions",
    message: "There are not enough permissions to perform this operation.",
  },
};

describe("data plane authorization of Microsoft Entra callers", () => {
  it("by default needs a data role: Owner and Contributor alone get 403 InsufficientPermissions", async () => {
    const h = rbacSetup();
    expect(h.control.dataPlaneAuthorization()).toBe("dataRoles");
    for (const who of [MI, ADA, CI]) {
      const res = await h.dataAs(who);
      expect(res.status).toBe(403);
      expect(res.headers.get("x-ms-error-code")).toBe("InsufficientPermissions");
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(await res.json()).toEqual(FORBIDDEN);
    }
  });

  it("Quantum Workspace Data Reader or Data Contributor, at or above the workspace, lets them read", async () => {
    const h = rbacSetup();
    h.control.assignRole("Quantum Workspace Data Reader");
    expect((await h.dataAs(MI)).status).toBe(200);
    h.control.assignRole("Quantum Workspace Data Contributor", {
      principalId: ADA,
      scope: "subscription",
    });
    expect((await h.dataAs(ADA)).status).toBe(200);
    expect((await h.dataAs(CI)).status).toBe(403);
    expect(h.control.unassignRole("Quantum Workspace Data Reader")).toBe(1);
    expect((await h.dataAs(MI)).status).toBe(403);
  });

  it("writing jobs needs …/jobs/write, which the Data Reader lacks (decided by the store: the emulator serves no write route)", () => {
    const h = rbacSetup();
    const rbac = h.context.rbac;
    const write = "Microsoft.Quantum/Workspaces/jobs/write";
    h.control.assignRole("Quantum Workspace Data Reader");
    expect(rbac.permittedData(MI, "Microsoft.Quantum/Workspaces/jobs/read", WS)).toBe(true);
    expect(rbac.permittedData(MI, write, WS)).toBe(false);
    h.control.assignRole("Quantum Workspace Data Contributor");
    expect(rbac.permittedData(MI, write, WS)).toBe(true);
  });

  it("'controlPlaneRoles' is the older rule: Owner and Contributor suffice, Reader reads, no role is refused", async () => {
    const h = rbacSetup({ dataPlaneAuthorization: "controlPlaneRoles" });
    expect((await h.dataAs(MI)).status).toBe(200);
    expect((await h.dataAs(ADA)).status).toBe(200);
    h.control.setRole("Reader");
    expect((await h.dataAs(MI)).status).toBe(200);
    expect(h.context.rbac.permittedData(MI, "Microsoft.Quantum/Workspaces/jobs/write", WS))
      .toBe(false);
    h.control.setRole("None");
    expect((await h.dataAs(MI)).status).toBe(403);
    h.control.setDataPlaneAuthorization("dataRoles");
    h.control.setRole("Owner");
    expect((await h.dataAs(MI)).status).toBe(403);
    expect(() => h.control.setDataPlaneAuthorization("everyone" as never)).toThrow(
      'Cannot set dataPlaneAuthorization "everyone": use "dataRoles" or "controlPlaneRoles"',
    );
  });

  it("access keys bypass RBAC; authentication (401) comes before authorization (403)", async () => {
    const h = rbacSetup();
    h.control.setRole("None");
    const key = await h.data({ "x-ms-quantum-api-key": h.control.keys().primary.reveal() });
    expect(key.status).toBe(200);
    const wrongAudience = await h.data({ authorization: `Bearer ${h.token(MI)}` });
    expect([wrongAudience.status, await wrongAudience.text()]).toEqual([401, ""]);
    const unknown = await h.dataAs("00000000-0000-4000-8000-00000000abcd");
    expect(unknown.status).toBe(403);
  });
});
