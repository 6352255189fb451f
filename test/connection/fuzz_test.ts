import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isConnectionStringError } from "../../src/errors.ts";
import { AZURE_REGIONS } from "../../src/connection/azure_regions.ts";
import type { ConnectionInfo } from "../../src/connection/connection_info.ts";
import {
  formatConnectionString,
  parseConnectionString,
} from "../../src/connection/connection_string.ts";
import { isSecret } from "../../src/connection/secret.ts";
import { exposedText } from "./_leak.ts";

/**
 * Cases per property: 1,000 by default (CI), `FUZZ_RUNS=100000` for `npm run fuzz`. Seeds are
 * printed by fast-check on failure; replay one with `FUZZ_SEED=<seed>`.
 */
const RUNS = positiveInteger("FUZZ_RUNS", 1000);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const options = (runs = RUNS) => ({ numRuns: runs, ...(SEED === undefined ? {} : { seed: SEED }) });
const TIMEOUT = Math.max(30_000, RUNS * 5);

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`${name} must be a positive integer, not "${raw}"`);
  }
  return n;
}

const hex = (n: number) =>
  fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEF"), minLength: n, maxLength: n });
const guid = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((p) => p.join("-"));
const alnum = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
const workspace = fc.tuple(
  alnum,
  fc.string({ unit: fc.constantFrom(..."ab1-"), maxLength: 50 }),
  alnum,
)
  .map(([a, mid, z]) => a + mid + z);
const resourceGroup = fc.string({
  unit: fc.constantFrom(..."aZ9_()-.é名Д"),
  minLength: 1,
  maxLength: 90,
})
  .filter((s) => !s.endsWith("."));
const key = fc.string({
  unit: fc.constantFrom(..."ABCxyz0189_-/+="),
  minLength: 16,
  maxLength: 90,
});
/**
 * Keys as Azure hands them out (base64 with its `=` padding, or base64url, of 64 random bytes),
 * and short ones, whose text before the padding looks like a field name.
 */
const realisticKey = fc.oneof(
  fc.tuple(fc.uint8Array({ minLength: 8, maxLength: 24 }), fc.constant(false)),
  fc.tuple(fc.uint8Array({ minLength: 16, maxLength: 64 }), fc.boolean()),
).map(([bytes, url]) => Buffer.from(bytes).toString(url ? "base64url" : "base64"));
const endpoint = fc.oneof(
  fc.tuple(fc.constantFrom(...AZURE_REGIONS), fc.boolean(), fc.boolean()).map(
    ([r, v2, t]) => `https://${r}${v2 ? "-v2" : ""}.quantum${t ? "-test" : ""}.azure.com/`,
  ),
  fc.tuple(fc.constantFrom("127.0.0.1", "localhost"), fc.integer({ min: 1, max: 65535 })).map(
    ([h, p]) => `https://${h}:${p}/`,
  ),
);
const fields = fc.record({ sub: guid, rg: resourceGroup, ws: workspace, key, endpoint });
type Fields = { sub: string; rg: string; ws: string; key: string; endpoint: string };
const text = (f: Fields) =>
  `SubscriptionId=${f.sub};ResourceGroupName=${f.rg};WorkspaceName=${f.ws};ApiKey=${f.key};QuantumEndpoint=${f.endpoint};`;

/** The only two outcomes allowed: a valid ConnectionInfo, or a ConnectionStringError. */
function outcome(input: string): { info?: ConnectionInfo; error?: Error } {
  try {
    const info = parseConnectionString(input);
    expectValid(info);
    return { info };
  } catch (e) {
    expect(isConnectionStringError(e), `not a ConnectionStringError: ${String(e)}`).toBe(true);
    expect((e as Error).message).toMatch(/^Cannot parse connection string: .+\. .+/s);
    return { error: e as Error };
  }
}

function expectValid(info: ConnectionInfo) {
  expect(Object.keys(info).sort()).toEqual(
    [
      "apiKey",
      "endpoint",
      "isEmulator",
      "location",
      "resourceGroup",
      "sources",
      "subscriptionId",
      "workspaceKind",
      "workspaceName",
    ],
  );
  expect(isSecret(info.apiKey)).toBe(true);
  expect(info.apiKey!.reveal()).not.toMatch(/^$|[\s;]/);
  expect(info.endpoint).toMatch(/^https:\/\/[a-z0-9.-]+(:\d+)?\/$/);
  expect(["V1", "V2"]).toContain(info.workspaceKind);
  expect(parseConnectionString(formatConnectionString(info))).toEqual(info);
}

