/**
 * How `azure-quantum-notebook emulator --write-env FILE` puts its variables into a file that may
 * already exist: never replacing what it did not write. Pure: text in, text out.
 *
 * @module
 */
import { parse } from "dotenv";
import { PUBLIC_KEY_PREFIX } from "../config/dotenvx.ts";
import { setEnvVariable } from "../config/env_file_edit.ts";

/** What {@link mergeEmulatorEnv} did to the file. */
export interface EnvFileMerge {
  /** The new content. */
  text: string;
  /**
   * `"created"`: there was no file; `"updated"`: only the emulator's variables (and comments) were
   * there and got new values; `"merged"`: the file has other lines, kept byte for byte.
   */
  outcome: "created" | "updated" | "merged";
  /** Lines kept that are not the emulator's variables (comments and blank lines included). */
  keptLines: number;
}

/** The marker line above the variables the emulator adds to a file it did not create. */
export const MERGE_MARKER =
  '# Azure Quantum emulator: the variables below were written by "azure-quantum-notebook emulator --write-env" (valid while it runs).';

const LOOPBACK_URL = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/i;

// Variables that name where requests go (a real vault's URL included): never replaced by ours.
const ENDPOINTS = [
  "AZURE_QUANTUM_ARM_ENDPOINT",
  "IDENTITY_ENDPOINT",
  "AZURE_QUANTUM_KEY_VAULT_URL",
];

/**
 * Why the value of `name` is not one an emulator wrote, or `undefined` when it is (or when the
 * variable says nothing about where requests go). Never quotes the value: it may be a real key.
 */
function foreignValue(name: string, value: string): string | undefined {
  if (name === "AZURE_QUANTUM_CONNECTION_STRING") {
    const endpoint = /(?:^|;)\s*QuantumEndpoint\s*=\s*([^;]*)/i.exec(value)?.[1]?.trim() ?? "";
    return LOOPBACK_URL.test(endpoint)
      ? undefined
      : "a connection string whose QuantumEndpoint is not a local emulator's";
  }
  if (ENDPOINTS.includes(name)) {
    return LOOPBACK_URL.test(value.trim())
      ? undefined
      : "an endpoint that is not a local emulator's";
  }
  return undefined;
}

/**
 * Puts the emulator's variables into `existing` (the file's current text, `undefined` when there is
 * none): a new file gets `fresh`; an existing one gets each variable replaced in place or appended
 * (below {@link MERGE_MARKER}), every other line, comment and line ending kept byte for byte
 * (`setEnvVariable`). Refuses, changing nothing, when the file already sets one of these variables
 * to something an emulator did not write, such as a real workspace's connection string.
 *
 * @param existing The current content, or `undefined`.
 * @param env The variables to write.
 * @param fresh The content for a new file.
 * @param file The file's name, for messages.
 * @param current The file's values as they read, when that is not its text (an encrypted file's
 *   values decrypted): the check judges these. @default `parse(existing)`
 * @returns The new text and what happened.
 * @throws {RangeError} when the file holds a foreign value for one of the variables, or a value
 *   cannot be written so that dotenv reads it back unchanged. The message never holds a value.
 */
export function mergeEmulatorEnv(
  existing: string | undefined,
  env: Record<string, string>,
  fresh: string,
  file: string,
  current: Record<string, string> = parse(existing ?? ""),
): EnvFileMerge {
  if (existing === undefined) return { text: fresh, outcome: "created", keptLines: 0 };
  const names = Object.keys(env);
  for (const name of names) {
    const value = current[name];
    const why = value === undefined ? undefined : foreignValue(name, value);
    if (why) {
      throw new RangeError(
        `Cannot write the emulator's variables to "${file}": it sets ${name} to ${why}, which the ` +
          `emulator will not replace. Use another file, for example --write-env .env.emulator`,
      );
    }
  }
  const ours = new Set(names);
  // An encrypted file's public key belongs with the emulator's variables, not to "other content".
  const others = Object.keys(current).filter((k) => !ours.has(k) && !k.startsWith(PUBLIC_KEY_PREFIX));
  const anyOurs = names.some((n) => n in current);
  let text = existing;
  if (!anyOurs) {
    const eol = /\r\n/.test(existing) ? "\r\n" : "\n";
    const sep = text === "" || /[\r\n]$/.test(text) ? "" : eol;
    text = `${text}${sep}${text.trim() === "" ? "" : eol}${MERGE_MARKER}${eol}`;
  }
  for (const name of names) {
    try {
      text = setEnvVariable(text, name, env[name]!).text;
    } catch {
      throw new RangeError(
        `Cannot write the emulator's variables to "${file}": ${name} cannot be set there so that ` +
          `dotenv reads it back unchanged. Use another file, for example --write-env .env.emulator`,
      );
    }
  }
  const keptLines =
    existing.split(/\r\n|\n|\r/).filter((line, i, all) =>
      !(i === all.length - 1 && line === "") && !names.some((n) => assigns(line, n))
    ).length;
  return { text, outcome: others.length === 0 ? "updated" : "merged", keptLines };
}

const assigns = (line: string, name: string) =>
  new RegExp(`^\\s*(?:export\\s+)?${name}\\s*[=:]`).test(line);
