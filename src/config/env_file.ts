/**
 * Finding and reading the `.env` file of a project, without touching the process environment.
 *
 * @module
 */

import { fs, nodeProcess, os, parseDotenv, path } from "../_builtins.ts";
import { EnvFileError } from "../errors.ts";
import type { LoadConnectionOptions } from "./load_connection.ts";

/**
 * Reads a text file; `undefined` when it does not exist.
 *
 * @example Usage
 * ```ts
 * import type { ReadTextFile } from "azure-quantum-notebook";
 * const files: Record<string, string> = { "/repo/.env": "LOCATION=eastus\n" };
 * const read: ReadTextFile = (path) => files[path];
 * ```
 */
export type ReadTextFile = (path: string) => string | undefined;

/**
 * Options of {@link findEnvFile}.
 *
 * @example Usage
 * ```ts
 * import { findEnvFile, type FindEnvFileOptions } from "azure-quantum-notebook";
 * const options: FindEnvFileOptions = { cwd: "/repo/notebooks", exists: (p) => p === "/repo/.git" };
 * findEnvFile(options).path; // undefined
 * ```
 */
export interface FindEnvFileOptions {
  /** Where the search starts. @default process.cwd() */
  cwd?: string;
  /** Whether a path exists. @default `existsSync` from `node:fs` */
  exists?: (path: string) => boolean;
  /** The home directory, where the search stops. @default `os.homedir()` */
  home?: string;
}

/**
 * The result of {@link findEnvFile}: the `.env` found (if any) and every path looked at, in order.
 *
 * @example Usage
 * ```ts
 * import { findEnvFile, type EnvFileSearch } from "azure-quantum-notebook";
 * const search: EnvFileSearch = findEnvFile({ cwd: "/repo/notebooks" });
 * search.searched; // ["/repo/notebooks/.env", "/repo/.env", …]
 * ```
 */
export interface EnvFileSearch {
  /** Absolute path of the `.env` found, or `undefined`. */
  path: string | undefined;
  /** Every `.env` path checked, nearest first. */
  searched: string[];
}

/**
 * Looks for `.env` in `cwd`, then in each parent folder up to the project's boundary: the first
 * folder that contains `.git` (the repository root) or is the home directory, whichever comes
 * first, its own `.env` included. A folder outside every repository and outside the home directory
 * (`/tmp/notebook`, `/app` in an image) has no boundary above it: then only `cwd` itself is looked
 * at, so a `.env` planted higher up (`/tmp/.env`, an image's `/.env`) is never read.
 *
 * @example Usage
 * ```ts
 * import { findEnvFile } from "azure-quantum-notebook";
 * const { path } = findEnvFile(); // e.g. "/home/me/project/.env"
 * ```
 */
export function findEnvFile(options: FindEnvFileOptions = {}): EnvFileSearch {
  const exists = options.exists ?? fs().existsSync;
  const { dirname, join, resolve } = path();
  const start = resolve(options.cwd ?? nodeProcess().cwd());
  const home = resolve(options.home ?? os().homedir());
  let boundary = start;
  for (let dir = start;; dir = dirname(dir)) {
    if (dir === home || exists(join(dir, ".git"))) {
      boundary = dir;
      break;
    }
    if (dirname(dir) === dir) break; // no repository, not under home: cwd only
  }
  const searched: string[] = [];
  for (let dir = start;; dir = dirname(dir)) {
    const candidate = join(dir, ".env");
    searched.push(candidate);
    if (exists(candidate)) return { path: candidate, searched };
    if (dir === boundary) return { path: undefined, searched };
  }
}

/** Reads a UTF-8 file with `node:fs`, `undefined` when it does not exist. */
export const readTextFileSync: ReadTextFile = (path) => {
  try {
    return fs().readFileSync(path, "utf8");
  } catch (e) {
    if ((e as { code?: unknown }).code === "ENOENT") return undefined;
    throw e;
  }
};

/**
 * Reads and parses a `.env` file with `dotenv`'s `parse` (never loading it into the process
 * environment); `undefined` when the file does not exist.
 *
 * @throws {EnvFileError} code `"EnvFileReadFailed"` when the file exists but cannot be read.
 */
export function readEnvFile(
  path: string,
  readTextFile: ReadTextFile = readTextFileSync,
): Record<string, string> | undefined {
  let text: string | undefined;
  try {
    text = readTextFile(path);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw new EnvFileError(
      "EnvFileReadFailed",
      `Cannot read .env: ${path} could not be read${
        typeof code === "string" ? ` (${code})` : ""
      }. ` +
        "Check that it is a readable file, or pass envFile: false",
      path,
    );
  }
  return text === undefined ? undefined : parseDotenv(text);
}

/**
 * Whether the `.env` ranks above the environment: only one the caller named (`envFile: "<path>"`),
 * an argument like the others (the environment may hold a connection the caller never set, say the
 * one `connect({ emulator: "auto" })` exports); a searched one ranks below. One rule for the
 * connection and for every setting that travels with it (ARM endpoint, CA, Key Vault).
 */
export function envFileFirst(o: Pick<LoadConnectionOptions, "envFile">): boolean {
  return typeof o.envFile === "string";
}

/** The `.env` `loadConnection` reads, and how its messages describe where it looked. */
export interface EnvFileUse {
  /** The file, when one was read. */
  path?: string;
  /** "`.env` was read from …", or why none was. */
  note: string;
  /** Its variables, as written. */
  vars?: Record<string, string>;
}

/**
 * The `.env` of `loadConnection`: the `envFile` option (which must exist), none with
 * `envFile: false`, else the one {@link findEnvFile} finds from `cwd`.
 *
 * @throws {EnvFileError} `EnvFileNotFound` for an `envFile` that does not exist.
 */
export function locateEnvFile(
  o: Pick<LoadConnectionOptions, "envFile" | "readTextFile" | "exists">,
  cwd: string,
): EnvFileUse {
  const read = o.readTextFile ?? readTextFileSync;
  if (o.envFile === false) return { note: "none read: envFile is false" };
  if (typeof o.envFile === "string") {
    const file = path().resolve(cwd, o.envFile);
    const vars = readEnvFile(file, read);
    if (vars === undefined) {
      throw new EnvFileError(
        "EnvFileNotFound",
        `Cannot read .env: ${file} does not exist. Check the envFile path, or pass envFile: false`,
        file,
      );
    }
    return { path: file, vars, note: `.env was read from ${file}` };
  }
  const search = findEnvFile({ cwd, exists: o.exists ?? fs().existsSync });
  const vars = search.path === undefined ? undefined : readEnvFile(search.path, read);
  if (search.path === undefined || vars === undefined) {
    // No parentheses: the note is quoted inside the ConnectionNotFound message's own.
    const places = search.searched;
    const where = places.length > 1 ? `${places.slice(0, -1).join(", ")} or ${places.at(-1)}` : places.join("");
    return { note: `no .env file at ${where}` };
  }
  return { path: search.path, vars, note: `.env was read from ${search.path}` };
}
