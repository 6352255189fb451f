/**
 * Hostile service data: target ids, provider ids, availability values, status pages (`javascript:`,
 * `JAVASCRIPT:`, ` javascript:`, `data:`, `vbscript:`, …), ARM and data-plane error messages
 * holding HTML, script and terminal escapes. Every renderer escapes them and links only http(s)
 * URLs; the key goes to no host the connection does not name.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TokenCredential } from "@azure/core-auth";
import { parseConnectionString } from "../../src/connection/connection_string.ts";
import { Secret } from "../../src/connection/secret.ts";
import { display } from "../../src/kernel/display.ts";
import { escapeHtml } from "../../src/render/escape_html.ts";
import { html } from "../../src/render/html.ts";
import { renderCard } from "../../src/render/render_card.ts";
import { renderError } from "../../src/render/render_error.ts";
import { renderTable } from "../../src/render/render_table.ts";
import { safeHref } from "../../src/render/safe_href.ts";
import { type Emulator, type EmulatorProvider, startEmulator } from "../../src/emulator/mod.ts";
import { isRotationError, type RotationError } from "../../src/errors.ts";
import { isArmError, isRequestError } from "../../src/request_errors.ts";
import { createHttpPipeline } from "../../src/http/http_pipeline.ts";
import type { RotationReport } from "../../src/keys/results.ts";
import { connect } from "../../src/connect.ts";
import { Workspace } from "../../src/workspace/workspace.ts";
import { rejection } from "../keys/_emulator.ts";
import { captureOutput, everything, expectSafeHtml, htmlProblems } from "./_helpers.ts";

const XSS = [
  `<script>alert("x")</script>`,
  `<img src=x onerror=alert(1)>`,
  `"><svg/onload=alert(1)>`,
  `' onmouseover='alert(1)' x='`,
  `</td></tr></table><iframe src="javascript:alert(1)"></iframe>`,
  `<a href="javascript:alert(1)">click</a>`,
  `<style>body{display:none}</style>`,
  "\u001b[2J\u001b]0;pwned\u0007\u001b[31mred",
  "left\u202eright",
];
const NOT_LINKS = [
  "javascript:alert(1)",
  "JAVASCRIPT:alert(1)",
  "JaVaScRiPt:alert(1)",
  "  javascript:alert(1)",
  "\tjava\nscript:alert(1)",
  "java\u0000script:alert(1)",
  "&#106;avascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
  "vbscript:msgbox(1)",
  "  VBScript:msgbox(1)",
  "//evil.example/x",
  "file:///etc/passwd",
  "ftp://files.example/",
  "mailto:someone@example.com",
  "not a url <b>at all</b>",
];
const LINKS = [
  `https://status.example/"><script>alert(1)</script>`,
  "http://status.example/?q=<img src=x onerror=alert(1)>",
  "https://status.example/' onmouseover='alert(1)",
  "HTTPS://STATUS.EXAMPLE/ok",
];

/** Providers whose every string is hostile; one target per status page. */
function hostileProviders(): EmulatorProvider[] {
  return XSS.map((id, p) => ({
    id,
    currentAvailability: p === 0 ? "Available" : XSS[(p + 1) % XSS.length],
    targets: [...NOT_LINKS, ...LINKS].map((statusPage, t) => ({
      id: `${XSS[(p + t) % XSS.length]}.${t}`,
      currentAvailability: t % 3 === 0 ? "Available" : XSS[t % XSS.length],
      averageQueueTime: t * 37,
      statusPage,
      numQubits: t % 2 === 0 ? t : undefined,
      targetProfile: XSS[(t + 3) % XSS.length],
      metadata: { note: XSS[t % XSS.length] },
    })),
  }));
}

// C0 and C1 control characters except tab and line feed.
// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

function expectSafeBundle(where: string, bundle: Record<string, unknown>) {
  expectSafeHtml(where, bundle["text/html"] as string);
  // The terminal rendering carries no escape sequence or other control character.
  expect(CONTROL.test(String(bundle["text/plain"])), `${where}: control characters in text/plain`)
    .toBe(false);
}

