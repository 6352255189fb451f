/**
 * The dotenvx file format, pure: the `encrypted:` prefix, the key names dotenvx gives each `.env`
 * file, `.env.keys` parsing, and the header comments dotenvx writes when it creates a key pair.
 * No cryptography here (see `dotenvx_crypto.ts`) and no I/O.
 *
 * Every fact mirrors dotenvx 2.38.2 (`@dotenvx/dotenvx` on npm; github.com/dotenvx/dotenvx, read at
 * e6f4cf2 and in the 2.38.2 tarball): `src/lib/conventions/keynames.js`, `environment.js`,
 * `src/lib/helpers/canonicalEnvFilename.js`, `prependPublicKey.js`, `preserveShebang.js`,
 * `cryptography/mutateSrc.js`, `cryptography/mutateKeysSrc.js`.
 *
 * @module
 */

import { Secret } from "../connection/secret.ts";

/** What every dotenvx-encrypted value starts with; base64 of the ECIES payload follows. */
export const ENCRYPTED_PREFIX = "encrypted:";
/** Prefix of the public-key variable in a `.env` (`DOTENV_PUBLIC_KEY`, `DOTENV_PUBLIC_KEY_CI`). */
export const PUBLIC_KEY_PREFIX = "DOTENV_PUBLIC_KEY";
/** Prefix of the private-key variable in the environment or `.env.keys`. */
export const PRIVATE_KEY_PREFIX = "DOTENV_PRIVATE_KEY";
/** The file dotenvx keeps private keys in, beside the `.env` it encrypted. */
export const ENV_KEYS_FILE = ".env.keys";

/**
 * True when `value` is a dotenvx ciphertext (starts with `encrypted:`, case-sensitive, as dotenvx's
 * own `encrypted()` test). `"encrypted:"` alone counts: it is a damaged ciphertext, never clear text.
 */
export function isEncryptedValue(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(ENCRYPTED_PREFIX);
}

