import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Secret } from "../../src/connection/secret.ts";
import { findPrivateKey } from "../../src/config/dotenvx_private_key.ts";
import { expectNoLeak, thrown } from "../connection/_leak.ts";
import { tempDir } from "./_dotenvx.ts";

const NAMES = { publicKeyName: "DOTENV_PUBLIC_KEY_CI", privateKeyName: "DOTENV_PRIVATE_KEY_CI" };
const A = "a".repeat(64);
const B = "b".repeat(64);
const C = "c".repeat(64);
const KEYS = `# .env\nDOTENV_PRIVATE_KEY=${A}\n# .env.ci\nDOTENV_PRIVATE_KEY_CI=${B}\n`;

function files(map: Record<string, string>) {
  const read: string[] = [];
  return {
    read,
    readTextFile: (path: string) => {
      read.push(path);
      return map[path];
    },
  };
}

describe("findPrivateKey()", () => {
  it("takes the privateKey option first and reads nothing else", () => {
    const fs = files({ "/repo/.env.keys": KEYS });
    const search = findPrivateKey("/repo/.env.ci", NAMES, {
      privateKey: new Secret(C),
      env: { DOTENV_PRIVATE_KEY_CI: A },
      readTextFile: fs.readTextFile,
    });
    expect(search.found?.value.reveal()).toBe(C);
    expect(search.found).toMatchObject({
      kind: "option",
      variable: "privateKey",
      description: "the privateKey option",
    });
    expect(search.keysPath).toBe("/repo/.env.keys");
    expect(fs.read).toEqual([]);
  });

  it("takes the environment variable next, without reading .env.keys (as dotenvx)", () => {
    const fs = files({ "/repo/.env.keys": KEYS });
    const search = findPrivateKey("/repo/.env.ci", NAMES, {
      privateKey: "",
      env: { DOTENV_PRIVATE_KEY_CI: A, DOTENV_PRIVATE_KEY: C },
      readTextFile: fs.readTextFile,
    });
    expect(search.found?.value.reveal()).toBe(A);
    expect(search.found).toMatchObject({
      kind: "environment",
      variable: "DOTENV_PRIVATE_KEY_CI",
      description: "the DOTENV_PRIVATE_KEY_CI environment variable",
    });
    expect(fs.read).toEqual([]);
  });

  it("then reads the variable from .env.keys beside the .env", () => {
    const fs = files({ "/repo/.env.keys": KEYS });
    const search = findPrivateKey("/repo/.env.ci", NAMES, {
      env: { DOTENV_PRIVATE_KEY_CI: "", DOTENV_PRIVATE_KEY: C },
      readTextFile: fs.readTextFile,
    });
    expect(search.found?.value.reveal()).toBe(B);
    expect(search.found).toMatchObject({
      kind: "env-keys",
      variable: "DOTENV_PRIVATE_KEY_CI",
      path: "/repo/.env.keys",
      description: "DOTENV_PRIVATE_KEY_CI in /repo/.env.keys",
    });
    expect(fs.read).toEqual(["/repo/.env.keys"]);
  });

  it("joins repeated assignments in .env.keys so that every key is tried", () => {
    const fs = files({
      "/k/keys":
        `DOTENV_PRIVATE_KEY_CI=${A}\nDOTENV_PRIVATE_KEY_CI=\nDOTENV_PRIVATE_KEY_CI="${B},${C}"\n`,
    });
    const search = findPrivateKey("/repo/.env.ci", NAMES, {
      env: {},
      readTextFile: fs.readTextFile,
      keysFile: "/k/keys",
    });
    expect(search.found?.value.reveal()).toBe(`${A},${B},${C}`);
    expect(search.keysPath).toBe("/k/keys");
  });

  it("finds nothing when neither the environment nor .env.keys has the variable", () => {
    const none = findPrivateKey("/repo/.env.ci", NAMES, {
      env: { DOTENV_PRIVATE_KEY: A },
      readTextFile: files({ "/repo/.env.keys": `DOTENV_PRIVATE_KEY=${A}\n` }).readTextFile,
    });
    expect(none).toEqual({
      privateKeyName: "DOTENV_PRIVATE_KEY_CI",
      keysPath: "/repo/.env.keys",
      found: undefined,
    });
    const missingFile = findPrivateKey("/repo/.env.ci", NAMES, {
      env: {},
      readTextFile: files({}).readTextFile,
    });
    expect(missingFile.found).toBeUndefined();
  });

  it("reads the real file system by default", () => {
    const dir = tempDir();
    writeFileSync(join(dir, ".env.keys"), KEYS);
    expect(findPrivateKey(join(dir, ".env.ci"), NAMES, { env: {} }).found?.value.reveal()).toBe(B);
    expect(findPrivateKey(join(dir, "sub", ".env.ci"), NAMES, { env: {} }).found).toBeUndefined();
  });

  it("reports a .env.keys that is not a readable file as DotenvxKeysFileReadFailed", () => {
    const dir = tempDir();
    const keys = join(dir, ".env.keys");
    mkdirSync(keys); // EISDIR, also for root
    const e = thrown(() => findPrivateKey(join(dir, ".env.ci"), NAMES, { env: {} }));
    expect(e).toMatchObject({ code: "DotenvxKeysFileReadFailed", path: keys });
    expect(e.message).toContain("(EISDIR)");
  });

  it("reports a .env.keys that cannot be read as DotenvxKeysFileReadFailed, without its text", () => {
    const e = thrown(() =>
      findPrivateKey("/repo/.env.ci", NAMES, {
        env: {},
        readTextFile: () => {
          throw Object.assign(new Error(`EACCES: ${B}`), { code: "EACCES" });
        },
      })
    );
    expect(e).toMatchObject({ code: "DotenvxKeysFileReadFailed", path: "/repo/.env.keys" });
    expect(e.message).toBe(
      "Cannot read /repo/.env.keys: the file could not be read (EACCES). Make it readable by this " +
        "user (chmod 600 /repo/.env.keys), or set DOTENV_PRIVATE_KEY_CI in the environment",
    );
    expectNoLeak(e, B);
  });

  it("keeps the key out of JSON and inspect output", () => {
    const search = findPrivateKey("/repo/.env.ci", NAMES, { env: { DOTENV_PRIVATE_KEY_CI: A } });
    expect(JSON.stringify(search)).not.toContain(A);
    expectNoLeak(search, A);
  });
});
