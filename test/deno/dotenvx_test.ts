import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addPublicKeyHeader, appendPrivateKeyEntry } from "../../src/config/dotenvx.ts";
import {
  decryptValue,
  encryptValue,
  generateKeyPair,
  publicKeyOf,
} from "../../src/config/dotenvx_crypto.ts";
import { DotenvxEnvFile } from "../../src/config/dotenvx_env_file.ts";

// Made by `dotenvx encrypt` 2.38.2 for the tests (see test/config/dotenvx_crypto_test.ts).
const PUBLIC = "02dec364e0d497ff52f1a927c54b1460b63ae8d9a7b731787a39da2585c4839a78";
const PRIVATE = "44be3de07512d28de2f9fb2e6e1f9565d5715872d880ac90eb4d643ab8b446f7";
const LOCATION =
  "encrypted:BIqgFehZ5Stnuv69tiEL4vWiYspkkXSZ4OQ6QMkdc5OJLVjWD221JUTZimRJToIzsYB7AuV8mpD63ispLtSTa9FCAoJ0tMRh5ippe0V3dRPskfzOZV7O4/j69hxXsXO5ZQqoreNyWw==";

Deno.test("decryptValue() reads a value dotenvx encrypted; publicKeyOf() derives its key", () => {
  assert.equal(decryptValue(PRIVATE, LOCATION).reveal(), "eastus");
  assert.equal(publicKeyOf(PRIVATE), PUBLIC);
});

Deno.test("encryptValue() round-trips through eciesjs loaded from node_modules", () => {
  const pair = generateKeyPair();
  const value = encryptValue(pair.publicKey, "héllo ☃");
  assert.match(value, /^encrypted:[A-Za-z0-9+/]+=*$/);
  assert.equal(decryptValue(pair.privateKey, value).reveal(), "héllo ☃");
  assert.equal(Deno.inspect(pair).includes(pair.privateKey.reveal()), false);
});

Deno.test("DotenvxEnvFile decrypts with the .env.keys beside the file, and names the fix", () => {
  const dir = Deno.realPathSync(mkdtempSync(join(tmpdir(), "aqn-deno-dotenvx-")));
  try {
    const pair = generateKeyPair();
    const env = join(dir, ".env");
    const vars = {
      DOTENV_PUBLIC_KEY: pair.publicKey,
      SECRET: encryptValue(pair.publicKey, "s3cret"),
    };
    writeFileSync(
      env,
      addPublicKeyHeader(`SECRET=${vars.SECRET}\n`, {
        fileName: ".env",
        publicKeyName: "DOTENV_PUBLIC_KEY",
        publicKey: pair.publicKey,
      }),
    );
    writeFileSync(
      join(dir, ".env.keys"),
      appendPrivateKeyEntry("", {
        privateKeyName: "DOTENV_PRIVATE_KEY",
        privateKey: pair.privateKey,
        fileName: ".env",
      }).reveal(),
    );
    const file = new DotenvxEnvFile(env, vars, { env: {} });
    assert.equal(file.decrypt("SECRET").reveal(), "s3cret");
    assert.equal(Deno.inspect(file).includes("s3cret"), false);
    rmSync(join(dir, ".env.keys"));
    const missing = new DotenvxEnvFile(env, vars, { env: {} });
    assert.throws(() => missing.decrypt("SECRET"), {
      name: "EnvFileError",
      code: "DotenvxPrivateKeyMissing",
      message: `Cannot decrypt SECRET in ${env}: no private key was found (looked for the ` +
        `DOTENV_PRIVATE_KEY environment variable and for DOTENV_PRIVATE_KEY in ${dir}/.env.keys). ` +
        "Set DOTENV_PRIVATE_KEY to the private key of DOTENV_PUBLIC_KEY, or put the .env.keys file " +
        `that dotenvx wrote beside ${env}`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

Deno.test("encryptEnvFile(), loadConnection() and updateEnvFile() on an encrypted .env in Deno", async () => {
  const { encryptEnvFile, loadConnection, updateEnvFile } = await import("../../mod.ts");
  const dir = Deno.realPathSync(mkdtempSync(join(tmpdir(), "aqn-deno-encrypted-")));
  try {
    const cs = (key: string) =>
      "SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=rg;WorkspaceName=ws;" +
      `ApiKey=${key};QuantumEndpoint=https://eastus.quantum.azure.com/;`;
    const env = join(dir, ".env");
    writeFileSync(env, `AZURE_QUANTUM_CONNECTION_STRING='${cs("K3y")}'\n`);
    const report = await encryptEnvFile(env, { env: {}, isIgnoredByGit: false });
    assert.deepEqual(report.encrypted, ["AZURE_QUANTUM_CONNECTION_STRING"]);
    assert.equal(Deno.inspect(report).includes("K3y"), false);
    const info = loadConnection({ envFile: env, env: {} });
    assert.equal(info.apiKey?.reveal(), "K3y");
    assert.equal(info.sources.apiKey, `encrypted .env ${env} (AZURE_QUANTUM_CONNECTION_STRING)`);
    const written = await updateEnvFile(env, "AZURE_QUANTUM_CONNECTION_STRING", cs("N3w"), {
      env: {},
      isIgnoredByGit: false,
    });
    assert.equal(written.encrypted, true);
    assert.equal(Deno.readTextFileSync(env).includes("N3w"), false);
    assert.equal(loadConnection({ envFile: env, env: {} }).apiKey?.reveal(), "N3w");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
