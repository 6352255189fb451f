/**
 * connect() and a `.env` another kernel rotated meanwhile: a kernel that read the `.env` just
 * before another one switched it to the other key, and probes just after that one revoked the old
 * key, gets a 401; it reads the `.env` again, once, and connects with the key it holds now. A 401
 * with an unchanged `.env`, or a second 401, is the error it was.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { connect } from "../src/connect.ts";
import { createEmulatorHandlers } from "../src/emulator/create_handlers.ts";
import { emulatorConnectionString } from "../src/emulator/arm_keys.ts";
import { isUnauthorizedError } from "../src/request_errors.ts";

const root = mkdtempSync(join(tmpdir(), "aqn-reread-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** An emulator without sockets, a `.env` holding its primary key, and the probes it answered. */
function setup() {
  const h = createEmulatorHandlers();
  const project = join(root, String(n++));
  mkdirSync(join(project, ".git"), { recursive: true });
  const envFile = join(project, ".env");
  const write = (key: string) =>
    writeFileSync(
      envFile,
      `AZURE_QUANTUM_CONNECTION_STRING='${emulatorConnectionString(h.context.workspace, key, "https://127.0.0.1:8443/")}'\n`,
      { mode: 0o600 },
    );
  write(h.control.keys().primary.reveal());
  const statuses: number[] = [];
  let before: (() => void) | undefined;
  const fetch = async (req: Request) => {
    before?.();
    before = undefined;
    const res = await h.dataPlane(req);
    statuses.push(res.status);
    return res;
  };
  return { h, envFile, write, statuses, fetch, beforeFirst: (f: () => void) => (before = f) };
}

// What the other kernel's rotation does: the .env gets the secondary key, then the primary is revoked.
function rotateElsewhere(s: ReturnType<typeof setup>) {
  s.write(s.h.control.keys().secondary.reveal());
  s.h.control.regenerateKeys("primary");
}

it("a 401 after another kernel rotated the .env's key: reads the .env again and connects with its key", async () => {
  const s = setup();
  s.beforeFirst(() => rotateElsewhere(s));
  const ws = await connect({ envFile: s.envFile, env: {}, fetch: s.fetch, progress: false, retry: { maxRetries: 0 } });
  expect(s.statuses).toEqual([401, 200]);
  expect(ws.liveKey!.key.equals(s.h.control.keys().secondary)).toBe(true);
  expect(ws.info.keySource).toMatchObject({ kind: "dotenv", path: s.envFile });
  await expect(ws.listTargets()).resolves.toBeDefined();
});

it("a 401 with the .env unchanged: the error, after one probe", async () => {
  const s = setup();
  s.beforeFirst(() => s.h.control.regenerateKeys("primary"));
  const e = await connect({ envFile: s.envFile, env: {}, fetch: s.fetch, progress: false, retry: { maxRetries: 0 } })
    .catch((x) => x);
  expect(isUnauthorizedError(e)).toBe(true);
  expect(s.statuses).toEqual([401]);
});

it("the .env changed, but its new key is rejected too: the second 401, no third probe", async () => {
  const s = setup();
  s.beforeFirst(() => {
    rotateElsewhere(s);
    s.h.control.regenerateKeys("secondary");
  });
  const e = await connect({ envFile: s.envFile, env: {}, fetch: s.fetch, progress: false, retry: { maxRetries: 0 } })
    .catch((x) => x);
  expect(isUnauthorizedError(e)).toBe(true);
  expect(e.message).toMatch(/^Cannot connect to workspace "emulator-ws": the key was rejected/);
  expect(s.statuses).toEqual([401, 401]);
});

it("a key from an argument is not replaced by a .env's", async () => {
  const s = setup();
  const primary = s.h.control.keys().primary.reveal();
  s.beforeFirst(() => rotateElsewhere(s));
  const e = await connect({
    connectionString: emulatorConnectionString(s.h.context.workspace, primary, "https://127.0.0.1:8443/"),
    envFile: s.envFile,
    env: {},
    fetch: s.fetch,
    progress: false,
    retry: { maxRetries: 0 },
  }).catch((x) => x);
  expect(isUnauthorizedError(e)).toBe(true);
  expect(s.statuses).toEqual([401]);
});

it("a 401, and the .env no longer reads: the .env's error, not the 401 it hides", async () => {
  const s = setup();
  s.beforeFirst(() => {
    s.h.control.regenerateKeys("primary");
    writeFileSync(s.envFile, "AZURE_QUANTUM_CONNECTION_STRING='SubscriptionId=x;ApiKey=k'\n", { mode: 0o600 });
  });
  const e = await connect({ envFile: s.envFile, env: {}, fetch: s.fetch, progress: false, retry: { maxRetries: 0 } })
    .catch((x) => x);
  expect(e.name).toBe("ConnectionStringError");
  expect(e.message).toBe(
    `Cannot parse connection string from .env ${s.envFile} (AZURE_QUANTUM_CONNECTION_STRING): ResourceGroupName, ` +
      "WorkspaceName and QuantumEndpoint are missing. A connection string needs SubscriptionId, ResourceGroupName, " +
      "WorkspaceName, ApiKey and QuantumEndpoint. Copy the connection string again from the Azure portal " +
      "(Operations > Access keys)",
  );
  expect(s.statuses).toEqual([401]);
});
