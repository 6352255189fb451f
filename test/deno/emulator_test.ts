import assert from "node:assert/strict";
import { type Emulator, startEmulator } from "../../src/emulator/mod.ts";

// deno.json's "dom" lib hides Deno's `client` field of RequestInit.
type DenoInit = RequestInit & { client: Deno.HttpClient };

function providerStatusUrl(emulator: Emulator): URL {
  const ws = emulator.workspace;
  return new URL(
    `subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.Quantum` +
      `/workspaces/${ws.workspaceName}/providerStatus?api-version=2025-12-01-preview`,
    emulator.endpoint,
  );
}

Deno.test("startEmulator() serves providerStatus to Deno's fetch trusting only the emulator CA", async () => {
  const emulator = await startEmulator();
  const client = Deno.createHttpClient({ caCerts: [emulator.caCertificate] });
  try {
    const url = providerStatusUrl(emulator);
    const headers = { "x-ms-quantum-api-key": emulator.control.keys().primary.reveal() };
    const res = await fetch(url, { client, headers } as DenoInit);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("x-ms-request-id") ?? "", /^[0-9a-f-]{36}$/);
    const body = await res.json();
    assert.equal(body.value[0].id, "ionq");
    assert.equal(body.nextLink, null);

    await assert.rejects(fetch(url, { headers }));
    emulator.control.setFaults([{ fault: "drop" }]);
    await assert.rejects(fetch(url, { client, headers } as DenoInit));
  } finally {
    client.close();
    await emulator.stop();
  }
});

Deno.test("a drop at: 'response' cuts the answer part-way under Deno too; the next request works", async () => {
  const emulator = await startEmulator();
  const client = Deno.createHttpClient({ caCerts: [emulator.caCertificate] });
  try {
    const url = providerStatusUrl(emulator);
    const headers = { "x-ms-quantum-api-key": emulator.control.keys().primary.reveal() };
    emulator.control.setFaults([{ fault: "drop", at: "response" }]);
    const cut = await fetch(url, { client, headers } as DenoInit);
    assert.equal(cut.status, 200); // the status line and headers came…
    await assert.rejects(cut.text()); // …the body did not
    const whole = await fetch(url, { client, headers } as DenoInit);
    assert.equal((await whole.json()).value[0].id, "ionq");
    assert.deepEqual(
      emulator.control.requestLog({ listener: "dataPlane" }).map((e) => [e.status, e.fault]),
      [[0, "drop"], [200, undefined]],
    );
  } finally {
    client.close();
    await emulator.stop();
  }
});

Deno.test("a request body over the limit gets 413 under Deno's node:https too, unread", async () => {
  const emulator = await startEmulator({ maxRequestBodyBytes: 4096 });
  const client = Deno.createHttpClient({ caCerts: [emulator.caCertificate] });
  try {
    const url = new URL(`/providers/Microsoft.Quantum/x?api-version=1`, emulator.armEndpoint);
    const res = await fetch(url, { client, method: "POST", body: new Uint8Array(5000) } as DenoInit);
    assert.equal(res.status, 413);
    assert.equal((await res.json()).error.code, "RequestEntityTooLarge");
    assert.equal(emulator.control.requestCount(), 0);
  } finally {
    client.close();
    await emulator.stop();
  }
});
