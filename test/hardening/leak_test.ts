/**
 * Leak tests: every public function and a full notebook-like flow (the demo) run with known key
 * values, and everything they show is captured: display bundles (html, text, json), thrown errors
 * (message, stack, cause, own properties), console and stdout/stderr, `util.inspect`,
 * `JSON.stringify`, and the Azure SDK's logs at `AZURE_LOG_LEVEL=verbose`. No key (before and after
 * regeneration and rotation), connection string, IDENTITY_HEADER or token appears anywhere.
 */
process.env.AZURE_LOG_LEVEL = "verbose"; // before @azure/logger is first loaded (lazily, below)

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { parse } from "dotenv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as api from "../../mod.ts";
import type { Emulator } from "../../src/emulator/mod.ts";
import { runDemo } from "../../src/demo/run_demo.ts";
import { renderDemoReport } from "../../src/demo/demo_report.ts";
import { renderError } from "../../src/render/render_error.ts";
import { connectTo, rejection, startKeysEmulator } from "../keys/_emulator.ts";
import {
  captureAzureLogs,
  captureOutput,
  everything,
  plainViews,
  recordSignedTokens,
  SecretBook,
} from "./_helpers.ts";
import { ClientSecretCredential } from "@azure/identity";
import { createEmulatorHandlers } from "../../src/emulator/mod.ts";

let emu: Emulator;
let book: SecretBook;
const logs: string[] = [];
const shown: string[] = [];
const issued = new Set<string>();
const FAST = { baseDelayMs: 5, maxDelayMs: 20 };
const ROTATE = { graceMs: 10, pollIntervalMs: 20, waitTimeoutMs: 3000 };

/** Records everything `values` expose (and returns the first, for chaining). */
function show<T>(...values: T[]): T {
  for (const v of values) {
    shown.push(everything(v));
    if (
      v && typeof v === "object" &&
      typeof (v as { toMimeBundle?: unknown }).toMimeBundle === "function"
    ) {
      const bundle = (v as { toMimeBundle(): Record<string, unknown> }).toMimeBundle();
      shown.push(JSON.stringify(bundle), String(bundle["text/html"]), String(bundle["text/plain"]));
    }
    if (v instanceof Error) shown.push(JSON.stringify(renderError(v)));
  }
  return values[0];
}

beforeAll(async () => {
  recordSignedTokens(issued);
  await captureAzureLogs(logs);
  emu = await startKeysEmulator();
  book = new SecretBook(emu);
});
afterAll(() => emu?.stop());

