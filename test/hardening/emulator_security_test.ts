/**
 * Emulator security: it listens on loopback only unless told otherwise (and warns then); bad,
 * forged, tampered, expired and wrong-audience tokens are rejected on every ARM and data-plane
 * route, changing nothing; the managed-identity endpoint checks X-IDENTITY-HEADER exactly.
 */
import net from "node:net";
import { networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ARM_AUDIENCE,
  DATA_PLANE_AUDIENCE,
  type Emulator,
  runEmulatorCli,
  startEmulator,
} from "../../src/emulator/mod.ts";
import { TokenIssuer } from "../../src/emulator/tokens.ts";
import { ARM_VERSION, client, DP_VERSION, send } from "../emulator/_https.ts";
import { eventually } from "./_helpers.ts";

/** This machine's own non-loopback IPv4 addresses (where a loopback-only listener must not answer). */
const OUTSIDE = Object.values(networkInterfaces()).flat()
  .filter((a) => a && a.family === "IPv4" && !a.internal).map((a) => a!.address);

function portsOf(emu: Emulator): number[] {
  return [emu.endpoint, emu.armEndpoint, emu.identityEndpoint].map((u) => Number(new URL(u).port));
}

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

describe("where the emulator listens", () => {
  it("on 127.0.0.1 only by default, without warnings", async () => {
    const emu = await startEmulator();
    try {
      expect(emu.host).toBe("127.0.0.1");
      expect(emu.warnings).toEqual([]);
      for (const port of portsOf(emu)) {
        expect(await reachable("127.0.0.1", port)).toBe(true);
        for (const address of OUTSIDE) expect(await reachable(address, port)).toBe(false);
      }
    } finally {
      await emu.stop();
    }
  });

  it("on every interface only when told (host 0.0.0.0), and it warns", async () => {
    const emu = await startEmulator({ host: "0.0.0.0" });
    try {
      expect(emu.host).toBe("0.0.0.0");
      expect(emu.warnings).toEqual([
        "The emulator listens on 0.0.0.0 (every network interface): other machines can reach its " +
        "data plane, Resource Manager and token endpoint, and use its keys and tokens. Bind to " +
        "127.0.0.1 (the default) unless you need that.",
      ]);
      expect(emu.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/); // what clients use
      for (const port of portsOf(emu)) {
        for (const address of ["127.0.0.1", ...OUTSIDE]) {
          expect(await reachable(address, port)).toBe(true);
        }
      }
      expect(JSON.stringify(emu)).toContain('"host":"0.0.0.0"');
    } finally {
      await emu.stop();
    }
  });

  it("refuses any other address, which its certificate and connection strings could not name", async () => {
    await expect(startEmulator({ host: "192.0.2.10" })).rejects.toThrow(
      new RangeError(
        'Cannot listen on host "192.0.2.10": it is not 127.0.0.1, 0.0.0.0 or ::. Clients reach ' +
          "the emulator at https://127.0.0.1:<port>/ (the address its certificate names): bind to " +
          "127.0.0.1, or to a wildcard address to also accept connections from other machines",
      ),
    );
    const localhost = await startEmulator({ host: "localhost" });
    expect([localhost.host, localhost.warnings]).toEqual(["127.0.0.1", []]);
    await localhost.stop();
  });

  it("the CLI takes --host and prints the warning on stderr; the default prints none", async () => {
    for (const [args, warned] of [[["--host", "0.0.0.0"], true], [[], false]] as const) {
      const stop = new AbortController();
      let out = "", err = "";
      const done = runEmulatorCli([...args], {
        stdout: (s) => (out += s),
        stderr: (s) => (err += s),
        signal: stop.signal,
      });
      await eventually(() => out.includes("Press Ctrl+C"));
      stop.abort();
      expect(await done).toBe(0);
      if (warned) {
        expect(err).toMatch(
          /^Warning: The emulator listens on 0\.0\.0\.0 \(every network interface\)/,
        );
        expect(out).toContain("  Listening on   0.0.0.0 (all interfaces)");
      } else {
        expect(err).toBe("");
        expect(out).not.toContain("Listening on");
      }
    }
    let err = "";
    expect(await runEmulatorCli(["--host", "10.0.0.1"], { stderr: (s) => (err += s) })).toBe(2);
    expect(err).toMatch(
      /^Cannot start the emulator: Cannot listen on host "10\.0\.0\.1": it is not 127\.0\.0\.1/,
    );
  });
});

