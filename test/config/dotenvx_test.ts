import { describe, expect, it } from "vitest";
import { Secret } from "../../src/connection/secret.ts";
import {
  addPublicKeyHeader,
  appendPrivateKeyEntry,
  dotenvxEnvironment,
  dotenvxKeyNames,
  isDotenvxFile,
  isEncryptedValue,
  parseEnvKeys,
  splitPrivateKeys,
} from "../../src/config/dotenvx.ts";
import { dotenvxInternal } from "./_dotenvx.ts";

type KeyNames = (path: string, src?: string) => { publicKeyName: string; privateKeyName: string };
const theirKeyNames = dotenvxInternal<KeyNames>("src/lib/conventions/keynames.js");
const theirEnvironment = dotenvxInternal<(path: string) => string>(
  "src/lib/conventions/environment.js",
);
const { mutateSrc, mutateKeysSrc } = dotenvxInternal<{
  mutateSrc(o: Record<string, string | undefined>): { envSrc: string };
  mutateKeysSrc(o: Record<string, string | undefined>): { keysSrc: string };
}>("src/lib/helpers/cryptography/index.js");

const PUBLIC = "02dec364e0d497ff52f1a927c54b1460b63ae8d9a7b731787a39da2585c4839a78";
const PRIVATE = "44be3de07512d28de2f9fb2e6e1f9565d5715872d880ac90eb4d643ab8b446f7";

describe("isEncryptedValue()", () => {
  it("is true for the encrypted: prefix only, case-sensitive", () => {
    expect(isEncryptedValue("encrypted:BH//eo8h")).toBe(true);
    expect(isEncryptedValue("encrypted:")).toBe(true);
    expect(isEncryptedValue("Encrypted:BH//")).toBe(false);
    expect(isEncryptedValue(" encrypted:BH//")).toBe(false);
    expect(isEncryptedValue("SubscriptionId=x;ApiKey=y")).toBe(false);
    expect(isEncryptedValue(undefined)).toBe(false);
  });
});

describe("dotenvxKeyNames()", () => {
  const cases: [string, string][] = [
    ["/repo/.env", "DOTENV_PUBLIC_KEY"],
    ["/repo/.ENV", "DOTENV_PUBLIC_KEY"],
    ["/repo/.env.txt", "DOTENV_PUBLIC_KEY"],
    ["/repo/.env.production", "DOTENV_PUBLIC_KEY_PRODUCTION"],
    ["/repo/.env.ci.local", "DOTENV_PUBLIC_KEY_CI_LOCAL"],
    ["/repo/.env.a.b.c", "DOTENV_PUBLIC_KEY_A_B"],
    ["/repo/.env.staging.txt", "DOTENV_PUBLIC_KEY_STAGING"],
    ["/repo/.env1", "DOTENV_PUBLIC_KEY_DEVELOPMENT1"],
    ["/repo/.env-test", "DOTENV_PUBLIC_KEY_DEVELOPMENT-TEST"],
    ["/repo/quantum.env", "DOTENV_PUBLIC_KEY_QUANTUMDEVELOPMENT"],
    ["C:\\repo\\.env.prod", "DOTENV_PUBLIC_KEY_PROD"],
  ];
  it.each(cases)("names the keys of %s as dotenvx does", (path, publicKeyName) => {
    const names = dotenvxKeyNames(path);
    expect(names.publicKeyName).toBe(publicKeyName);
    expect(names.privateKeyName).toBe(publicKeyName.replace("PUBLIC", "PRIVATE"));
    if (!path.includes("\\")) expect(names).toEqual(theirKeyNames(path));
  });

  it("takes the name of the public key the file already declares (first one), as dotenvx does", () => {
    const vars = { A: "1", DOTENV_PUBLIC_KEY_PRODUCTION: PUBLIC, DOTENV_PUBLIC_KEY_CI: PUBLIC };
    expect(dotenvxKeyNames("/repo/.env", vars)).toEqual({
      publicKeyName: "DOTENV_PUBLIC_KEY_PRODUCTION",
      privateKeyName: "DOTENV_PRIVATE_KEY_PRODUCTION",
    });
    const src = `A=1\nDOTENV_PUBLIC_KEY_PRODUCTION="${PUBLIC}"\nDOTENV_PUBLIC_KEY_CI="${PUBLIC}"\n`;
    expect(theirKeyNames("/repo/.env", src)).toEqual(dotenvxKeyNames("/repo/.env", vars));
  });
});

describe("dotenvxEnvironment()", () => {
  it.each([".env.production", ".env.ci.local", ".env1", ".env.a.b.c", "x.env", ".env.TXT"])(
    "derives the environment of %s as dotenvx does",
    (name) => expect(dotenvxEnvironment(`/repo/${name}`)).toBe(theirEnvironment(`/repo/${name}`)),
  );
});

describe("isDotenvxFile()", () => {
  it("is true with a public key or an encrypted value, false for clear text", () => {
    expect(isDotenvxFile({ DOTENV_PUBLIC_KEY_CI: PUBLIC })).toBe(true);
    expect(isDotenvxFile({ A: "encrypted:BH//" })).toBe(true);
    expect(isDotenvxFile({ A: "1", B: "SubscriptionId=x" })).toBe(false);
  });
});

