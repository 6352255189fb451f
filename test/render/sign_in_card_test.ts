import { describe, expect, it } from "vitest";
import { renderSignIn } from "../../src/render/sign_in_card.ts";

const where = { tenantId: "organizations", authorityHost: "https://login.microsoftonline.com" };

describe("renderSignIn()", () => {
  it("waiting: the page as a link and the code to enter, in HTML, text and JSON", () => {
    const b = renderSignIn({ status: "waiting", userCode: "ABCD2EFGH", verificationUri: "https://microsoft.com/devicelogin", ...where });
    expect(b["text/plain"]).toBe(
      [
        "Sign in to Microsoft Entra ID  [Waiting for you]",
        "Open:           https://microsoft.com/devicelogin",
        "Enter the code: ABCD2EFGH",
        "Tenant:         organizations",
        "Authority:      https://login.microsoftonline.com",
        'Sign in with your work account there; this card changes to "signed in" when you are done. The code works once and expires in about 15 minutes.',
      ].join("\n"),
    );
    expect(b["text/html"]).toContain('<a href="https://microsoft.com/devicelogin" target="_blank" rel="noopener noreferrer">');
    expect(b["application/json"]).toEqual({ status: "waiting", userCode: "ABCD2EFGH", verificationUri: "https://microsoft.com/devicelogin", ...where });
  });

  it("a verification page that is not http(s) is not a link; markup is escaped", () => {
    const b = renderSignIn({ status: "waiting", userCode: "<b>x</b>", verificationUri: "javascript:alert(1)", ...where });
    expect(b["text/html"]).not.toContain("<a ");
    expect(b["text/html"]).not.toContain("<b>x</b>");
    expect(b["text/html"]).toContain("&lt;b&gt;x&lt;/b&gt;");
  });

  it("signed in: who, object id and tenant; failed: why", () => {
    const identity = { objectId: "00000000-0000-4000-8000-0000000000dd", principalType: "User" as const, tenantId: "00000000-0000-4000-8000-0000000000aa" };
    const ok = renderSignIn({ status: "signed-in", who: "Ada Lovelace (ada@contoso.com)", identity, ...where })["text/plain"];
    expect(ok).toMatch(/^Signed in to Microsoft Entra ID {2}\[Signed in\]\nAs: +Ada Lovelace \(ada@contoso\.com\)\nObject id: +00000000-0000-4000-8000-0000000000dd\nTenant: +00000000-0000-4000-8000-0000000000aa\n/);
    const failed = renderSignIn({ status: "failed", reason: "the sign-in was declined", ...where })["text/plain"];
    expect(failed).toMatch(/^Not signed in to Microsoft Entra ID {2}\[Sign-in failed\]\nWhy: +the sign-in was declined\n/);
  });
});
