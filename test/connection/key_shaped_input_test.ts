/**
 * Issue 13, findings 6, 9 and 16: a key where an identifier belongs (values swapped), a key with a
 * control character, and a key in a field name. Each is refused with an error that shows no key.
 * Only the public API is used, so the same file runs against older versions.
 */
import { describe, expect, it } from "vitest";
import {
  connect,
  isConnectionStringError,
  loadConnection,
  parseConnectionString,
} from "../../mod.ts";
import { expectNoLeak, rejected, thrown } from "./_leak.ts";

const SUB = "11111111-2222-3333-4444-555555555555";
const END = "QuantumEndpoint=https://eastus.quantum.azure.com/;";
const cs = (rg: string, ws: string, key: string) =>
  `SubscriptionId=${SUB};ResourceGroupName=${rg};WorkspaceName=${ws};ApiKey=${key};${END}`;

// mulberry32: the same "random" keys every run (the rule lets about 1 in 1,000 43-character keys
// through, so random ones would make a flaky test).
let seed = 13;
function randomBytes(n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}
/** Keys as Azure makes them: 64 random bytes (86 base64url characters) or 32 (43). */
const azureKey = (bytes = 64) => randomBytes(bytes).toString("base64url");
/** A 43-character key that is also a valid workspace name (no `_`, no `-` at either end). */
const workspaceShapedKey = () => `k${azureKey(32).replace(/[_-]/g, "x").slice(1, -1)}k`;

describe("an identifier that looks like an access key (finding 6)", () => {
  it("is refused as ResourceGroupName, naming the field and never the value", () => {
    const refused = { 32: 0, 64: 0 };
    for (let i = 0; i < 1000; i++) {
      const bytes = i % 2 ? 64 : 32;
      const key = azureKey(bytes);
      let e: Error;
      try {
        parseConnectionString(cs(key, "ws", "k"));
        continue; // the rule's rare miss (about 1 in 1,000 43-character keys): counted below
      } catch (error) {
        e = error as Error;
      }
      refused[bytes]++;
      expect(isConnectionStringError(e)).toBe(true);
      expect((e as { field?: string }).field).toBe("ResourceGroupName");
      expect(e.message).toBe(
        "Cannot parse connection string: ResourceGroupName is invalid. It looks like an access key, " +
          "not a resource group name: check that the fields are not swapped, and copy the " +
          "connection string again",
      );
      expectNoLeak(e, key);
    }
    expect(refused[64]).toBe(500);
    expect(refused[32]).toBeGreaterThanOrEqual(497);
  });

  it("is refused as WorkspaceName, from a connection string or a variable", () => {
    for (let i = 0; i < 20; i++) {
      const key = workspaceShapedKey();
      const e = thrown(() => parseConnectionString(cs("rg", key, "k")));
      expect((e as { field?: string }).field).toBe("WorkspaceName");
      expect(e.message).toMatch(/WorkspaceName is invalid\. It looks like an access key/);
      expectNoLeak(e, key);
    }
    const key = azureKey();
    const e = thrown(() =>
      loadConnection({
        env: {
          AZURE_QUANTUM_SUBSCRIPTION_ID: SUB,
          AZURE_QUANTUM_WORKSPACE_RG: key,
          AZURE_QUANTUM_WORKSPACE_NAME: "ws",
          AZURE_QUANTUM_WORKSPACE_LOCATION: "eastus",
        },
        envFile: false,
      })
    );
    expect(e.message).toMatch(
      /^Cannot load connection: env AZURE_QUANTUM_WORKSPACE_RG is invalid\. It looks like an access key/,
    );
    expectNoLeak(e, key);
  });

  it("is refused by connect() before any request is sent (so never in a URL)", async () => {
    const key = azureKey();
    let requests = 0;
    const e = await rejected(
      connect({
        subscriptionId: SUB,
        resourceGroup: key,
        workspaceName: "ws",
        location: "eastus",
        env: {},
        envFile: false,
        fetch: () => (requests++, Promise.resolve(new Response("{}"))),
        armFetch: () => (requests++, Promise.resolve(new Response("{}"))),
        credential: { getToken: () => Promise.resolve({ token: "t", expiresOnTimestamp: 0 }) },
        progress: false,
      }),
    );
    expect(isConnectionStringError(e)).toBe(true);
    expect(requests).toBe(0);
    expectNoLeak(e, key);
  });

  it("accepts every valid name of the reference vectors, and long names made of words", () => {
    const names = [
      "my-resource-group",
      "rg123",
      "a".repeat(90),
      "a",
      "my.resource.group",
      "group(test)",
      "(parentheses)",
      "123-group",
      "my-group.v2",
      "rg_test(prod)-v1.2",
      "café",
      "日本語",
      "Казан",
      "αβγ",
      "group_名前",
      "test.group(1)-name_v2",
      // Long names as Azure and people make them.
      "AzureQuantum-ResourceGroup-For-Testing-2024-Project",
      "MC_myResourceGroup_myAKSCluster_eastus2",
      "MA_defaultazuremonitorworkspace-eus_eastus_managed",
      "databricks-rg-adb-workspace-3ofd7kj2xplm4q8rzs1xw0vn",
      "synapseworkspace-managedrg-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
      "DefaultResourceGroup-WestEurope-QuantumWorkspaces2024",
      "MyVeryLongResourceGroupNameForQuantumComputing2024",
      "1".repeat(90),
    ];
    for (const rg of names) {
      expect(parseConnectionString(cs(rg, "ws", "k")).resourceGroup, rg).toBe(rg);
    }
    for (
      const ws of [
        "12",
        "WORKSPACE",
        "myWorkSpace",
        "w0rksp4c3",
        "workspace----------test",
        "a".repeat(54),
        "1".repeat(54),
        "QuantumWorkspace-Production-WestEurope-2024-Team1",
      ]
    ) {
      expect(parseConnectionString(cs("rg", ws, "k")).workspaceName, ws).toBe(ws);
    }
  });
});

