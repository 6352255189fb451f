import { describe, expect, it } from "vitest";
import { inspect } from "node:util";
import { Secret } from "../../src/connection/secret.ts";
import {
  KeyStatus,
  KeyToggleResult,
  NotApplied,
  RegenerateResult,
  RotationReport,
} from "../../src/keys/results.ts";
import { listKeysResultFrom } from "../../src/arm/list_keys_result.ts";
import { putBodyFor } from "../../src/arm/arm_types.ts";
import { credentialError } from "../../src/arm/arm_errors.ts";
import { expectNoSecrets } from "./_emulator.ts";

const EVIL = `<img src=x onerror="alert(1)">`;
const PRIMARY = "primary-key-value-0123456789abcdefghijklmnopqrstuvwxyz";
const SECONDARY = "secondary-key-value-0123456789abcdefghijklmnopqrstuvwxyz";
const keys = listKeysResultFrom({
  apiKeyEnabled: true,
  primaryKey: { key: PRIMARY, createdAt: "2026-01-01T00:00:00Z" },
  secondaryKey: { key: SECONDARY },
  primaryConnectionString: `SubscriptionId=x;ApiKey=${PRIMARY};`,
});

function results() {
  const report = new RotationReport(EVIL);
  report.steps.push({ name: "find key in use", status: "ok", ms: 12.4, detail: EVIL });
  report.stoppedAt = "regenerate old key";
  report.steps.push({ name: "regenerate old key", status: "failed", ms: 3, detail: "HTTP 500" });
  return [
    new KeyStatus(EVIL, keys, new Secret(SECONDARY), new Date("2026-01-02T00:00:00Z")),
    new NotApplied({
      operation: "disable",
      reason: "confirmation-required",
      workspaceName: EVIL,
      would: `disable access keys of workspace '${EVIL}'`,
      impact: "Every connection string and access key stops working.",
      fix: "Run again with { confirm: true }.",
    }),
    new KeyToggleResult({
      operation: "disable",
      workspaceName: EVIL,
      before: true,
      after: false,
      putStatus: 201,
      polls: 1,
      ms: 1000,
    }),
    new RegenerateResult({
      workspaceName: EVIL,
      keys: [{ slot: "secondary", before: "sha256:00000000", after: "sha256:11111111" }],
      kernelKeyRevoked: false,
      connectionDropped: true,
      ms: 10,
    }),
    report,
  ];
}

describe("key results", () => {
  it("render escaped HTML, text, JSON and inspect output without any key", () => {
    for (const r of results()) {
      const bundle = r.toMimeBundle();
      expect(bundle["text/html"]).not.toContain("<img");
      expect(bundle["text/html"]).toContain("&lt;img");
      expect(inspect(r)).toBe(bundle["text/plain"]);
      expect(r[Symbol.for("Jupyter.display") as keyof typeof r]).toBeTypeOf("function");
      expect(JSON.parse(JSON.stringify(r))).toEqual(bundle["application/json"]);
      expectNoSecrets([PRIMARY, SECONDARY], r, bundle, keys);
    }
  });

  it("KeyStatus: ages, in-use marker and a missing createdAt", () => {
    const status = results()[0] as KeyStatus;
    expect(status.inUse).toBe("secondary");
    expect(status.primary).toMatchObject({
      createdAt: "2026-01-01T00:00:00.000Z",
      ageMs: 86_400_000,
    });
    expect(status.secondary?.createdAt).toBeUndefined();
    const text = status.toMimeBundle()["text/plain"];
    expect(text).toContain("created 2026-01-01T00:00:00.000Z (1 d ago)");
    expect(text).toMatch(/Secondary: +sha256:[0-9a-f]{8} {2}← in use/);
  });

  it("NotApplied and RotationReport say what happened", () => {
    const [, notApplied, , , report] = results() as [
      unknown,
      NotApplied,
      unknown,
      unknown,
      RotationReport,
    ];
    expect(notApplied.message).toBe(
      `Not done: this would disable access keys of workspace '${EVIL}'. Every connection string and access key ` +
        "stops working. Run again with { confirm: true }.",
    );
    expect(report.completed).toBe(false);
    expect(report.toMimeBundle()["text/plain"].split("\n")[0]).toBe(
      `Key rotation of ${EVIL}: stopped at "regenerate old key"`,
    );
  });

  it("putBodyFor() drops read-only fields and sets apiKeyEnabled, leaving the GET result alone", () => {
    const got = {
      id: "/subscriptions/s/x",
      name: "ws",
      type: "Microsoft.Quantum/Workspaces",
      location: "eastus",
      tags: { a: "b" },
      identity: { type: "SystemAssigned", principalId: "p", tenantId: "t" },
      systemData: {},
      properties: {
        providers: [{ providerId: "ionq", providerSku: "pay-as-you-go" }],
        provisioningState: "Succeeded",
        usable: "Yes",
        endpointUri: "https://x",
        storageAccount: "/sa",
        apiKeyEnabled: true,
      },
    };
    expect(putBodyFor(got, false)).toEqual({
      location: "eastus",
      tags: { a: "b" },
      identity: { type: "SystemAssigned" },
      properties: {
        providers: [{ providerId: "ionq", providerSku: "pay-as-you-go" }],
        storageAccount: "/sa",
        apiKeyEnabled: false,
      },
    });
    expect(got.properties.apiKeyEnabled).toBe(true);
  });

  it("credentialError() redacts token-like text and keeps only the cause's name", () => {
    const token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ";
    const e = credentialError(
      { name: "AuthenticationError", message: `token ${token} rejected` },
      "list the access keys",
      "ws",
    );
    expect(e.code).toBe("CredentialFailed");
    expect(e.message).toContain("(AuthenticationError: token [redacted] rejected)");
    expect(e.cause).toEqual({ name: "AuthenticationError" });
    expectNoSecrets([token], e);
  });
});
