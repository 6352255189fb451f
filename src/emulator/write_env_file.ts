/**
 * The CLI's `--write-env FILE`: the emulator's client environment as dotenv text, written into
 * FILE (created, or merged into keeping every other line, or refused when it points at Azure), its
 * variables encrypted when asked or when the file is encrypted already, under the `.env` lock.
 *
 * @module
 */

import { readFile } from "node:fs/promises";
import type { EncryptedWrite } from "../config/encrypted_write.ts";
import { lockPathFor, withFileLock } from "../config/file_lock.ts";
import { resolveWriteTarget, writePrivateFile } from "../config/private_file.ts";
import { encryptEmulatorEnv, readableValues } from "./encrypted_env_file.ts";
import { type EnvFileMerge, mergeEmulatorEnv } from "./env_file_merge.ts";

function quote(name: string, value: string): string {
  if (/['\r\n]/.test(value)) {
    throw new RangeError(
      `Cannot write ${name} to the env file: its value contains a quote or a line break`,
    );
  }
  return `${name}='${value}'`;
}

/**
 * The dotenv text of the emulator's client environment: single-quoted values (taken literally by
 * dotenv parsers, so Windows paths survive), one per line, with a header comment.
 *
 * @param env The variables.
 * @param now Timestamp for the header.
 * @returns The file content.
 */
export function formatEnvFile(env: Record<string, string>, now: Date): string {
  return [
    `# Azure Quantum emulator: written by "azure-quantum-notebook emulator" at ${now.toISOString()}.`,
    "# Valid while that emulator runs (its CA file is removed when it stops). Holds an access key: keep it private.",
    ...Object.entries(env).map(([k, v]) => quote(k, v)),
    "",
  ].join("\n");
}

/** Placeholder values that pass the check before the emulator starts: only the existing file's values are judged. */
const PROBE_ENV: Record<string, string> = {
  AZURE_QUANTUM_CONNECTION_STRING: "QuantumEndpoint=https://127.0.0.1/;",
  AZURE_QUANTUM_ARM_ENDPOINT: "https://127.0.0.1",
  AZURE_QUANTUM_EMULATOR_CA: "ca.pem",
  IDENTITY_ENDPOINT: "http://127.0.0.1/msi/token",
  IDENTITY_HEADER: "x",
  AZURE_QUANTUM_KEY_VAULT_URL: "https://127.0.0.1/",
};

/** The line the CLI prints about the env file it wrote. */
export function envFileLine(file: string, merge: EnvFileMerge & { encryption?: EncryptedWrite }): string {
  const what = merge.outcome === "created"
    ? "created"
    : merge.outcome === "updated"
    ? "updated (the emulator's variables got new values)"
    : `merged (the emulator's variables set; ${merge.keptLines} other line${
      merge.keptLines === 1 ? "" : "s"
    } kept as they were)`;
  const e = merge.encryption;
  const sealed = e && `; every value encrypted (dotenvx), private key ${e.privateKeyName} ${
    e.privateKeySource === undefined ? "not on this machine" : `from ${e.privateKeySource}`
  }`;
  return `  Env file       ${file}: ${what}${sealed ?? ""}`;
}

/** The text of `path`, or `undefined` when it does not exist. */
async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT") return undefined;
    throw e;
  }
}

/**
 * Reads `target` and refuses it (see `mergeEmulatorEnv`) when it holds a foreign value for one of
 * `env`'s variables, an encrypted value judged decrypted. Returns its text and those values.
 */
async function readAndCheck(target: string, file: string, env: Record<string, string>) {
  const existing = await readIfExists(target);
  const current = readableValues(target, existing, Object.keys(env));
  mergeEmulatorEnv(existing, env, "", file, current);
  return { existing, current };
}

/**
 * Refuses `file` for `--write-env` before the emulator starts, when it points at Azure (checked
 * again when writing).
 *
 * @throws {RangeError} as `mergeEmulatorEnv` does; {EnvFileError} when an encrypted value cannot
 * be decrypted.
 */
export async function checkEnvFile(file: string): Promise<void> {
  await readAndCheck(file, file, PROBE_ENV);
}

/**
 * Writes the emulator's variables into `file` (following a symbolic link to its target): creates
 * it, or merges into it keeping every other line, or refuses (see `mergeEmulatorEnv`). Its variables
 * are encrypted when asked or when the file is encrypted already (`encryptEmulatorEnv`), after the
 * check, so a refused file gets no key pair.
 */
export async function writeEnvFile(
  file: string,
  env: Record<string, string>,
  encrypt: boolean,
): Promise<EnvFileMerge & { encryption?: EncryptedWrite }> {
  const target = await resolveWriteTarget(file);
  // The same lock as updateEnvFile: a kernel rotating its key into this file is never lost.
  return await withFileLock(lockPathFor(target), async () => {
    const { existing, current } = await readAndCheck(target, file, env);
    const sealed = await encryptEmulatorEnv(target, existing, env, encrypt);
    const values = sealed?.env ?? env;
    const merge = mergeEmulatorEnv(
      sealed?.existing ?? existing,
      values,
      (sealed?.header ?? "") + formatEnvFile(values, new Date()),
      file,
      current,
    );
    await writePrivateFile(target, merge.text);
    return { ...merge, encryption: sealed?.encryption };
  }, { what: target });
}