describe("a key with a control or invisible character (finding 16)", () => {
  const key = azureKey();
  for (
    const [what, bad] of [
      ["a NUL after it", `${key}\u0000`],
      ["a NUL inside it", `${key.slice(0, 20)}\u0000${key.slice(20)}`],
      ["an escape sequence", `\u001b[31m${key}`],
      ["a DEL", `${key}\u007f`],
      ["a zero-width space", `${key}\u200b`],
      ["a right-to-left override", `\u202e${key}`],
      ["a non-ASCII letter", `${key}é`],
    ] as const
  ) {
    it(`is refused with ${what}, in a connection string or as apiKey`, async () => {
      const e = thrown(() => parseConnectionString(cs("rg", "ws", bad)));
      expect(isConnectionStringError(e)).toBe(true);
      expect((e as { field?: string }).field).toBe("ApiKey");
      expect(e.message).toBe(
        "Cannot parse connection string: ApiKey holds a control, invisible or non-ASCII character. " +
          "Copy the key again from the Azure portal (Operations > Access keys)",
      );
      expectNoLeak(e, key, bad);

      // With the documented `fetch` option, the key must not reach a header (whose error echoes it).
      let requests = 0;
      const viaArgument = await rejected(
        connect({
          subscriptionId: SUB,
          resourceGroup: "rg",
          workspaceName: "ws",
          location: "eastus",
          apiKey: bad,
          env: {},
          envFile: false,
          fetch: (request) => (requests++, request.text().then(() => new Response("{}"))),
          progress: false,
        }),
      );
      expect(isConnectionStringError(viaArgument), String(viaArgument)).toBe(true);
      expect(viaArgument.message).toMatch(
        /^Cannot load connection: argument apiKey holds a control, invisible or non-ASCII character/,
      );
      expect(requests).toBe(0);
      expectNoLeak(viaArgument, key, bad);
    });
  }
});

describe("a key in a field name (finding 9)", () => {
  it("is not echoed when name and value are swapped (<key>=ApiKey)", () => {
    const words = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";
    for (let i = 0; i < 500; i++) {
      const length = 12 + (i % 21); // 12..32 word characters: short keys, test keys
      const bytes = randomBytes(length);
      const key = "K" + [...bytes].slice(1).map((b) => words[b % words.length]).join("");
      const text =
        `SubscriptionId=${SUB};ResourceGroupName=rg;WorkspaceName=ws;${key}=ApiKey;${END}`;
      const e = thrown(() => parseConnectionString(text));
      expect(e.message).toBe(
        "Cannot parse connection string: it has a field with an unexpected name. Use only the " +
          'fields SubscriptionId, ResourceGroupName, WorkspaceName, ApiKey and QuantumEndpoint, and nothing after the final ";"',
      );
      expect((e as { field?: string }).field).toBeUndefined();
      expectNoLeak(e, key);
    }
  });

  it("is not echoed when it holds digits or capitals in a row, even with an ordinary value", () => {
    for (const name of ["Xy7Gh2Kq9Lm4Np1Rs", "aB3dE5fG7hJ9kL1m", "ABCDEFGHKLMNPQRS", "key_Ab9"]) {
      const e = thrown(() => parseConnectionString(`${cs("rg", "ws", "k")}${name}=x;`));
      expect(e.message).toMatch(/it has a field with an unexpected name/);
      expectNoLeak(e, name);
    }
  });

  it("still names a mistyped field made of words", () => {
    for (const name of ["ApiKye", "Location", "EndpointSuffix", "Foo", "endpoint_suffix"]) {
      const e = thrown(() => parseConnectionString(`${cs("rg", "ws", "k")}${name}=1;`));
      expect(e.message, name).toMatch(new RegExp(`: unknown field ${name}\\. `));
      expect((e as { field?: string }).field).toBe(name);
    }
  });
});