/** Asserts `error` shows neither the key nor any 12-character piece of it. */
function expectNoKeyIn(error: Error | undefined, secret: string) {
  if (!error) return;
  const shown = exposedText(error);
  expect(shown.includes(secret), "the key was echoed").toBe(false);
  for (let i = 0; i + 12 <= secret.length; i++) {
    const piece = secret.slice(i, i + 12);
    if (shown.includes(piece)) expect.fail(`a 12-character piece of the key at ${i} was echoed`);
  }
}

describe("connection strings under fuzzing", () => {
  test("parse(format(parse(s))) equals parse(s)", () => {
    fc.assert(
      fc.property(fields, (f) => {
        const x = parseConnectionString(text(f));
        expect(parseConnectionString(formatConnectionString(x))).toEqual(x);
        expect(x.apiKey?.reveal()).toBe(f.key);
      }),
      options(),
    );
  }, TIMEOUT);

  test("order, spacing and name case do not change the result", () => {
    const spaces = fc.string({ unit: fc.constantFrom(" ", "\t"), maxLength: 2 });
    fc.assert(
      fc.property(
        fields,
        fc.array(fc.tuple(spaces, spaces, spaces, fc.boolean()), { minLength: 5, maxLength: 5 }),
        fc.nat(),
        (f, pads, seed) => {
          const parts = text(f).slice(0, -1).split(";").map((p, i) => {
            const [a, b, c, upper] = pads[i];
            const [name, value] = [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)];
            return `${a}${upper ? name.toUpperCase() : name.toLowerCase()}${b}=${c}${value}`;
          });
          const rotated = [...parts.slice(seed % 5), ...parts.slice(0, seed % 5)];
          expect(parseConnectionString(rotated.join(";"))).toEqual(parseConnectionString(text(f)));
        },
      ),
      options(),
    );
  }, TIMEOUT);

  test("damaged strings throw ConnectionStringError without the key", () => {
    const damage = fc.tuple(fc.nat(), fc.nat(), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fields, damage, (f, [at, len, insert]) => {
        const s = text(f);
        const start = at % s.length;
        const damaged = s.slice(0, start) + insert + s.slice(start + (len % 8));
        try {
          parseConnectionString(damaged);
        } catch (e) {
          expect(isConnectionStringError(e)).toBe(true);
          expect(exposedText(e).includes(f.key)).toBe(false);
        }
      }),
      options(),
    );
  }, TIMEOUT);

  test("arbitrary text: a valid ConnectionInfo or a ConnectionStringError, nothing else", () => {
    const pieces = fc.constantFrom(
      ";",
      "=",
      " ",
      "\t",
      "\n",
      "\r\n",
      "\u0000",
      "\u00a0",
      "\ufeff",
      "\u202e",
      "ApiKey",
      "apikey",
      "SubscriptionId",
      "ResourceGroupName",
      "WorkspaceName",
      "QuantumEndpoint",
      "https://",
      "http://",
      "javascript:",
      "eastus",
      "-v2",
      ".quantum.azure.com",
      ".quantum-test.azure.com",
      "127.0.0.1:",
      "localhost",
      "/",
      ":",
      "11111111-2222-3333-4444-555555555555",
      "é",
      "名",
      "😀",
      "\ud800",
    );
    const anyText = fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.string({ unit: "grapheme", maxLength: 200 }),
      fc.array(pieces, { maxLength: 40 }).map((a) => a.join("")),
      fc.tuple(fields, fc.array(pieces, { maxLength: 6 }), fc.nat()).map(([f, add, at]) => {
        const s = text(f);
        const i = at % (s.length + 1);
        return s.slice(0, i) + add.join("") + s.slice(i);
      }),
    );
    fc.assert(fc.property(anyText, (input) => void outcome(input)), options());
  }, TIMEOUT);

  test(
    "mutated valid strings (fields dropped, duplicated, reordered, re-cased; unicode; control characters) never echo the key",
    () => {
      const names = [
        "SubscriptionId",
        "ResourceGroupName",
        "WorkspaceName",
        "ApiKey",
        "QuantumEndpoint",
      ];
      // Copy-paste debris: whitespace, control and invisible characters. (A letter or symbol
      // inserted into a key's padding makes "Body=x", which no parser can tell from "Name=x".)
      const junk = fc.oneof(
        fc.string({
          unit: fc.constantFrom(
            " ",
            "\t",
            "\r",
            "\n",
            "\u0000",
            "\u0007",
            "\u001b",
            "\u007f",
            "\u00a0",
            "\u2028",
            "\ufeff",
            "\u200b",
            "\u202e",
          ),
          minLength: 1,
          maxLength: 4,
        }),
        fc.constantFrom("\u001b[31m", "\r\n", "\u00ad"),
      );
      const mutation = fc.oneof(
        fc.record({ kind: fc.constant("drop" as const), i: fc.nat(4) }),
        fc.record({ kind: fc.constant("duplicate" as const), i: fc.nat(4), same: fc.boolean() }),
        fc.record({
          kind: fc.constant("shuffle" as const),
          order: fc.shuffledSubarray([0, 1, 2, 3, 4], { minLength: 5 }),
        }),
        fc.record({
          kind: fc.constant("recase" as const),
          i: fc.nat(4),
          mask: fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
        }),
        fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), what: junk }),
        fc.record({
          kind: fc.constant("unname" as const),
          i: fc.constantFrom(0, 1, 2, 3, 3, 3, 4),
        }),
        fc.record({ kind: fc.constant("noEquals" as const), i: fc.nat(4) }),
        fc.record({
          kind: fc.constant("splitKey" as const),
          at: fc.nat(),
          ws: fc.constantFrom(" ", "\n", "\t", "\r\n"),
        }),
        fc.record({
          kind: fc.constant("unknown" as const),
          name: fc.oneof(
            fc.constantFrom("Foo", "ApiKye", "Location", "EndpointSuffix"),
            fc.string({ unit: alnum, minLength: 1, maxLength: 40 }),
          ),
        }),
        fc.record({
          kind: fc.constant("value" as const),
          i: fc.constantFrom(0, 1, 2, 4),
          to: fc.string({ unit: "grapheme", maxLength: 30 }),
        }),
        // Name and value swapped (`<key>=ApiKey`): issue 13, finding 9.
        fc.record({ kind: fc.constant("swap" as const), i: fc.nat(4) }),
        // The key pasted into an identifier field: issue 13, finding 6.
        fc.record({ kind: fc.constant("keyInto" as const), i: fc.constantFrom(1, 2) }),
        fc.record({
          kind: fc.constant("wrap" as const),
          left: fc.constantFrom('"', "'", "\ufeff", " \n"),
          right: fc.constantFrom('"', "'", "", "\n\n"),
        }),
      );
      const keyed = fc.record({
        sub: guid,
        rg: resourceGroup,
        ws: workspace,
        key: realisticKey,
        endpoint,
      });
      fc.assert(
        fc.property(keyed, fc.array(mutation, { minLength: 1, maxLength: 4 }), (f, mutations) => {
          const values = [f.sub, f.rg, f.ws, f.key, f.endpoint];
          let parts = names.map((n, i) => `${n}=${values[i]}`);
          let wrap = ["", ""];
          for (const m of mutations) {
            const i = "i" in m ? m.i % Math.max(parts.length, 1) : 0;
            switch (m.kind) {
              case "drop":
                parts.splice(i, 1);
                break;
              case "duplicate":
                parts.push(m.same ? parts[i] ?? "" : `${(parts[i] ?? "x=").split("=")[0]}=other`);
                break;
              case "shuffle":
                parts = m.order.filter((j) => j < parts.length).map((j) => parts[j]);
                break;
              case "recase": {
                const p = parts[i] ?? "";
                const eq = Math.max(p.indexOf("="), 0);
                const name = [...p.slice(0, eq)].map((
                  c,
                  k,
                ) => (m.mask[k % 20] ? c.toUpperCase() : c.toLowerCase())).join("");
                parts[i] = name + p.slice(eq);
                break;
              }
              case "insert": {
                const joined = parts.join(";");
                const at = m.at % (joined.length + 1);
                parts = (joined.slice(0, at) + m.what + joined.slice(at)).split(";");
                break;
              }
              case "unname":
                if (parts[i]) parts[i] = parts[i].slice(parts[i].indexOf("=") + 1);
                break;
              case "noEquals":
                if (parts[i]) parts[i] = parts[i].replace("=", "");
                break;
              case "splitKey": {
                const k = parts.findIndex((p) => p.startsWith("ApiKey="));
                if (k >= 0) {
                  const at = 7 + (m.at % (parts[k].length - 6));
                  parts[k] = parts[k].slice(0, at) + m.ws + parts[k].slice(at);
                }
                break;
              }
              case "unknown":
                parts.push(`${m.name}=x`);
                break;
              case "value": {
                const k = parts.findIndex((p) => p.startsWith(`${names[m.i]}=`));
                if (k >= 0) parts[k] = `${names[m.i]}=${m.to}`;
                break;
              }
              case "swap": {
                const p = parts[i] ?? "";
                const eq = p.indexOf("=");
                if (eq >= 0) parts[i] = `${p.slice(eq + 1)}=${p.slice(0, eq)}`;
                break;
              }
              case "keyInto": {
                const k = parts.findIndex((p) => p.startsWith(`${names[m.i]}=`));
                if (k >= 0) parts[k] = `${names[m.i]}=${f.key}`;
                break;
              }
              case "wrap":
                wrap = [m.left, m.right];
                break;
            }
          }
          const input = wrap[0] + parts.join(";") + ";" + wrap[1];
          const { info, error } = outcome(input);
          expectNoKeyIn(error, f.key);
          if (info) expect(input).toContain(info.apiKey!.reveal());
          // A whole Azure key (64 bytes) is never accepted as an identifier (issue 13, finding 6).
          if (info && f.key.length >= 80) {
            expect([info.resourceGroup, info.workspaceName]).not.toContain(f.key);
          }
        }),
        options(),
      );
    },
    TIMEOUT,
  );

  test("100 KB inputs: a typed outcome, in linear time", () => {
    const good =
      `SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=rg;WorkspaceName=ws;`;
    const end = "QuantumEndpoint=https://eastus.quantum.azure.com/;";
    const shapes: Record<string, (n: number) => string> = {
      "a huge key": (n) => `${good}ApiKey=${"Ab0/".repeat(n / 4)};${end}`,
      "a huge key with a space at the end": (n) => `${good}ApiKey=${"A".repeat(n)} x;${end}`,
      "semicolons": (n) => ";".repeat(n),
      "equals signs": (n) => "=".repeat(n),
      "whitespace": (n) => " \t\r\n".repeat(n / 4),
      "tiny unknown fields": (n) => "a=b;".repeat(n / 4),
      "repeated ApiKey": (n) => `${good}${"ApiKey=k;".repeat(n / 9)}`,
      "a huge unknown name": (n) => `${"A".repeat(n)}=v;`,
      "a huge subscription id": (n) =>
        `SubscriptionId=${"1".repeat(n)};ResourceGroupName=rg;WorkspaceName=ws;ApiKey=k;${end}`,
      "a huge resource group": (n) =>
        `SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=${
          "名".repeat(n)
        };WorkspaceName=ws;ApiKey=k;${end}`,
      "a huge workspace name": (n) =>
        `SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=rg;WorkspaceName=${
          "a1-".repeat(n / 3)
        }!;ApiKey=k;${end}`,
      "a huge host": (n) =>
        `${good}ApiKey=k;QuantumEndpoint=https://${"a".repeat(n)}.quantum.azure.com/;`,
      "a host of many labels": (n) =>
        `${good}ApiKey=k;QuantumEndpoint=https://${"a-".repeat(n / 2)}.quantum.azure.com/;`,
      "a host of many dots": (n) =>
        `${good}ApiKey=k;QuantumEndpoint=https://${"a.".repeat(n / 2)}quantum.azure.com/;`,
      "a huge port": (n) => `${good}ApiKey=k;QuantumEndpoint=https://127.0.0.1:${"1".repeat(n)}/;`,
      "a huge path": (n) =>
        `${good}ApiKey=k;QuantumEndpoint=https://eastus.quantum.azure.com/${"a/".repeat(n / 2)};`,
      "a huge scheme": (n) => `${good}ApiKey=k;QuantumEndpoint=${"h".repeat(n)}://x;`,
      "no scheme separator": (n) => `${good}ApiKey=k;QuantumEndpoint=https:${"/".repeat(n)}`,
      "control characters": (n) => "\u0000\u0001\u001f\u007f".repeat(n / 4),
      "lone surrogates": (n) => "\ud800".repeat(n),
    };
    const time = (input: string) => {
      const t0 = performance.now();
      outcome(input);
      return performance.now() - t0;
    };
    for (const [name, make] of Object.entries(shapes)) {
      const small = make(100_000);
      expect(small.length, name).toBeGreaterThanOrEqual(99_000);
      time(make(1000)); // warm up
      const t100 = Math.min(time(small), time(small), time(small));
      const large = make(800_000);
      const t800 = Math.min(time(large), time(large), time(large));
      // Quadratic work on 100 KB is ~10^10 steps (seconds); linear is well under a millisecond
      // per 100 KB. 8× the input may take ~8× the time (plus allocation noise), not 64×.
      expect(t100, `${name}: 100 KB took ${t100.toFixed(1)} ms`).toBeLessThan(100);
      expect(t800, `${name}: 800 KB took ${t800.toFixed(1)} ms`).toBeLessThan(
        Math.max(32 * t100, 400),
      );
    }
    // And generated ones: random mixes of the pieces above, 100 KB each.
    const big = fc.tuple(fc.constantFrom(...Object.values(shapes)), fc.string({ maxLength: 20 }))
      .map(([make, tail]) => make(100_000) + tail);
    fc.assert(
      fc.property(big, (input) => {
        expect(time(input)).toBeLessThan(100);
      }),
      options(Math.max(20, Math.round(RUNS / 50))),
    );
  }, TIMEOUT);
});
