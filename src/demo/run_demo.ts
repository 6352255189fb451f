import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { resetDefaultCredential } from "../config/credential.ts";
import { writePrivateFile } from "../config/private_file.ts";
import { connect } from "../connect.ts";
import type { MimeBundle } from "../displayable.ts";
import type { Emulator } from "../emulator/emulator.ts";
import { renderError } from "../render/render_error.ts";
import type { Workspace } from "../workspace/workspace.ts";

/** One step of the demo: a heading, a sentence saying why, and what it displayed. */
export interface DemoStep {
  title: string;
  why: string;
  bundle: MimeBundle;
}

/** What the demo needs: an emulator to run against, and where each finished step goes. */
export interface DemoOptions {
  emulator: Emulator;
  /** Called as each step finishes (the terminal prints it at once). */
  onStep?: (step: DemoStep, index: number) => void;
}

const IDENTITY_VARIABLES = ["IDENTITY_ENDPOINT", "IDENTITY_HEADER"] as const;

/**
 * The main job of this module, end to end, on the emulator: connect from a `.env`, list targets,
 * key status, disable (unconfirmed, then confirmed) → the key is rejected → enable, regenerate the
 * secondary, move the connection string into the emulator's Key Vault and connect through the
 * reference, rotate the primary (new secret versions) while a loop keeps using the workspace.
 * Returns every step.
 *
 * Key management and the vault sign in with the real `DefaultAzureCredential`, which gets its
 * tokens from the emulator's managed-identity endpoint (`IDENTITY_ENDPOINT`/`IDENTITY_HEADER`, set
 * for the run).
 */
export async function runDemo(options: DemoOptions): Promise<DemoStep[]> {
  const { emulator } = options;
  const steps: DemoStep[] = [];
  const add = (title: string, why: string, bundle: MimeBundle) => {
    steps.push({ title, why, bundle });
    options.onStep?.(steps[steps.length - 1], steps.length - 1);
  };
  const dir = mkdtempSync(join(tmpdir(), "aqn-demo-"));
  const envFile = join(dir, ".env");
  const saved = Object.fromEntries(IDENTITY_VARIABLES.map((k) => [k, process.env[k]]));
  try {
    // The connection lives in a .env (0600), as in a real project; rotation will update it.
    await writePrivateFile(
      envFile,
      [
        "# Written by the azure-quantum-notebook demo: the emulator's dev workspace",
        `AZURE_QUANTUM_CONNECTION_STRING='${emulator.connectionString.reveal()}'`,
        `AZURE_QUANTUM_ARM_ENDPOINT=${emulator.armEndpoint}`,
        `AZURE_QUANTUM_EMULATOR_CA=${emulator.caFile}`,
        "",
      ].join("\n"),
    );
    for (const k of IDENTITY_VARIABLES) process.env[k] = emulator.revealEnv()[k];
    resetDefaultCredential();

    add("Emulator", "A local HTTPS emulator of Azure Quantum and Resource Manager: no Azure needed.", emulator.toMimeBundle());

    const ws = await connect({ envFile, env: {} });
    add("Connect", `connect() read the connection string from ${envFile} and probed the data plane once.`, ws.toMimeBundle());
    add("List targets", "listTargets() followed every page; the table is grouped by provider.", (await ws.listTargets()).toMimeBundle());
    add(
      "Filter targets",
      'listTargets({ availability: "Available" }) keeps the targets you can submit to now.',
      (await ws.listTargets({ availability: "Available" })).toMimeBundle(),
    );
    add("Key status", "keys.status() lists both keys by fingerprint and which one this process uses.", (await ws.keys.status()).toMimeBundle());
    // disable() first checks that this identity keeps the data plane with Entra ID: give it its data role.
    emulator.control.assignRole("Quantum Workspace Data Contributor");
    add("Disable, unconfirmed", "Destructive calls explain themselves and change nothing without { confirm: true }.", (await ws.keys.disable()).toMimeBundle());
    add("Disable access keys", "keys.disable({ confirm: true }) flips apiKeyEnabled through Resource Manager.", (await ws.keys.disable({ confirm: true })).toMimeBundle());
    add("The key is rejected", "With access keys disabled, every connection string gets 401.", await rejection(ws));
    add("Enable access keys", "keys.enable() turns them back on; the same workspace object works again.", (await ws.keys.enable()).toMimeBundle());
    add("Works again", "listTargets() after enabling.", (await ws.listTargets({ provider: "ionq" })).toMimeBundle());
    add(
      "Regenerate the secondary",
      "Share the secondary, keep the primary: regenerating the secondary revokes what you shared.",
      (await ws.keys.regenerate("secondary", { confirm: true })).toMimeBundle(),
    );
    add(
      "Move to Key Vault",
      "keys.moveToKeyVault() writes the connection string to a vault secret, reads it back, then replaces the .env line with a Key Vault reference.",
      (await ws.keys.moveToKeyVault({ vaultUrl: emulator.keyVaultUrl, secretName: "quantum" })).toMimeBundle(),
    );
    const fromVault = await connect({ envFile, env: {}, refresh: true });
    add(
      "Connect through the reference",
      "connect() found the reference in the .env and read the secret from the vault: the card says which version, never the value.",
      fromVault.toMimeBundle(),
    );
    add(
      "Rotate the primary",
      "rotate() stores the secondary's connection string as a new secret version, swaps this process to it, regenerates the primary, stores it as the latest version and swaps back, while a loop keeps listing targets.",
      await rotateUnderLoad(fromVault),
    );
    const versions = emulator.control.vault.versions("quantum").length;
    add(
      "Key status after rotation",
      `The .env (mode ${modeOf(envFile)}) holds only the reference; the secret "quantum" has ${versions} versions, the latest holding the new primary key.`,
      (await fromVault.keys.status()).toMimeBundle(),
    );
    return steps;
  } finally {
    for (const k of IDENTITY_VARIABLES) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    resetDefaultCredential();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function rejection(ws: Workspace): Promise<MimeBundle> {
  try {
    await ws.listTargets({}, {});
  } catch (e) {
    return renderError(e);
  }
  throw new Error("Cannot show the rejection: the emulator still accepted the key after disabling access keys");
}

// A loop on the workspace made before the rotation, every 50 ms, counting failures.
async function rotateUnderLoad(ws: Workspace): Promise<MimeBundle> {
  let running = true;
  let ok = 0;
  let failed = 0;
  const loop = (async () => {
    while (running) {
      try {
        await ws.listTargets();
        ok++;
      } catch {
        failed++;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    const report = await ws.keys.rotate({ confirm: true });
    const bundle = report.toMimeBundle();
    const line = `Concurrent listTargets() during the rotation: ${ok} succeeded, ${failed} failed.`;
    return {
      ...bundle,
      "text/plain": `${bundle["text/plain"]}\n${line}`,
      "text/html": `${bundle["text/html"] ?? ""}<p style="font-family:system-ui,sans-serif;font-size:13px">${line}</p>`,
    };
  } finally {
    running = false;
    await loop;
  }
}

function modeOf(path: string): string {
  return (statSync(path).mode & 0o777).toString(8).padStart(4, "0");
}
