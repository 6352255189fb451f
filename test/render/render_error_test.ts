import { describe, expect, it } from "vitest";
import { ConnectionStringError } from "../../src/errors.ts";
import { UnauthorizedError } from "../../src/request_errors.ts";
import { renderError } from "../../src/render/render_error.ts";

describe("renderError()", () => {
  it("text: name, code, message and request details", () => {
    const e = new UnauthorizedError(
      "KeyRejected",
      "Cannot list targets: the access key was rejected. Check the key.",
      {
        statusCode: 401,
        requestId: "req-1",
        method: "GET",
        url: "https://127.0.0.1:8443/subscriptions/s/providerStatus",
      },
    );
    expect(renderError(e)["text/plain"]).toBe(
      [
        "UnauthorizedError [KeyRejected]: Cannot list targets: the access key was rejected. Check the key.",
        "  status: 401",
        "  method: GET",
        "  url: https://127.0.0.1:8443/subscriptions/s/providerStatus",
        "  request id: req-1",
      ].join("\n"),
    );
  });
  it("json carries the same fields; no stack anywhere", () => {
    const e = new ConnectionStringError("ApiKey", "Cannot parse connection string: empty ApiKey.");
    const b = renderError(e);
    expect(b["application/json"]).toEqual({
      name: "ConnectionStringError",
      message: "Cannot parse connection string: empty ApiKey.",
      code: "ConnectionStringInvalid",
      field: "ApiKey",
    });
    expect(JSON.stringify(b)).not.toContain("at ");
  });
  it("html escapes everything and shows the name as a red badge", () => {
    const e = new TypeError("<script>alert(1)</script>", { cause: new Error("<b>inner</b>") });
    const out = renderError(e)["text/html"] as string;
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out).toContain("Error: &lt;b&gt;inner&lt;/b&gt;");
    expect(out).toContain("background:#cf222e;color:#fff");
    expect(out).not.toContain("<script>");
    expect(renderError(e)["text/plain"]).toBe(
      "TypeError: <script>alert(1)</script>\n  cause: Error: <b>inner</b>",
    );
  });
  it("works for thrown non-errors", () => {
    expect(renderError("boom")["text/plain"]).toBe("Error: boom");
  });
});
