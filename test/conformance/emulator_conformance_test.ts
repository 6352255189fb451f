/**
 * Conformance, emulator side: for every recorded Azure exchange, the emulator's answer to the same
 * request (over real HTTPS) matches the recording in status, the headers clients act on and body
 * shape, except for the differences in the reviewed allow-list, each of which must still occur.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMULATOR_USER_ID, type Emulator, startEmulator } from "../../src/emulator/mod.ts";
import { ALLOWED_DIFFERENCES, unexplained } from "./allowed_differences.ts";
import { EXCHANGES, exchange, READER_ID } from "./exchanges.ts";
import { cliPutBody, replay, type Target } from "./replay.ts";
import { type Answer, differences } from "./shape.ts";

let emulator: Emulator;
let target: Target;
let offset = 0;
const answers = new Map<string, Answer>();

async function put(): Promise<Answer> {
  const current = JSON.parse((await replay(target, exchange("arm.workspace.get"))).text);
  return replay(target, exchange("arm.workspace.put"), { body: cliPutBody(current, false) });
}

beforeAll(async () => {
  emulator = await startEmulator({ now: () => Date.now() + offset });
  // The recorded data-plane calls with a bearer token came from a caller Azure let in: under the
  // emulator's default rule (dataRoles) that takes a Quantum Workspace Data role.
  emulator.control.assignRole("Quantum Workspace Data Contributor");
  target = {
    name: "emulator",
    ids: emulator.workspace,
    dataPlane: emulator.endpoint,
    arm: emulator.armEndpoint,
    ca: emulator.caCertificate,
    vault: emulator.keyVaultUrl,
    token: (audience) =>
      Promise.resolve(emulator.control.issueToken({
        audience: { arm: "https://management.azure.com", dataPlane: "https://quantum.microsoft.com", vault: "https://vault.azure.net" }[audience],
      }).reveal()),
    key: () => Promise.resolve(emulator.control.keys().primary.reveal()),
  };
  // Exchanges that need state: a PUT that changes something, an operation seen running and done,
  // keys disabled, a role assignment for a principal of the emulator's directory, a secret
  // version that exists. Everything else is sent as recorded.
  const special = new Set([
    "arm.workspace.put",
    "arm.operation.accepted",
    "arm.operation.succeeded",
    "dataPlane.jobs.keysDisabled",
    "authorization.roleAssignments.create",
    "vault.secret.set",
    "vault.secret.get",
    "vault.secret.latest",
    "vault.secret.versions",
  ]);
  for (const e of EXCHANGES) if (!special.has(e.id)) answers.set(e.id, await replay(target, e));

  answers.set("arm.workspace.put", await put());
  emulator.control.setKeysEnabled(true);

  emulator.control.setLro({ durationMs: 60_000 });
  const running = await put();
  const url = running.headers["azure-asyncoperation"]!;
  answers.set("arm.operation.accepted", await replay(target, exchange("arm.operation.accepted"), { url }));
  offset += 60_000;
  answers.set("arm.operation.succeeded", await replay(target, exchange("arm.operation.succeeded"), { url }));
  emulator.control.setLro({ durationMs: 0 });
  emulator.control.setKeysEnabled(true);

  emulator.control.setKeysEnabled(false);
  answers.set("dataPlane.jobs.keysDisabled", await replay(target, exchange("dataPlane.jobs.keysDisabled")));
  emulator.control.setKeysEnabled(true);

  const create = exchange("authorization.roleAssignments.create");
  emulator.control.setRole("Owner"); // creating role assignments takes Owner (or User Access Administrator)
  answers.set(create.id, await replay(target, create, {
    body: {
      properties: {
        roleDefinitionId: `/subscriptions/${target.ids.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${READER_ID}`,
        principalId: EMULATOR_USER_ID,
        principalType: "User",
      },
    },
  }));
  emulator.control.setRole("Contributor");

  const set = await replay(target, exchange("vault.secret.set"));
  answers.set("vault.secret.set", set);
  const versionUrl = JSON.parse(set.text).id as string; // {vault}/secrets/{name}/{version}
  const get = exchange("vault.secret.get");
  answers.set(get.id, await replay(target, get, { url: `${versionUrl}?api-version=${get.request.apiVersion}` }));
  answers.set("vault.secret.latest", await replay(target, exchange("vault.secret.latest")));
  answers.set("vault.secret.versions", await replay(target, exchange("vault.secret.versions")));
});
afterAll(() => emulator.stop());

describe("the emulator answers every recorded exchange as Azure did", () => {
  for (const e of EXCHANGES) {
    it(`${e.id}: ${e.request.method} ${e.request.path.replace(/^.*\/workspaces\/\{ws\}/, "{P}")} (${e.source.repo})`, () => {
      const found = differences(e, answers.get(e.id)!);
      expect(unexplained(e.id, found), `differences not in the allow-list`).toEqual([]);
      for (const allowed of ALLOWED_DIFFERENCES.filter((a) => a.exchange === e.id)) {
        expect(
          allowed.covers.every((prefix) => found.some((d) => d.startsWith(prefix))),
          `allow-list entry "${allowed.id}" no longer happens: remove it (found: ${JSON.stringify(found)})`,
        ).toBe(true);
      }
    });
  }

  it("sends x-ms-request-id on every answer (Azure does; the recorders dropped it)", () => {
    for (const [id, answer] of answers) expect([id, answer.headers["x-ms-request-id"]]).toEqual([id, expect.stringMatching(/^[0-9a-f-]{36}$/)]);
  });

  it("every allow-list entry that names an exchange names a recorded one", () => {
    for (const a of ALLOWED_DIFFERENCES) if (a.exchange) expect(EXCHANGES.map((e) => e.id)).toContain(a.exchange);
  });
});