describe("no secret leaves the module", () => {
  it("through every public function, their results and their errors", async () => {
    const { output } = await captureOutput(async () => {
      const cs = emu.connectionString.reveal();
      const key = emu.control.keys().primary.reveal();
      const dir = mkdtempSync(join(tmpdir(), "aqn-leak-"));

      // Connection strings: parse, format, load, and every way they fail.
      const info = show(api.parseConnectionString(cs));
      show(api.formatConnectionString(info), info.apiKey, `${info.apiKey}`);
      show(api.loadConnection({ connectionString: cs, env: {}, envFile: false }));
      show(api.loadConnection({ env: emu.revealEnv(), envFile: false }));
      for (
        const bad of [
          cs.replace("ApiKey=", "ApiKye="),
          cs.replace("ApiKey=", ""),
          cs.replace(";QuantumEndpoint", "QuantumEndpoint"),
          cs.replace("WorkspaceName=emulator-ws", `WorkspaceName=${key}`),
          cs.replace("ResourceGroupName=emulator-rg", `ResourceGroupName=${key}!`),
          cs.replace("QuantumEndpoint=https://", `QuantumEndpoint=https://${key}@`),
          `${cs}${key}`,
          `${cs}ApiKey=${key}`,
          cs.replace(key, `${key.slice(0, 40)} ${key.slice(40)}`),
        ]
      ) {
        show(await rejection(Promise.resolve().then(() => api.parseConnectionString(bad))));
      }
      show(
        await rejection(
          Promise.resolve().then(() => api.formatConnectionString({ ...info, workspaceName: key })),
        ),
        await rejection(
          Promise.resolve().then(() =>
            api.formatConnectionString({ ...info, apiKey: new api.Secret(`${key};x`) })
          ),
        ),
        await rejection(
          Promise.resolve().then(() =>
            api.loadConnection({
              workspaceName: "other-ws",
              env: { AZURE_QUANTUM_CONNECTION_STRING: cs },
              envFile: false,
            })
          ),
        ),
        await rejection(
          Promise.resolve().then(() =>
            api.loadConnection({ apiKey: key, env: {}, envFile: false })
          ),
        ),
      );

      // .env: written, and failing without echoing the value.
      const envFile = join(dir, ".env");
      show(await api.updateEnvFile(envFile, "AZURE_QUANTUM_CONNECTION_STRING", new api.Secret(cs)));
      show(
        await rejection(api.updateEnvFile(envFile, "BAD NAME", key)),
        await rejection(api.updateEnvFile(envFile, "X", `${key}'"\``)),
        await rejection(api.updateEnvFile(dir, "X", key)),
        api.findEnvFile(dir),
      );

      // Secrets and displays.
      const secret = new api.Secret(key);
      show(secret, secret.toJSON(), secret.toMimeBundle(), api.fingerprint(key));
      console.log(secret, { secret }, [info]);
      await api.display(secret);
      await api.display(info);

      // Workspace, targets, keys, through the public API (DefaultAzureCredential on the emulator).
      const ws = show(await api.connect({ env: emu.revealEnv(), envFile: false, retry: FAST }));
      const byArgument = await api.connect({
        connectionString: cs,
        env: emu.revealEnv(),
        envFile: false,
      });
      expect(Object.keys(byArgument.options)).not.toContain("connectionString");
      show(byArgument.options, byArgument);
      await api.display(ws);
      console.log(ws, ws.info, await ws.dataPlane(), ws.keys, ws.liveKey);
      show(await ws.dataPlane(), ws.keys, ws.liveKey, ws.options, api.currentWorkspace());
      const targets = show(await api.listTargets());
      show(await ws.listTargets({ availability: "Available" }), [...targets]);
      await api.display(targets);
      emu.control.assignRole("Quantum Workspace Data Contributor"); // Entra callers need a data role
      const entra = show(await connectTo(emu, { useEntraId: true, retry: FAST }));
      show(await entra.listTargets(), await entra.keys.status());
      show(await ws.keys.status(), await ws.keys.disable(), await ws.keys.rotate());
      show(await ws.keys.regenerate("primary", { confirm: true }));
      show(await ws.keys.disable({ confirm: true }), await ws.keys.enable());
      const shared = await ws.keys.connectionString("secondary");
      book.add(shared.reveal());
      show(shared, await ws.keys.regenerate("secondary", { confirm: true }));
      book.snapshot();
      const report = show(await ws.keys.rotate({ confirm: true, envFile: false, ...ROTATE }));
      await api.display(report);
      console.log(report, await ws.keys.status());
      book.snapshot();

      // Errors from requests: a revoked key, a Reader, a dropped POST, a stopped rotation.
      const stale = await connectTo(emu, { retry: FAST });
      emu.control.regenerateKeys("primary");
      book.snapshot();
      show(await rejection(stale.listTargets()), await rejection(stale.probe()));
      show(
        await rejection(
          api.connect({
            connectionString: stale.info.apiKey &&
              emu.connectionString.reveal().replace(
                emu.control.keys().primary.reveal(),
                stale.info.apiKey.reveal(),
              ),
            env: {},
            envFile: false,
            retry: FAST,
          }),
        ),
      );
      const fresh = await connectTo(emu, { retry: FAST });
      emu.control.setRole("Reader");
      show(
        await rejection(fresh.keys.status()),
        await rejection(fresh.keys.regenerate("secondary", { confirm: true })),
      );
      emu.control.setRole("Owner");
      emu.control.setFaults([{ fault: "drop", listener: "arm", path: "/regenerateKey" }]);
      show(await rejection(fresh.keys.regenerate("secondary", { confirm: true })));
      emu.control.setFaults([{
        fault: 500,
        count: Infinity,
        listener: "arm",
        path: "/regenerateKey",
      }]);
      const stopped = await rejection(
        fresh.keys.rotate({ confirm: true, envFile: false, ...ROTATE }),
      );
      emu.control.setFaults([]);
      show(stopped, (stopped as api.RotationError).report);
      await api.display(stopped);
      console.error(stopped);
      book.snapshot();

      // The emulator itself.
      show(emu, emu.env, emu.control.keys(), emu.control.requestLog());
      console.log(emu, emu.env, JSON.stringify(emu.env));
      await api.display(emu);
    });
    shown.push(output);
    book.add(...issued);
    book.expectAbsent(shown.join("\n"), "results, errors, displays and output");
    expect(issued.size).toBeGreaterThan(0);
  });

  it("through a whole notebook-like flow (the demo), its report and its output", async () => {
    const { value: steps, output } = await captureOutput(async () => {
      const steps = await runDemo({
        emulator: emu,
        onStep: (step) => console.log(step.bundle["text/plain"]),
      });
      book.snapshot();
      return steps;
    });
    expect(steps.length).toBe(15);
    book.add(...issued);
    book.expectAbsent(
      [output, JSON.stringify(steps), inspect(steps, { depth: 10 }), renderDemoReport(steps, "now")]
        .join("\n"),
      "the demo",
    );
  });

  it("through the Azure SDK's verbose logs: the api-key header and bearer tokens are redacted", () => {
    const text = logs.join("\n");
    // The logs are really on, and show the requests whose secrets they must hide.
    expect(text).toMatch(/Request: \{/);
    expect(text).toMatch(/"x-ms-quantum-api-key": "REDACTED"/i);
    expect(text).toMatch(/"authorization": "REDACTED"/i);
    book.add(...issued);
    book.expectAbsent(text, "AzureLogger output");
    expect(issued.size).toBeGreaterThanOrEqual(2); // an ARM token and a data-plane token
    console.info(
      `[hardening] leak scan: ${book.all.length} secrets (keys, connection strings, identity header, ` +
        `${issued.size} tokens) searched in ${
          (shown.join("").length / 1024).toFixed(0)
        } KB of output ` +
        `and ${logs.length} log lines`,
    );
  });
});

describe("no secret in a plain view of any public object (issue 13, findings 1, 14, 15)", () => {
  it("console.table, spread, Object.entries, structuredClone and JSON of each show masks or nothing", async () => {
    const cs = emu.connectionString.reveal();
    const clientSecret = "Cl1ent~Secr3t.Value-That-Must-Not-Print_0123456789";
    book.add(clientSecret);
    const credential = new ClientSecretCredential(
      "72f988bf-86f1-41af-91ab-2d7cd011db47",
      "11111111-2222-3333-4444-555555555555",
      clientSecret,
    );
    const dir = mkdtempSync(join(tmpdir(), "aqn-plain-"));
    const envFile = join(dir, ".env");
    const written = await api.updateEnvFile(envFile, "AZURE_QUANTUM_CONNECTION_STRING", cs, {
      isIgnoredByGit: false,
    });
    // Every way a connection string or key reaches the options: env, connectionString, apiKey.
    const byEnv = await api.connect({ env: emu.revealEnv(), envFile: false, retry: FAST });
    const byString = await api.connect({
      connectionString: cs,
      env: emu.revealEnv(),
      envFile: false,
      credential,
      retry: FAST,
    });
    const byKey = await api.connect({
      subscriptionId: emu.workspace.subscriptionId,
      resourceGroup: emu.workspace.resourceGroup,
      workspaceName: emu.workspace.workspaceName,
      location: "eastus",
      endpoint: emu.endpoint,
      apiKey: new api.Secret(emu.control.keys().primary.reveal()),
      env: emu.revealEnv(),
      envFile: false,
      credential,
      verify: false,
    });
    const byFile = await api.connect({ envFile, env: emu.revealEnv(), retry: FAST });
    const status = await byEnv.keys.status();
    const notApplied = await byEnv.keys.disable();
    const toggled = await byEnv.keys.enable();
    const regenerated = await byEnv.keys.regenerate("secondary", { confirm: true });
    book.snapshot();
    const report = await byEnv.keys.rotate({ confirm: true, envFile: false, ...ROTATE });
    book.snapshot();
    const parseError = await rejection(
      Promise.resolve().then(() => api.parseConnectionString(cs.replace("ApiKey=", "ApiKye="))),
    );
    const handlers = createEmulatorHandlers();
    book.add(
      handlers.control.keys().primary.reveal(),
      handlers.control.keys().secondary.reveal(),
    );
    const objects: Record<string, unknown> = {
      "connect({ env })": byEnv,
      "connect({ env }).options": byEnv.options,
      "connect({ connectionString, credential }).options": byString.options,
      "connect({ apiKey, credential }).options": byKey.options,
      "connect({ envFile }).options": byFile.options,
      "ws.settings": byString.settings,
      "ws.settings.transport": byString.settings.transport,
      "ws.settings.connection": byString.settings.connection,
      "resolveSettings({ connectionString, env })": api.resolveSettings({
        connectionString: cs,
        env: emu.revealEnv(),
        envFile: false,
        credential,
      }),
      "ws.info": byKey.info,
      "ws.keys": byString.keys,
      "ws.liveKey": byString.liveKey,
      "ws.dataPlane": await byString.dataPlane(),
      "parseConnectionString()": api.parseConnectionString(cs),
      "loadConnection()": api.loadConnection({ env: emu.revealEnv(), envFile: false }),
      "Secret": new api.Secret(cs),
      "listTargets()": await byEnv.listTargets(),
      "keys.status()": status,
      "NotApplied": notApplied,
      "keys.enable()": toggled,
      "keys.regenerate()": regenerated,
      "keys.rotate()": report,
      "keys.connectionString()": await byEnv.keys.connectionString("primary"),
      "updateEnvFile()": written,
      "ConnectionStringError": parseError,
      "emulator": emu,
      "emulator.env": emu.env,
      "emulator.control.keys()": emu.control.keys(),
      "emulator.control.requestLog()": emu.control.requestLog(),
      "createEmulatorHandlers()": handlers,
    };
    book.snapshot();
    for (const [name, value] of Object.entries(objects)) {
      book.expectAbsent(plainViews(value), name);
    }
    rmSync(dir, { recursive: true, force: true }); // it holds a connection string
    // The hidden options are still there for who asks by name.
    expect(byString.options.env).toBe(byString.settings.env);
    expect((byString.options as { credential?: unknown }).credential).toBe(credential);
    expect(Object.keys(byString.options)).not.toContain("env");
  });
});

describe("no secret in a plain view of the public objects of issues 12, 16 and 17", () => {
  it("quotas, Key Vault results, encrypted .env reports, the privateKey option and the kernel's emulator", async () => {
    const cs = emu.connectionString.reveal();
    const ws = await api.connect({ env: emu.revealEnv(), envFile: false, retry: FAST });
    const quotaList = await ws.quotas();
    const topQuotas = await api.quotas({ workspace: ws });
    // Key Vault: share a key, move a .env's connection string there, connect through the reference.
    const shared = await ws.keys.shareToKeyVault("secondary", {
      secretName: "leak-share",
      vaultUrl: emu.keyVaultUrl,
    });
    const dir = mkdtempSync(join(tmpdir(), "aqn-plain-12-16-17-"));
    const moveEnv = join(dir, "move.env");
    await api.updateEnvFile(moveEnv, "AZURE_QUANTUM_CONNECTION_STRING", cs, { isIgnoredByGit: false });
    const fromFile = await api.connect({ envFile: moveEnv, env: emu.revealEnv(), retry: FAST });
    const moved = await fromFile.keys.moveToKeyVault({ vaultUrl: emu.keyVaultUrl, secretName: "leak-move" });
    const fromVault = await api.connect({ envFile: moveEnv, env: emu.revealEnv(), retry: FAST, refresh: true });
    const vaultStatus = await fromVault.keys.status();
    book.snapshot();
    const vaultRotation = await fromVault.keys.rotate({ confirm: true, ...ROTATE });
    book.snapshot();
    // An encrypted .env, its report, and the privateKey option.
    const encEnv = join(dir, "enc.env");
    await api.updateEnvFile(encEnv, "AZURE_QUANTUM_CONNECTION_STRING", emu.connectionString.reveal(), {
      isIgnoredByGit: false,
    });
    const encrypted = await api.encryptEnvFile(encEnv, { isIgnoredByGit: false });
    const keysText = readFileSync(join(dir, ".env.keys"), "utf8");
    const privateKey = Object.entries(parse(keysText)).find(([k]) => k.startsWith("DOTENV_PRIVATE_KEY"))![1];
    expect(privateKey).toMatch(/^[0-9a-f]{64}$/);
    book.add(privateKey);
    const fromEncrypted = await api.connect({
      envFile: encEnv,
      env: emu.revealEnv(),
      privateKey: new api.Secret(privateKey),
      retry: FAST,
    });
    const fromEncryptedText = await api.connect({ envFile: encEnv, env: emu.revealEnv(), privateKey, retry: FAST });
    // The kernel's emulator of connect({ emulator: "auto" }).
    const auto = await api.connect({ emulator: "auto", env: {}, envFile: false, retry: FAST });
    const kernel = api.kernelEmulator()!;
    book.add(
      kernel.connectionString.reveal(),
      kernel.env.IDENTITY_HEADER.reveal(),
      kernel.control.keys().primary.reveal(),
      kernel.control.keys().secondary.reveal(),
    );
    try {
      const objects: Record<string, unknown> = {
        "ws.quotas()": quotaList,
        "quotas()": topQuotas,
        "keys.shareToKeyVault()": shared,
        "keys.moveToKeyVault()": moved,
        "connect() from a Key Vault reference": fromVault,
        "its info": fromVault.info,
        "its options": fromVault.options,
        "its keys.status()": vaultStatus,
        "its keys.rotate()": vaultRotation,
        "encryptEnvFile()": encrypted,
        "connect({ privateKey: Secret })": fromEncrypted,
        "connect({ privateKey: Secret }).options": fromEncrypted.options,
        "connect({ privateKey: string }).options": fromEncryptedText.options,
        "connect({ privateKey }).settings": fromEncryptedText.settings,
        "connect({ privateKey }).info": fromEncryptedText.info,
        'connect({ emulator: "auto" })': auto,
        'connect({ emulator: "auto" }).options': auto.options,
        'connect({ emulator: "auto" }).settings': auto.settings,
        "kernelEmulator()": kernel,
        "kernelEmulator().env": kernel.env,
      };
      book.snapshot();
      for (const [name, value] of Object.entries(objects)) {
        book.expectAbsent(plainViews(value), name);
        book.expectAbsent(everything(value), name);
      }
      // The private key option is dropped, not hidden: nobody gets it back from the view.
      expect("privateKey" in fromEncrypted.options).toBe(false);
      expect("privateKey" in fromEncryptedText.options).toBe(false);
    } finally {
      await auto.close();
      rmSync(dir, { recursive: true, force: true }); // it holds connection strings and a private key
    }
  });
});

it("the secret book really finds secrets (the scan is not vacuous)", () => {
  const key = emu.control.keys().primary.reveal();
  expect(book.foundIn(`x ${key} y`)).toHaveLength(1);
  expect(() => book.expectAbsent(`Bearer ${[...issued][0]}`, "probe")).toThrow();
});
