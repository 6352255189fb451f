// A rotation that finds the keys changed under it (issue 13's recovery) with the key in Key Vault
// (issue 16): it ends on a key it verified on the data plane, and the vault ends holding a working
// key too, so the .env's reference (followed, or pinned and rewritten) gives a new kernel a key that
// works. Three ways the keys change: another kernel rotated through the same vault secret; the keys
// were regenerated outside the vault (its latest version dead), with a reference that follows the
// latest version, and with one pinned to a version.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { forgetKeyVaultSecrets } from "../../src/config/key_vault_cache.ts";
import { parseConnectionString } from "../../src/connection/connection_string.ts";
import type { Emulator } from "../../src/emulator/mod.ts";
import { isRotationError, type RotationError } from "../../src/errors.ts";
import type { RotationReport } from "../../src/keys/results.ts";
import type { Workspace } from "../../src/workspace/workspace.ts";
import {
  connectProject,
  emulatorProject,
  expectNoSecrets,
  rejection,
  secretsSeen,
  startKeysEmulator,
} from "./_emulator.ts";

let emu: Emulator;
const FAST = { graceMs: 50, pollIntervalMs: 20, waitTimeoutMs: 5000 };
const secrets = secretsSeen(() => emu);

beforeAll(async () => {
  emu = await startKeysEmulator();
});
afterAll(() => emu.stop());
beforeEach(() => {
  forgetKeyVaultSecrets();
  secrets();
});

const uri = (name: string, version = "") => `${emu.keyVaultUrl}secrets/${name}/${version}`;
const reference = (name: string, version?: string) => `@Microsoft.KeyVault(SecretUri=${uri(name, version)})`;
const keyIn = (value: string) => parseConnectionString(value).apiKey!;
const latestKey = (name: string) => keyIn(emu.control.vault.versions(name).at(-1)!.value.reveal());

const project = (ref: string) => emulatorProject(emu, ref);

/** A new kernel on the project: reads the vault again. */
async function newKernel(dir: string): Promise<Workspace> {
  forgetKeyVaultSecrets();
  return await connectProject(dir, { refresh: true });
}

describe("keys.rotate() with the key in Key Vault, when the keys changed under it", () => {
  it("another kernel rotated through the vault: this one adopts the vault's latest key (verified), writes nothing", async () => {
    emu.control.vault.setSecret("recover-a", emu.connectionString.reveal());
    const { dir, envFile, before } = project(reference("recover-a"));
    const a = await connectProject(dir);
    const b = await newKernel(dir);
    const old = emu.control.keys();
    await b.keys.rotate({ confirm: true, ...FAST });
    const now = emu.control.keys();
    expect(now.primary.equals(old.primary)).toBe(false);
    const versions = emu.control.vault.versions("recover-a");
    expect(versions).toHaveLength(3);

    const e = await rejection(a.keys.rotate({ confirm: true, ...FAST })) as RotationError;
    expect(isRotationError(e)).toBe(true);
    expect(e.stoppedAt).toBe("find key in use");
    expect(e.message).toContain(
      `This kernel uses the primary key ${now.primary.fingerprint}, which works (verified after the keys changed); ` +
        `version ${versions[2]!.version} of the Key Vault secret "recover-a" holds the same key.`,
    );
    expect(a.liveKey!.key.equals(now.primary)).toBe(true);
    expect(a.info.keySource!.keyVault!.version).toBe(versions[2]!.version);
    expect(emu.control.vault.versions("recover-a")).toHaveLength(3); // nothing written
    expect(readFileSync(envFile, "utf8")).toBe(before);
    expect((await newKernel(dir)).liveKey!.key.equals(now.primary)).toBe(true);
    expectNoSecrets(secrets(), e, e.report);
  });

  it("keys regenerated outside the vault (its latest version dead): the listed key is adopted and written to the vault", async () => {
    emu.control.vault.setSecret("recover-b", emu.connectionString.reveal());
    const { dir, envFile, before } = project(reference("recover-b"));
    const a = await connectProject(dir);
    emu.control.regenerateKeys("primary");
    const now = emu.control.keys();

    const e = await rejection(a.keys.rotate({ confirm: true, ...FAST })) as RotationError;
    expect(e.stoppedAt).toBe("find key in use");
    const versions = emu.control.vault.versions("recover-b");
    expect(versions).toHaveLength(2);
    expect(latestKey("recover-b").equals(now.primary)).toBe(true);
    expect(e.message).toContain(
      `This kernel uses the primary key ${now.primary.fingerprint}, which works (verified after the keys changed); ` +
        `version ${versions[1]!.version} of the Key Vault secret "recover-b" holds the same key.`,
    );
    expect((e.report as RotationReport).keyVaultVersions).toEqual([uri("recover-b", versions[1]!.version)]);
    expect(a.liveKey!.key.equals(now.primary)).toBe(true);
    expect(readFileSync(envFile, "utf8")).toBe(before); // the reference follows the latest
    expect((await newKernel(dir)).liveKey!.key.equals(now.primary)).toBe(true);
    expectNoSecrets(secrets(), e, e.report);
  });

  it("with a pinned reference: the working key goes into a new version, and the .env is pinned to it", async () => {
    const first = emu.control.vault.setSecret("recover-c", emu.connectionString.reveal());
    const { dir, envFile, before } = project(reference("recover-c", first.version));
    const a = await connectProject(dir);
    emu.control.regenerateKeys("primary");
    const now = emu.control.keys();

    const e = await rejection(a.keys.rotate({ confirm: true, ...FAST })) as RotationError;
    expect(e.stoppedAt).toBe("find key in use");
    const versions = emu.control.vault.versions("recover-c");
    expect(versions).toHaveLength(2);
    expect(latestKey("recover-c").equals(now.primary)).toBe(true);
    expect(readFileSync(envFile, "utf8")).toBe(
      before.replace(reference("recover-c", first.version), `'${reference("recover-c", versions[1]!.version)}'`),
    );
    expect((e.report as RotationReport).envFiles).toContain(envFile);
    expect((await newKernel(dir)).liveKey!.key.equals(now.primary)).toBe(true);
    expectNoSecrets(secrets(), e, e.report);
  });
});
