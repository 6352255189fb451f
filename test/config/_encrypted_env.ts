// Encrypted .env fixtures for the loader, writer and in-place encryption suites: dotenvx files
// made with this module's own format and crypto functions (their interop with the real dotenvx is
// tested in dotenvx_interop_test.ts and encrypted_env_interop_test.ts).
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { onTestFinished } from "vitest";
import {
  addPublicKeyHeader,
  appendPrivateKeyEntry,
  dotenvxKeyNames,
} from "../../src/config/dotenvx.ts";
import { type DotenvxKeyPair, encryptValue } from "../../src/config/dotenvx_crypto.ts";
import { quoteEnvValue } from "../../src/config/env_file_edit.ts";

export const VAR = "AZURE_QUANTUM_CONNECTION_STRING";

/** A fresh project folder (with `.git`), removed when the test ends (it holds private keys). */
export function projectDir(prefix = "aqn-enc-"): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  mkdirSync(join(dir, ".git"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The text of a dotenvx file at `path` holding `vars`, the ones named in `encrypt` (all by default)
 * encrypted for `pair`, with the header dotenvx writes.
 */
export function encryptedText(
  path: string,
  vars: Record<string, string>,
  pair: DotenvxKeyPair,
  encrypt: readonly string[] = Object.keys(vars),
): string {
  const body =
    Object.entries(vars).map(([name, value]) =>
      `${name}=${
        encrypt.includes(name) ? encryptValue(pair.publicKey, value) : quoteEnvValue(value)
      }`
    ).join("\n") + "\n";
  return addPublicKeyHeader(body, {
    fileName: basename(path),
    publicKeyName: dotenvxKeyNames(path).publicKeyName,
    publicKey: pair.publicKey,
  });
}

/** `.env.keys` text holding `pair`'s private key for the file at `path`. */
export function keysText(path: string, pair: DotenvxKeyPair): string {
  return appendPrivateKeyEntry("", {
    privateKeyName: dotenvxKeyNames(path).privateKeyName,
    privateKey: pair.privateKey,
    fileName: basename(path),
  }).reveal();
}

/** Writes an encrypted `.env` (and, unless `keys: false`, its `.env.keys`) into `dir`. */
export function writeEncryptedEnv(
  dir: string,
  vars: Record<string, string>,
  pair: DotenvxKeyPair,
  options: { name?: string; keys?: boolean; encrypt?: readonly string[] } = {},
): string {
  const path = join(dir, options.name ?? ".env");
  writeFileSync(path, encryptedText(path, vars, pair, options.encrypt), { mode: 0o600 });
  if (options.keys !== false) {
    writeFileSync(join(dir, ".env.keys"), keysText(path, pair), { mode: 0o600 });
  }
  return path;
}