describe("hostile provider and target data from the data plane (emulator)", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ providers: hostileProviders(), pageSize: 4 });
  });
  afterAll(() => emu.stop());

  it("is escaped everywhere; only http(s) status pages become links", async () => {
    const ws = await connect({ env: emu.revealEnv(), envFile: false, progress: false });
    const list = await ws.listTargets();
    expect(list.length).toBe(XSS.length * (NOT_LINKS.length + LINKS.length));
    const bundle = list.toMimeBundle();
    expectSafeBundle("targets", bundle);
    const page = bundle["text/html"]!;
    // One link per http(s) status page, each with its host as text; nothing else is a link.
    expect(page.match(/<a /g)?.length).toBe(XSS.length * LINKS.length);
    expect(page).toContain('href="https://status.example/%22%3E%3Cscript%3Ealert(1)%3C/script%3E"');
    expect(page).toContain('href="https://status.example/ok"');
    expect(page).not.toMatch(/href="\s*(javascript|vbscript|data|file|ftp|mailto):/i);
    // The data itself is kept as the service sent it (JSON), only its rendering is escaped.
    const json = bundle["application/json"] as { providers: { id: string }[] };
    expect(json.providers.map((p) => p.id)).toEqual(XSS);

    for (
      const filter of [{ provider: XSS[1] }, { target: "<script" }, {
        availability: "Available" as const,
      }]
    ) {
      const filtered = list.filter(filter).toMimeBundle();
      expectSafeBundle(`filter ${JSON.stringify(filter)}`, filtered);
    }
    expectSafeBundle("workspace card", ws.toMimeBundle());
    const { output } = await captureOutput(() => display(list));
    expect(CONTROL.test(output.replace(/\n/g, ""))).toBe(false);
  });
});

// A fake Azure: data plane and ARM as fetch functions, answering with hostile bodies.
const ENDPOINT = "https://eastus.quantum.azure.com/";
const ARM = "https://management.example";
const PRIMARY = "PrimaryKeyValue0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH==";
const SECONDARY = "SecondaryKeyValue0123456789abcdefghijklmnopqrstuvwxyzABCDEF==";
const CS =
  `SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=rg;WorkspaceName=ws;` +
  `ApiKey=${PRIMARY};QuantumEndpoint=${ENDPOINT};`;
const credential: TokenCredential = {
  getToken: () =>
    Promise.resolve({ token: "fake-token", expiresOnTimestamp: Date.now() + 3_600_000 }),
};
const armError = (status: number, code = XSS[0], message = XSS.join(" | ")) =>
  new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { "content-type": "application/json", "x-ms-request-id": `<b>${status}</b>` },
  });

interface Fake {
  dataPlane?: (req: Request) => Response;
  arm?: (req: Request, url: URL) => Response | undefined;
}

function fakeWorkspace(fake: Fake): Workspace {
  const ok = () =>
    new Response(JSON.stringify({ value: [], nextLink: null }), {
      headers: { "content-type": "application/json" },
    });
  const listKeys = () =>
    new Response(
      JSON.stringify({
        apiKeyEnabled: true,
        primaryKey: { key: PRIMARY },
        secondaryKey: { key: SECONDARY },
      }),
      { headers: { "content-type": "application/json" } },
    );
  return new Workspace(parseConnectionString(CS), {
    fetch: (req) => Promise.resolve((fake.dataPlane ?? ok)(req)),
    armFetch: (req) => {
      const url = new URL(req.url);
      const answer = fake.arm?.(req, url);
      if (answer) return Promise.resolve(answer);
      if (url.pathname.endsWith("/listKeys")) return Promise.resolve(listKeys());
      if (req.method === "GET" && url.pathname.includes("/workspaces/")) {
        return Promise.resolve(
          new Response(JSON.stringify({ location: "eastus", properties: { apiKeyEnabled: true } })),
        );
      }
      return Promise.resolve(armError(500));
    },
    armEndpoint: ARM,
    credential,
    retry: { maxRetries: 0 },
    progress: false,
    allowKeyChanges: true, // an Azure host: the hostile answers must reach the key operations
  });
}