/** The names of the two variables that hold the key pair of one `.env` file. */
export interface DotenvxKeyNames {
  /** In the `.env` itself: `DOTENV_PUBLIC_KEY` + `_<ENVIRONMENT>` for `.env.<environment>`. */
  publicKeyName: string;
  /** In the environment or `.env.keys`: `DOTENV_PRIVATE_KEY` + the same suffix. */
  privateKeyName: string;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

/**
 * The environment dotenvx derives from a `.env` file name (lower-cased, a trailing `.txt` dropped):
 * `.env.production` → `production`, `.env.ci.local` → `ci_local` (at most two parts), and for a
 * name with no part after `.env`, `.env` replaced by `development` (`.env1` → `development1`).
 */
export function dotenvxEnvironment(path: string): string {
  let name = baseName(path).toLowerCase();
  if (name.startsWith(".env") && name.endsWith(".txt")) name = name.slice(0, -4);
  const parts = name.split(".").slice(2);
  if (parts.length === 0) return name.replace(".env", "development");
  return parts.slice(0, 2).join("_");
}

/**
 * The key names dotenvx uses for the `.env` at `path`: when the file already declares a
 * `DOTENV_PUBLIC_KEY…` variable, that name wins (so a renamed file keeps its keys); otherwise
 * `DOTENV_PUBLIC_KEY` for `.env` and `DOTENV_PUBLIC_KEY_<ENVIRONMENT>` for `.env.<environment>`.
 *
 * @param path The `.env` file (only its name is used).
 * @param vars The file's variables in file order, when it has been read.
 */
export function dotenvxKeyNames(path: string, vars: Record<string, string> = {}): DotenvxKeyNames {
  const declared = Object.keys(vars).find((name) => name.startsWith(PUBLIC_KEY_PREFIX));
  if (declared !== undefined) {
    return {
      publicKeyName: declared,
      privateKeyName: declared.replace(PUBLIC_KEY_PREFIX, PRIVATE_KEY_PREFIX),
    };
  }
  let name = baseName(path).toLowerCase();
  if (name.startsWith(".env") && name.endsWith(".txt")) name = name.slice(0, -4);
  if (name === ".env") {
    return { publicKeyName: PUBLIC_KEY_PREFIX, privateKeyName: PRIVATE_KEY_PREFIX };
  }
  const suffix = dotenvxEnvironment(name).toUpperCase();
  return {
    publicKeyName: `${PUBLIC_KEY_PREFIX}_${suffix}`,
    privateKeyName: `${PRIVATE_KEY_PREFIX}_${suffix}`,
  };
}

/**
 * True when a `.env` is a dotenvx file: it declares a `DOTENV_PUBLIC_KEY…` or holds an
 * `encrypted:` value. A writer must never put clear text into such a file.
 */
export function isDotenvxFile(vars: Record<string, string>): boolean {
  return Object.entries(vars).some(([name, value]) =>
    name.startsWith(PUBLIC_KEY_PREFIX) || isEncryptedValue(value)
  );
}

/** One `DOTENV_PRIVATE_KEY…` assignment of a `.env.keys` file. */
export interface EnvKeysEntry {
  /** The variable, e.g. `DOTENV_PRIVATE_KEY_CI`. */
  name: string;
  /** Its value: one private key, or several separated by commas. */
  value: Secret;
  /** 1-based line number. */
  line: number;
}

const ASSIGNMENT = /^\s*(?:export\s+)?([\w.-]+)(?:\s*=|:\s)\s*(.*)$/;

/**
 * The `DOTENV_PRIVATE_KEY…` assignments of `.env.keys` text, in file order, repeats included (as
 * dotenvx's own scan keeps them). Values may be quoted (`'`, `"`, backtick); an unquoted value
 * ends at `#`. Other variables, comments and blank lines are skipped.
 */
export function parseEnvKeys(text: string | Secret): EnvKeysEntry[] {
  const source = typeof text === "string" ? text : text.reveal();
  const entries: EnvKeysEntry[] = [];
  source.split(/\r\n|\n|\r/).forEach((body, index) => {
    const m = ASSIGNMENT.exec(body);
    if (m === null || !m[1].startsWith(PRIVATE_KEY_PREFIX)) return;
    const raw = m[2];
    const quote = raw[0];
    let value: string;
    if (quote === '"' || quote === "'" || quote === "`") {
      const end = raw.indexOf(quote, 1);
      value = end < 0 ? raw.slice(1) : raw.slice(1, end);
    } else {
      value = raw.split("#")[0];
    }
    entries.push({ name: m[1], value: new Secret(value.trim()), line: index + 1 });
  });
  return entries;
}

/**
 * The keys in a private-key value: dotenvx accepts several, separated by commas (for example the
 * old and the new key during a change), and tries each in turn. Blank parts are dropped.
 */
export function splitPrivateKeys(value: string | Secret): Secret[] {
  const text = typeof value === "string" ? value : value.reveal();
  return text.split(",").map((part) => part.trim()).filter((part) => part !== "").map((part) =>
    new Secret(part)
  );
}

const PUBLIC_KEY_BANNER = [
  "#/-------------------[DOTENV_PUBLIC_KEY]--------------------/",
  "#/            public-key encryption for .env files          /",
  "#/       [how it works](https://dotenvx.com/encryption)     /",
  "#/----------------------------------------------------------/",
];

const PRIVATE_KEYS_BANNER = [
  "#/------------------!DOTENV_PRIVATE_KEYS!-------------------/",
  "#/ private decryption keys. DO NOT commit to source control /",
  "#/     [how it works](https://dotenvx.com/encryption)       /",
  "#/          ⛨ ARMORED KEYS: `dotenvx armor up`              /",
  "#/----------------------------------------------------------/",
].join("\n");

/** What {@link addPublicKeyHeader} writes. */
export interface PublicKeyHeader {
  /** The `.env` file's own name, written as the `# <name>` comment under the key. */
  fileName: string;
  /** From {@link dotenvxKeyNames}. */
  publicKeyName: string;
  /** Compressed public key, 66 hex digits. */
  publicKey: string;
  /**
   * Where `.env.keys` is, relative to the `.env` folder; anything but `.env.keys` is noted as a
   * ` # -fk <path>` comment, as dotenvx does. @default ".env.keys"
   */
  keysFile?: string;
}

/**
 * `.env` text with dotenvx's public-key header put on top, exactly as `dotenvx encrypt` writes it
 * when it creates a key pair: a `#!` first line stays first, then the four banner lines,
 * `DOTENV_PUBLIC_KEY…="<key>"`, a blank line, `# <file name>`, then the old text unchanged.
 */
export function addPublicKeyHeader(envText: string, header: PublicKeyHeader): string {
  const keysFile = header.keysFile ?? ENV_KEYS_FILE;
  const comment = keysFile === ENV_KEYS_FILE ? "" : ` # -fk ${keysFile}`;
  const block = [
    ...PUBLIC_KEY_BANNER,
    `${header.publicKeyName}="${header.publicKey}"${comment}`,
    "",
    `# ${header.fileName}`,
  ].join("\n");
  const newline = envText.indexOf("\n");
  const first = newline < 0 ? envText : envText.slice(0, newline);
  if (first.startsWith("#!")) {
    return `${first}\n${block}\n${newline < 0 ? "" : envText.slice(newline + 1)}`;
  }
  return `${block}\n${envText}`;
}

/** What {@link appendPrivateKeyEntry} adds. */
export interface PrivateKeyEntry {
  /** From {@link dotenvxKeyNames}. */
  privateKeyName: string;
  /** The private key (64 hex digits). */
  privateKey: Secret;
  /** The `.env` file's name, written as the `# <name>` comment above the key. */
  fileName: string;
}

/**
 * `.env.keys` text with one more private key, as dotenvx appends it: a new file starts with the
 * `DOTENV_PRIVATE_KEYS` banner; each key follows a blank line and a `# <file name>` comment. The
 * result holds private keys, so it comes back as a {@link Secret}.
 */
export function appendPrivateKeyEntry(keysText: string | Secret, entry: PrivateKeyEntry): Secret {
  const old = typeof keysText === "string" ? keysText : keysText.reveal();
  const start = old.length < 1 ? `${PRIVATE_KEYS_BANNER}\n` : old;
  return new Secret(
    `${start}\n# ${entry.fileName}\n${entry.privateKeyName}=${entry.privateKey.reveal()}\n`,
  );
}