describe("tokens and keys the emulator must refuse", () => {
  let emu: Emulator;
  let c: ReturnType<typeof client>;
  beforeAll(async () => {
    emu = await startEmulator();
    c = client(emu);
  });
  afterAll(() => emu.stop());

  const b64 = (v: object | string) =>
    Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
  function badTokens(audience: string): Record<string, string> {
    const good = emu.control.issueToken({ audience }).reveal();
    const [head, body, sig] = good.split(".");
    const claims = JSON.parse(Buffer.from(body, "base64url").toString());
    const other = new TokenIssuer(new Uint8Array(32).fill(7));
    return {
      "no Authorization header": "",
      "a Basic credential": "Basic dXNlcjpwYXNz",
      "Bearer without a token": "Bearer ",
      "two tokens": `Bearer ${good} ${good}`,
      "not a JWT": "Bearer not-a-token",
      "a JWT from another signer": `Bearer ${
        other.issue({ aud: audience, oid: claims.oid, clientId: claims.appid }, Date.now(), 3600)
      }`,
      "alg none, no signature": `Bearer ${b64({ alg: "none", typ: "JWT" })}.${body}.`,
      "a payload swapped under the signature": `Bearer ${head}.${
        b64({ ...claims, oid: "00000000-0000-0000-0000-00000000ffff" })
      }.${sig}`,
      "a truncated signature": `Bearer ${head}.${body}.${sig.slice(0, -2)}`,
      "expired": `Bearer ${emu.control.issueToken({ audience, lifetimeSeconds: -1 }).reveal()}`,
      "another audience": `Bearer ${
        emu.control.issueToken({ audience: "https://vault.azure.net" }).reveal()
      }`,
      "the other service's audience": `Bearer ${
        emu.control.issueToken({
          audience: audience === ARM_AUDIENCE ? DATA_PLANE_AUDIENCE : ARM_AUDIENCE,
        }).reveal()
      }`,
    };
  }
  const auth = (value: string): Record<string, string> => (value ? { authorization: value } : {});

  function state() {
    const k = emu.control.keys();
    return JSON.stringify([k.primary.reveal(), k.secondary.reveal(), k.enabled]);
  }

  it("on every ARM route, with nothing changed", async () => {
    const v = `?api-version=${ARM_VERSION}`;
    const operation = `/providers/Microsoft.Quantum/locations/eastus/operationStatuses/x${v}`;
    const routes: [string, string, object | undefined][] = [
      ["GET", v, undefined],
      ["PUT", v, { location: "eastus", properties: { apiKeyEnabled: false } }],
      ["PATCH", v, { tags: { owner: "mallory" } }],
      ["POST", `/listKeys${v}`, undefined],
      ["POST", `/regenerateKey${v}`, { keys: ["Primary", "Secondary"] }],
    ];
    const before = state();
    let tried = 0;
    for (const [name, value] of Object.entries(badTokens(ARM_AUDIENCE))) {
      for (const [method, path, body] of routes) {
        const res = await c.arm(method, path, body, auth(value));
        expect([name, method, path, res.status]).toEqual([name, method, path, 401]);
        expect(res.text).not.toContain(emu.control.keys().primary.reveal());
        tried++;
      }
      const op = await send(emu.armEndpoint + operation, {
        headers: auth(value),
        ca: emu.caCertificate,
      });
      expect([name, op.status]).toEqual([name, 401]);
    }
    expect(state()).toBe(before);
    expect((await c.arm("GET", v)).json().tags).not.toHaveProperty("owner");
    // The control: a good token passes.
    expect((await c.arm("POST", `/listKeys${v}`)).status).toBe(200);
    expect(tried).toBeGreaterThan(50);
  });

  it("on every data-plane route, and bad access keys too", async () => {
    const key = emu.control.keys().primary.reveal();
    const paths = ["providerStatus", "quotas", "jobs"].map((p) => `${p}?api-version=${DP_VERSION}`);
    const bad: Record<string, Record<string, string>> = Object.fromEntries(
      Object.entries(badTokens(DATA_PLANE_AUDIENCE)).map(([n, v]) => [n, auth(v)]),
    );
    Object.assign(bad, {
      "an empty key": { "x-ms-quantum-api-key": "" },
      "the key in another case": { "x-ms-quantum-api-key": key.toUpperCase() },
      "the key with a suffix": { "x-ms-quantum-api-key": `${key}x` },
      "a prefix of the key": { "x-ms-quantum-api-key": key.slice(0, -1) },
      "a wrong key and a good token": {
        "x-ms-quantum-api-key": "wrong",
        authorization: `Bearer ${
          emu.control.issueToken({ audience: DATA_PLANE_AUDIENCE }).reveal()
        }`,
      },
    });
    for (const [name, headers] of Object.entries(bad)) {
      for (const path of paths) {
        const res = await c.data(path, headers);
        expect([name, path, res.status, res.text]).toEqual([name, path, 401, ""]);
      }
    }
    expect((await c.data(paths[0])).status).toBe(200);
  });
});

describe("the managed-identity endpoint", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.stop());

  it("issues tokens only for the exact X-IDENTITY-HEADER", async () => {
    const secret = emu.env.IDENTITY_HEADER.reveal();
    const url = `${emu.identityEndpoint}?api-version=2019-08-01&resource=${
      encodeURIComponent(ARM_AUDIENCE)
    }`;
    const cases: [string, Record<string, string>, number][] = [
      ["missing", {}, 400],
      ["empty", { "X-IDENTITY-HEADER": "" }, 400],
      ["upper-cased", { "X-IDENTITY-HEADER": secret.toUpperCase() }, 401],
      ["a prefix", { "X-IDENTITY-HEADER": secret.slice(0, -1) }, 401],
      ["with a suffix", { "X-IDENTITY-HEADER": `${secret}=` }, 401],
      ["in another header", { "X-IDENTITY-SECRET": secret, Secret: secret }, 400],
      ["as a bearer token", { authorization: `Bearer ${secret}` }, 400],
    ];
    for (const [name, headers, status] of cases) {
      const res = await send(url, { headers });
      expect([name, res.status]).toEqual([name, status]);
      expect(res.text).not.toMatch(/access_token|eyJ/);
    }
    const ok = await send(url, { headers: { "X-IDENTITY-HEADER": secret } });
    expect(ok.status).toBe(200);
    expect(ok.json().access_token).toMatch(/^eyJ/);
  });
});