function expectSafeError(where: string, error: Error) {
  const bundle = renderError(error);
  expectSafeBundle(where, bundle);
  // The message keeps what the service said (for support), but never a key.
  expect(error.message).not.toContain(PRIMARY);
  expect(error.message).not.toContain(SECONDARY);
}

describe("hostile error messages from ARM and the data plane", () => {
  it("keys.status(): an ARM error body full of markup", async () => {
    const ws = fakeWorkspace({
      arm: (_, url) => url.pathname.endsWith("/listKeys") ? armError(403) : undefined,
    });
    const e = await rejection(ws.keys.status());
    expect(isArmError(e)).toBe(true);
    expect(e).toMatchObject({ statusCode: 403, armCode: XSS[0] });
    expectSafeError("status", e);
  });

  it("keys.disable(): a long-running operation that fails with markup", async () => {
    const op = `${ARM}/providers/Microsoft.Quantum/locations/eastus/operationStatuses/op-1`;
    const ws = fakeWorkspace({
      arm: (req, url) => {
        if (req.method === "PUT") {
          return new Response(JSON.stringify({ properties: { provisioningState: "Accepted" } }), {
            status: 201,
            headers: { "azure-asyncoperation": op, "retry-after": "0" },
          });
        }
        if (url.pathname.includes("/operationStatuses/")) {
          return new Response(
            JSON.stringify({ status: "Failed", error: { code: XSS[2], message: XSS.join(" ") } }),
          );
        }
      },
    });
    const e = await rejection(ws.keys.disable({ confirm: true }));
    expect(e).toMatchObject({ name: "ArmError", armCode: XSS[2] });
    expectSafeError("disable", e);
  });

  it("keys.enable() and keys.regenerate(): ARM errors with markup in code, message and request id", async () => {
    const ws = fakeWorkspace({
      arm: (req, url) => {
        if (req.method === "GET" && url.pathname.includes("/workspaces/")) {
          return new Response(
            JSON.stringify({ location: "eastus", properties: { apiKeyEnabled: false } }),
          );
        }
        if (req.method === "PUT") return armError(400, XSS[1]);
        if (url.pathname.endsWith("/regenerateKey")) return armError(409, XSS[4]);
      },
    });
    expectSafeError("enable", await rejection(ws.keys.enable()));
    const ws2 = fakeWorkspace({
      arm: (
        _,
        url,
      ) => (url.pathname.endsWith("/regenerateKey") ? armError(409, XSS[4]) : undefined),
    });
    expectSafeError(
      "regenerate",
      await rejection(ws2.keys.regenerate("secondary", { confirm: true })),
    );
  });

  it("keys.rotate(): a hostile ARM message lands in the rotation report, escaped", async () => {
    const ws = fakeWorkspace({
      arm: (
        _,
        url,
      ) => (url.pathname.endsWith("/regenerateKey") ? armError(400, XSS[3]) : undefined),
    });
    const e = await rejection(ws.keys.rotate({ confirm: true, graceMs: 0, envFile: false }));
    expect(isRotationError(e)).toBe(true);
    const report = (e as RotationError).report as RotationReport;
    expect(report.steps.at(-1)?.detail).toContain(XSS[3]);
    expectSafeBundle("rotation report", report.toMimeBundle());
    expectSafeError("rotate", e);
  });

  it("a credential failing with markup in its message", async () => {
    const ws = new Workspace(parseConnectionString(CS), {
      armEndpoint: ARM,
      armFetch: () => Promise.resolve(new Response("{}")),
      credential: {
        getToken: () => Promise.reject(Object.assign(new Error(XSS.join(" ")), { name: XSS[0] })),
      },
      progress: false,
    });
    expectSafeError("credential", await rejection(ws.keys.status()));
  });

  it("listTargets(): a data-plane error body full of markup", async () => {
    const ws = fakeWorkspace({
      dataPlane: () =>
        new Response(JSON.stringify({ error: { code: XSS[0], message: XSS.join(" ") } }), {
          status: 500,
          headers: { "x-ms-request-id": XSS[1] },
        }),
    });
    const e = await rejection(ws.listTargets());
    expect(isRequestError(e)).toBe(true);
    expectSafeError("listTargets", e);
  });
});

