import { existsSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  EMULATOR_LOCATION,
  EMULATOR_RESOURCE_GROUP,
  EMULATOR_SUBSCRIPTION_ID,
  EMULATOR_WORKSPACE_NAME,
  startEmulator,
} from "../../src/emulator/mod.ts";
import { client, DP_VERSION, send } from "./_https.ts";

describe("startEmulator()", () => {
  it("returns endpoints, workspace, CA and the client env", async () => {
    const emulator = await startEmulator();
    try {
      expect(emulator.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
      expect(emulator.armEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(emulator.workspace).toEqual({
        subscriptionId: EMULATOR_SUBSCRIPTION_ID,
        resourceGroup: EMULATOR_RESOURCE_GROUP,
        workspaceName: EMULATOR_WORKSPACE_NAME,
        location: EMULATOR_LOCATION,
      });
      expect(EMULATOR_SUBSCRIPTION_ID).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(await readFile(emulator.caFile, "utf8")).toBe(emulator.caCertificate);
      expect(emulator.caCertificate).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
      const env = emulator.env;
      expect(Object.keys(env).sort()).toEqual([
        "AZURE_QUANTUM_ARM_ENDPOINT",
        "AZURE_QUANTUM_CONNECTION_STRING",
        "AZURE_QUANTUM_EMULATOR_CA",
        "AZURE_QUANTUM_KEY_VAULT_URL",
        "IDENTITY_ENDPOINT",
        "IDENTITY_HEADER",
      ]);
      expect(env.AZURE_QUANTUM_CONNECTION_STRING.reveal()).toBe(emulator.connectionString.reveal());
      const plain = emulator.revealEnv();
      expect(Object.keys(plain).sort()).toEqual(Object.keys(env).sort());
      expect(plain.AZURE_QUANTUM_CONNECTION_STRING).toBe(
        `SubscriptionId=${EMULATOR_SUBSCRIPTION_ID};ResourceGroupName=emulator-rg;WorkspaceName=emulator-ws;` +
          `ApiKey=${emulator.control.keys().primary.reveal()};QuantumEndpoint=${emulator.endpoint};`,
      );
      expect(plain.IDENTITY_HEADER).toBe(env.IDENTITY_HEADER.reveal());
      expect(env.AZURE_QUANTUM_ARM_ENDPOINT).toBe(emulator.armEndpoint);
      expect(env.AZURE_QUANTUM_EMULATOR_CA).toBe(emulator.caFile);
      expect(env.IDENTITY_ENDPOINT).toBe(emulator.identityEndpoint);
      expect(plain.IDENTITY_ENDPOINT).toBe(emulator.identityEndpoint);
      expect(env.AZURE_QUANTUM_KEY_VAULT_URL).toBe(emulator.keyVaultUrl);
      expect(plain.AZURE_QUANTUM_KEY_VAULT_URL).toBe(emulator.keyVaultUrl);
      expect(emulator.keyVaultUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
      expect(emulator.authorityHost).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      // Five listeners, each on its own port.
      const urls = [
        emulator.endpoint,
        emulator.armEndpoint,
        emulator.identityEndpoint,
        emulator.keyVaultUrl,
        emulator.authorityHost,
      ];
      expect(new Set(urls.map((u) => new URL(u).port)).size).toBe(5);
    } finally {
      await emulator.stop();
    }
    expect(existsSync(emulator.caFile)).toBe(false);
    expect(emulator.running).toBe(false);
    await emulator.stop();
  });

  it("never shows a key or the identity header in inspect, JSON or its display", async () => {
    const emulator = await startEmulator();
    try {
      const secrets = [
        emulator.control.keys().primary.reveal(),
        emulator.control.keys().secondary.reveal(),
        emulator.env.IDENTITY_HEADER.reveal(),
        emulator.connectionString.reveal(),
      ];
      const outputs = [
        inspect(emulator, { depth: 10 }),
        inspect(emulator.env),
        JSON.stringify(emulator),
        JSON.stringify(emulator.env),
        String(emulator.connectionString),
        JSON.stringify(emulator.toMimeBundle()),
        inspect(emulator.control.keys()),
      ];
      for (const out of outputs) for (const s of secrets) expect(out).not.toContain(s);
      const bundle = emulator.toMimeBundle();
      expect(bundle["text/plain"]).toContain(emulator.control.keys().primary.fingerprint);
      expect(bundle["text/plain"]).toContain(emulator.endpoint);
      expect(bundle["text/html"]).toContain("Azure Quantum emulator");
      // The card names all five listeners: data plane, ARM, token endpoint, Key Vault, authority.
      for (
        const [row, url] of [
          ["Data plane", emulator.endpoint],
          ["ARM", emulator.armEndpoint],
          ["Identity", emulator.identityEndpoint],
          ["Key Vault", emulator.keyVaultUrl],
          ["Authority", emulator.authorityHost],
        ]
      ) {
        expect(bundle["text/plain"].split("\n")).toContain(`${`${row}:`.padEnd(16)}${url}`);
        expect(bundle["text/html"]).toContain(url);
      }
      expect(emulator[Symbol.for("Jupyter.display") as never]).toBeTypeOf("function");
      expect(inspect(emulator)).toContain(emulator.armEndpoint);
    } finally {
      await emulator.stop();
    }
  });

  // Issue 13 #1: on main, emulator.env held the raw strings as enumerable properties.
  it("masks the connection string and identity header in every plain-object view of env", async () => {
    const emulator = await startEmulator();
    const table: string[] = [];
    const original = console.log;
    try {
      const secrets = [
        emulator.control.keys().primary.reveal(),
        emulator.revealEnv().IDENTITY_HEADER,
        emulator.revealEnv().AZURE_QUANTUM_CONNECTION_STRING,
      ];
      console.log = (...args: unknown[]) => void table.push(args.map(String).join(" "));
      console.table(emulator.env);
      console.log = original;
      const views = [
        table.join("\n"),
        inspect({ ...emulator.env }, { depth: 10 }),
        inspect(Object.entries(emulator.env), { depth: 10 }),
        inspect(Object.values(emulator.env), { depth: 10 }),
        inspect(structuredClone(emulator.env), { depth: 10 }),
        JSON.stringify(emulator.env),
        JSON.stringify({ ...emulator.env }),
        `${emulator.env.AZURE_QUANTUM_CONNECTION_STRING}`,
        inspect(emulator, { depth: 10, showHidden: true }),
      ];
      for (const view of views) for (const s of secrets) expect(view).not.toContain(s);
      expect(table.join("\n")).toContain(emulator.connectionString.fingerprint);
      // The vault's URL is no secret: a plain string, shown as it is.
      expect(table.join("\n")).toContain(emulator.keyVaultUrl);
      expect(JSON.parse(JSON.stringify(emulator.env)).AZURE_QUANTUM_KEY_VAULT_URL).toBe(emulator.keyVaultUrl);
      expect(Object.isFrozen(emulator.env)).toBe(true);
    } finally {
      console.log = original;
      await emulator.stop();
    }
  });

  it("exportEnv() is the one explicit call that puts the values into process.env", async () => {
    delete process.env.IDENTITY_HEADER;
    const emulator = await startEmulator();
    expect(process.env.IDENTITY_HEADER).toBeUndefined();
    emulator.exportEnv();
    emulator.exportEnv(); // twice: stop() still restores what was there before the first
    expect(process.env.IDENTITY_HEADER).toBe(emulator.env.IDENTITY_HEADER.reveal());
    await emulator.stop();
    expect("IDENTITY_HEADER" in process.env).toBe(false);
  });

  it("exportEnv writes the client env into process.env and restores it on stop", async () => {
    process.env.IDENTITY_ENDPOINT = "previous";
    delete process.env.AZURE_QUANTUM_CONNECTION_STRING;
    const emulator = await startEmulator({ exportEnv: true });
    expect(process.env.IDENTITY_ENDPOINT).toBe(emulator.identityEndpoint);
    expect(process.env.AZURE_QUANTUM_CONNECTION_STRING).toBe(emulator.connectionString.reveal());
    await emulator.stop();
    expect(process.env.IDENTITY_ENDPOINT).toBe("previous");
    expect("AZURE_QUANTUM_CONNECTION_STRING" in process.env).toBe(false);
    delete process.env.IDENTITY_ENDPOINT;
  });

  it("TLS: a request without the emulator CA fails verification; with it, it succeeds", async () => {
    const emulator = await startEmulator();
    try {
      const url = new URL(
        `${client(emulator).P.slice(1)}/providerStatus?api-version=${DP_VERSION}`,
        emulator.endpoint,
      );
      await expect(send(url)).rejects.toMatchObject({ code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE" });
      const other = await startEmulator();
      await expect(send(url, { ca: other.caCertificate })).rejects.toThrow();
      await other.stop();
      const localhost = new URL(url.href.replace("127.0.0.1", "localhost"));
      const headers = { "x-ms-quantum-api-key": emulator.control.keys().primary.reveal() };
      expect((await send(localhost, { ca: emulator.caCertificate, headers })).status).toBe(200);
    } finally {
      await emulator.stop();
    }
  });

  it("with a state file, keys, enabled flag and tags survive a restart; the file is 0600", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aqn-state-"));
    const stateFile = join(dir, "state.json");
    try {
      const first = await startEmulator({ stateFile });
      const c = client(first);
      await c.arm("PATCH", "?api-version=2025-12-15-preview", { tags: { kept: "yes" } });
      await c.arm("PUT", "?api-version=2025-12-15-preview", {
        location: "eastus",
        properties: { apiKeyEnabled: false },
      });
      const keys = first.control.keys();
      await first.stop();
      expect(statSync(stateFile).mode & 0o777).toBe(0o600);
      const second = await startEmulator({ stateFile });
      try {
        const again = second.control.keys();
        expect(again.primary.equals(keys.primary)).toBe(true);
        expect(again.secondary.equals(keys.secondary)).toBe(true);
        expect(again.primaryCreatedAt).toBe(keys.primaryCreatedAt);
        expect(again.enabled).toBe(false);
        const ws = (await client(second).arm("GET", "?api-version=2025-12-15-preview")).json();
        expect(ws.tags).toEqual({ kept: "yes" });
        expect(ws.properties.apiKeyEnabled).toBe(false);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("fresh starts make fresh 86-character base64url keys", async () => {
    const a = await startEmulator();
    const b = await startEmulator();
    try {
      expect(a.control.keys().primary.reveal()).toMatch(/^[A-Za-z0-9_-]{86}$/);
      expect(a.control.keys().primary.equals(b.control.keys().primary)).toBe(false);
      expect(a.control.keys().primary.equals(a.control.keys().secondary)).toBe(false);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it("rejects a state file that is not one, without echoing its content", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aqn-state-"));
    const stateFile = join(dir, "state.json");
    try {
      await import("node:fs/promises").then((fs) => fs.writeFile(stateFile, '{"secret":"s3cr3t"}'));
      await expect(startEmulator({ stateFile })).rejects.toMatchObject({
        name: "ConfigurationError",
        code: "EmulatorStateInvalid",
        message:
          `Cannot load emulator state file "${stateFile}": it is not a version 1 emulator state. Delete it to start with fresh keys`,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("stops when its signal aborts", async () => {
    const controller = new AbortController();
    const emulator = await startEmulator({ signal: controller.signal });
    controller.abort();
    await emulator.stop();
    expect(emulator.running).toBe(false);
    expect(existsSync(emulator.caFile)).toBe(false);
  });
});
