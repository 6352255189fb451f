import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { isConnectionStringError } from "../../src/errors.ts";
import { AZURE_REGIONS } from "../../src/connection/azure_regions.ts";
import {
  formatConnectionString,
  parseConnectionString,
} from "../../src/connection/connection_string.ts";
import { exposedText } from "./_leak.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
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
const endpoint = fc.oneof(
  fc.tuple(fc.constantFrom(...AZURE_REGIONS), fc.boolean(), fc.boolean()).map(
    ([r, v2, t]) => `https://${r}${v2 ? "-v2" : ""}.quantum${t ? "-test" : ""}.azure.com/`,
  ),
  fc.tuple(fc.constantFrom("127.0.0.1", "localhost"), fc.integer({ min: 1, max: 65535 })).map(
    ([h, p]) => `https://${h}:${p}/`,
  ),
);
const fields = fc.record({ sub: guid, rg: resourceGroup, ws: workspace, key, endpoint });
const text = (f: { sub: string; rg: string; ws: string; key: string; endpoint: string }) =>
  `SubscriptionId=${f.sub};ResourceGroupName=${f.rg};WorkspaceName=${f.ws};ApiKey=${f.key};QuantumEndpoint=${f.endpoint};`;

describe("connection strings under fuzzing", () => {
  test("parse(format(parse(s))) equals parse(s)", () => {
    fc.assert(
      fc.property(fields, (f) => {
        const x = parseConnectionString(text(f));
        expect(parseConnectionString(formatConnectionString(x))).toEqual(x);
        expect(x.apiKey?.reveal()).toBe(f.key);
      }),
      { numRuns: RUNS },
    );
  });

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
      { numRuns: RUNS },
    );
  });

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
      { numRuns: RUNS },
    );
  });
});