describe("parseEnvKeys()", () => {
  it("reads every DOTENV_PRIVATE_KEY assignment in order, repeats and quotes included", () => {
    const text = [
      "#/------------------!DOTENV_PRIVATE_KEYS!-------------------/",
      "",
      "# .env",
      `DOTENV_PRIVATE_KEY=${PRIVATE}`,
      "# .env.ci",
      `export DOTENV_PRIVATE_KEY_CI="aa,bb" # two keys`,
      `DOTENV_PRIVATE_KEY_CI='cc'`,
      "DOTENV_PRIVATE_KEY_X=dd # comment\r",
      "OTHER=ee",
      "DOTENV_PUBLIC_KEY=ff",
      "DOTENV_PRIVATE_KEY_EMPTY=",
    ].join("\n");
    const entries = parseEnvKeys(text).map((e) => [e.name, e.value.reveal(), e.line]);
    expect(entries).toEqual([
      ["DOTENV_PRIVATE_KEY", PRIVATE, 4],
      ["DOTENV_PRIVATE_KEY_CI", "aa,bb", 6],
      ["DOTENV_PRIVATE_KEY_CI", "cc", 7],
      ["DOTENV_PRIVATE_KEY_X", "dd", 8],
      ["DOTENV_PRIVATE_KEY_EMPTY", "", 11],
    ]);
  });

  it("keeps the keys in Secrets", () => {
    const [entry] = parseEnvKeys(new Secret(`DOTENV_PRIVATE_KEY=${PRIVATE}\n`));
    expect(JSON.stringify(entry)).not.toContain(PRIVATE);
    expect(entry.value.reveal()).toBe(PRIVATE);
  });
});

describe("splitPrivateKeys()", () => {
  it("splits on commas, trims and drops blanks", () => {
    expect(splitPrivateKeys(new Secret(" aa , bb,,cc ")).map((s) => s.reveal())).toEqual([
      "aa",
      "bb",
      "cc",
    ]);
    expect(splitPrivateKeys("")).toEqual([]);
  });
});

describe("addPublicKeyHeader()", () => {
  const header = { fileName: ".env", publicKeyName: "DOTENV_PUBLIC_KEY", publicKey: PUBLIC };

  it("writes the header dotenvx writes, above the old text", () => {
    expect(addPublicKeyHeader("# mine\nA=1\n", header)).toBe(
      [
        "#/-------------------[DOTENV_PUBLIC_KEY]--------------------/",
        "#/            public-key encryption for .env files          /",
        "#/       [how it works](https://dotenvx.com/encryption)     /",
        "#/----------------------------------------------------------/",
        `DOTENV_PUBLIC_KEY="${PUBLIC}"`,
        "",
        "# .env",
        "# mine",
        "A=1",
        "",
      ].join("\n"),
    );
  });

  it.each([
    ["", undefined],
    ["A=1\n", undefined],
    ["#!/usr/bin/env bash\nA=1\r\nB=2", undefined],
    ["#!/bin/sh", undefined],
    ["A=1\n", "../keys/.env.keys"],
  ])("matches dotenvx's own mutateSrc byte for byte (%j, keys %s)", (src, keysFile) => {
    const ours = addPublicKeyHeader(src, {
      fileName: ".env.ci",
      publicKeyName: "DOTENV_PUBLIC_KEY_CI",
      publicKey: PUBLIC,
      keysFile,
    });
    const theirs = mutateSrc({
      envSrc: src,
      envFilepath: "/repo/app/.env.ci",
      keysFilepath: keysFile === undefined ? undefined : `/repo/app/${keysFile}`,
      publicKeyName: "DOTENV_PUBLIC_KEY_CI",
      publicKeyValue: PUBLIC,
    }).envSrc;
    expect(ours).toBe(theirs);
  });
});

describe("appendPrivateKeyEntry()", () => {
  it("starts a new .env.keys with dotenvx's banner and matches its mutateKeysSrc", () => {
    const entry = {
      privateKeyName: "DOTENV_PRIVATE_KEY",
      privateKey: new Secret(PRIVATE),
      fileName: ".env",
    };
    const first = appendPrivateKeyEntry("", entry);
    expect(first.reveal()).toBe(
      [
        "#/------------------!DOTENV_PRIVATE_KEYS!-------------------/",
        "#/ private decryption keys. DO NOT commit to source control /",
        "#/     [how it works](https://dotenvx.com/encryption)       /",
        "#/          ⛨ ARMORED KEYS: `dotenvx armor up`              /",
        "#/----------------------------------------------------------/",
        "",
        "# .env",
        `DOTENV_PRIVATE_KEY=${PRIVATE}`,
        "",
      ].join("\n"),
    );
    const theirs = (keysSrc: string, name: string, comment: string) =>
      mutateKeysSrc({ keysSrc, privateKeyName: name, privateKeyValue: PRIVATE, comment }).keysSrc;
    expect(first.reveal()).toBe(theirs("", "DOTENV_PRIVATE_KEY", ".env"));
    const second = appendPrivateKeyEntry(first, {
      ...entry,
      privateKeyName: "DOTENV_PRIVATE_KEY_CI",
      fileName: ".env.ci",
    });
    expect(second.reveal()).toBe(theirs(first.reveal(), "DOTENV_PRIVATE_KEY_CI", ".env.ci"));
    expect(`${second}`).not.toContain(PRIVATE);
  });
});