describe("the key goes to no other host", () => {
  it.each([
    ["another host", "https://attacker.example/steal?skiptoken=1", "https://attacker.example"],
    [
      "plain http",
      "http://eastus.quantum.azure.com/x?skiptoken=1",
      "http://eastus.quantum.azure.com",
    ],
    [
      "another port",
      "https://eastus.quantum.azure.com:8443/x",
      "https://eastus.quantum.azure.com:8443",
    ],
    ["javascript:", "javascript:alert(1)", "a non-web URL"],
  ])("a nextLink to %s is refused before any request", async (_, link, shown) => {
    const seen: string[] = [];
    const ws = fakeWorkspace({
      dataPlane: (req) => {
        seen.push(new URL(req.url).origin);
        return new Response(
          JSON.stringify({ value: hostileProviders().slice(0, 1), nextLink: link }),
        );
      },
    });
    const e = await rejection(ws.listTargets());
    expect(e).toMatchObject({ name: "RequestError", code: "NextLinkUntrusted" });
    expect(e.message).toBe(
      `Cannot list targets in workspace "ws": the service sent a next-page link to ${shown}, not to ` +
        `${ENDPOINT}, and this module sends the key or token nowhere else. Check the QuantumEndpoint ` +
        "of your connection",
    );
    expect(seen).toEqual(["https://eastus.quantum.azure.com"]);
    expectSafeError("nextLink", e);
  });

  it("a redirect is not followed, so the api-key header stays home (fetch transport)", async () => {
    const received: http.IncomingHttpHeaders[] = [];
    const thief = http.createServer((req, res) => {
      received.push(req.headers);
      res.end("{}");
    });
    await new Promise<void>((r) => thief.listen(0, "127.0.0.1", r));
    const to = `http://127.0.0.1:${(thief.address() as AddressInfo).port}/stolen`;
    const redirector = http.createServer((_, res) => {
      res.writeHead(307, { location: to }).end();
    });
    await new Promise<void>((r) => redirector.listen(0, "127.0.0.1", r));
    try {
      const from = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/x`;
      const pipeline = createHttpPipeline({
        fetch: (req) => fetch(req),
        apiKey: { key: new Secret(PRIMARY) },
        retry: { maxRetries: 0 },
      });
      const res = await pipeline.send({ method: "GET", url: from });
      expect(res.status).toBe(307);
      expect(received).toEqual([]);
    } finally {
      thief.close();
      redirector.close();
    }
  });
});

describe("a key with a control character never reaches a message (finding 16 through ARM)", () => {
  const listing = (primary: string, secondary: string) => () =>
    new Response(JSON.stringify({ apiKeyEnabled: true, primaryKey: { key: primary }, secondaryKey: { key: secondary } }));

  it("listKeys returning a key that ends in NUL: status() and rotate() refuse it without showing it", async () => {
    const bad = `${SECONDARY}\0`;
    const ws = fakeWorkspace({
      arm: (_, url) => url.pathname.endsWith("/listKeys") ? listing(PRIMARY, bad)() : undefined,
    });
    const expected = 'Cannot list the access keys of workspace "ws": Resource Manager sent a secondary key ' +
      "with whitespace, a control, invisible or non-ASCII character, which cannot be sent. " +
      'Regenerate that key (keys.regenerate("secondary")) and try again';
    const status = await rejection(ws.keys.status());
    expect(status).toMatchObject({ name: "ArmError", code: "InvalidResponse", message: expected });
    const rotated = await rejection(ws.keys.rotate({ confirm: true, graceMs: 0, envFile: false }));
    for (const e of [status, rotated]) {
      expect(everything(e)).not.toContain(SECONDARY);
      expectSafeError("listKeys", e);
    }
    expect(rotated.message).toContain(expected);
    expect(ws.liveKey!.key.reveal()).toBe(PRIMARY);
  });

  it("the live key cannot be swapped to a key a header cannot carry", () => {
    const ws = fakeWorkspace({});
    expect(() => ws.liveKey!.swap(new Secret(`${SECONDARY}\0`))).toThrow(
      "Cannot swap the access key: the new key holds a control, invisible or non-ASCII character. " +
        "Copy the key again from the Azure portal (Operations > Access keys)",
    );
    expect(ws.liveKey!.key.reveal()).toBe(PRIMARY);
  });

  it("a transport error about a header names the header, never its value (fetch transport)", async () => {
    const pipeline = createHttpPipeline({
      fetch: (req) => fetch(req),
      apiKey: { key: new Secret(`${SECONDARY}\0`) },
      retry: { maxRetries: 0 },
    });
    const e = await rejection(pipeline.send({ method: "GET", url: ENDPOINT }));
    expect(e).toMatchObject({ name: "NetworkError", code: "NetworkUnreachable" });
    expect(e.message).toBe(
      'Cannot reach https://eastus.quantum.azure.com: the value of header "x-ms-quantum-api-key" ' +
        "cannot be sent (GET https://eastus.quantum.azure.com/). " +
        "Check the endpoint in your connection string and your network connection",
    );
    expect(everything(e)).not.toContain(SECONDARY);
  });

  it("a transport whose error quotes a header value: the value is left out of the message", async () => {
    const pipeline = createHttpPipeline({
      fetch: (req) => Promise.reject(new TypeError(`refused "${req.headers.get("x-ms-quantum-api-key")}" here`)),
      apiKey: { key: new Secret(PRIMARY) },
      retry: { maxRetries: 0 },
    });
    const e = await rejection(pipeline.send({ method: "GET", url: ENDPOINT }));
    expect(e.message).toBe(
      'Cannot reach https://eastus.quantum.azure.com: refused "[header value]" here ' +
        "(GET https://eastus.quantum.azure.com/). " +
        "Check the endpoint in your connection string and your network connection",
    );
    expect(everything(e)).not.toContain(PRIMARY);
  });
});

describe("renderers and cards with hostile strings", () => {
  it("the workspace card of a .env in a folder named like markup", async () => {
    const root = mkdtempSync(join(tmpdir(), "aqn-hostile-"));
    const dir = join(root, `<img src=x onerror=alert(1)>"'`);
    mkdirSync(join(dir, ".git"), { recursive: true });
    writeFileSync(join(dir, ".env"), `AZURE_QUANTUM_CONNECTION_STRING='${CS}'\n`);
    const ws = await connect({ cwd: dir, env: {}, verify: false, progress: false });
    const card = ws.toMimeBundle();
    expect(card["text/plain"]).toContain(dir);
    expectSafeBundle("workspace card", card);
  });

  it("renderCard, renderTable and renderError with hostile text everywhere", () => {
    for (const x of [...XSS, ...NOT_LINKS]) {
      const card = renderCard({ title: x, rows: [[x, x]], footer: x });
      expectSafeBundle("card", { "text/html": card.html, "text/plain": card.text });
      const table = renderTable({
        caption: x,
        columns: [{ header: x }],
        rows: [[x]],
        footer: x,
        empty: x,
      });
      expectSafeBundle("table", { "text/html": table.html, "text/plain": table.text });
      const error = Object.assign(new Error(x), {
        name: x,
        code: x,
        url: x,
        hint: x,
        armCode: x,
        cause: { name: x, message: x },
      });
      expectSafeBundle("error", renderError(error));
    }
  });

  it("escapeHtml, html`` and safeHref hold for any string (property-based)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 100 }), (s) => {
        const escaped = escapeHtml(s);
        expect(escaped).not.toMatch(/[<>"']/);
        const back = escaped.replace(
          /&lt;|&gt;|&quot;|&#39;|&amp;/g,
          (e) => ({ "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&amp;": "&" })[e]!,
        );
        expect(back).toBe(s);
        expect(htmlProblems(
          html`
            <div title="${s}">
              <td>${s}</td>
            </div>
          `.value,
        )).toEqual([]);
        const href = safeHref(s);
        if (href !== undefined) expect(href).toMatch(/^https?:\/\/[^\s"<>]+$/);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...NOT_LINKS),
        fc.string({ unit: fc.constantFrom(" ", "\t", "\n", "\u0000", "\u000b"), maxLength: 3 }),
        (link, pad) => {
          expect(safeHref(pad + link)).toBeUndefined();
          expect(safeHref(pad + link.toUpperCase())).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });
});
