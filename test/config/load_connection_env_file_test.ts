import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { ConfigurationError, EnvFileError } from "../../src/errors.ts";
import { loadConnection } from "../../src/config/load_connection.ts";
import { expectNoLeak, thrown } from "../connection/_leak.ts";

import { cs, ENV_CS, FIX, G, KEY, WRONG } from "./_load_fixtures.ts";

const root = realpathSync(mkdtempSync(join(tmpdir(), "aqn-load-")));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
/** A fresh folder tree: `repo/.git`, optional files, returns the repo path. */
function repo(files: Record<string, string> = {}): string {
  const dir = join(root, `r${counter++}`, "repo");
  mkdirSync(join(dir, ".git"), { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("loadConnection() with .env", () => {
  test("finds .env from a subfolder, up to the folder holding .git", () => {
    const dir = repo({
      ".env": `# workspace\nAZURE_QUANTUM_CONNECTION_STRING='${cs()}'\n`,
      "a/b/.keep": "",
    });
    const info = loadConnection({ cwd: join(dir, "a", "b"), env: {} });
    const source = `.env ${join(dir, ".env")} (AZURE_QUANTUM_CONNECTION_STRING)`;
    expect(info.sources.apiKey).toBe(source);
    expect(info.sources.workspaceName).toBe(source);
    expect(info.envFilePath).toBe(join(dir, ".env"));
    expect(info.keySource).toEqual({
      kind: "dotenv",
      variable: "AZURE_QUANTUM_CONNECTION_STRING",
      path: join(dir, ".env"),
    });
    expect(info.apiKey?.reveal()).toBe(KEY);
    expect(process.env.AZURE_QUANTUM_CONNECTION_STRING).toBeUndefined();
  });

  test("does not look above the folder holding .git", () => {
    const dir = repo({ "sub/.keep": "" });
    writeFileSync(join(dir, "..", ".env"), `AZURE_QUANTUM_CONNECTION_STRING=${cs()}\n`);
    const e = thrown(() => loadConnection({ cwd: join(dir, "sub"), env: {} }));
    expect((e as ConfigurationError).code).toBe("ConnectionNotFound");
    expect(e.message).toContain(
      `(2) the same variable in a .env file (no .env file at ${join(dir, "sub", ".env")} or ${join(dir, ".env")}), or (3)`,
    );
  });

  test("the process environment wins over .env per variable", () => {
    const dir = repo({ ".env": `AZURE_QUANTUM_CONNECTION_STRING=${WRONG}\nLOCATION=westus\n` });
    const info = loadConnection({ cwd: dir, env: { AZURE_QUANTUM_CONNECTION_STRING: cs() } });
    expect([info.workspaceName, info.location, info.sources.location]).toEqual([
      "myworkspace",
      "eastus",
      ENV_CS,
    ]);
    expect(info.envFilePath).toBe(join(dir, ".env"));
  });

  test("an explicit envFile ranks above the environment (an argument); per-field variables still complete it", () => {
    const dir = repo({ "app.env": `AZURE_QUANTUM_CONNECTION_STRING=${cs({ ws: "appws" })}\n` });
    const env = { AZURE_QUANTUM_CONNECTION_STRING: WRONG };
    const info = loadConnection({ cwd: dir, envFile: "app.env", env });
    expect([info.workspaceName, info.sources.apiKey, info.keySource?.kind]).toEqual([
      "appws",
      `.env ${join(dir, "app.env")} (AZURE_QUANTUM_CONNECTION_STRING)`,
      "dotenv",
    ]);
    const fields = repo({ "app.env": `AZURE_QUANTUM_WORKSPACE_NAME=myworkspace\n` });
    const mixed = loadConnection({ cwd: fields, envFile: "app.env", env: { AZURE_QUANTUM_CONNECTION_STRING: cs() } });
    expect([mixed.workspaceName, mixed.sources.workspaceName, mixed.sources.location]).toEqual([
      "myworkspace",
      `.env ${join(fields, "app.env")} (AZURE_QUANTUM_WORKSPACE_NAME)`,
      ENV_CS,
    ]);
    // Never a mix of two workspaces: a file field that the environment's string contradicts is an error.
    const other = repo({ "app.env": `AZURE_QUANTUM_WORKSPACE_NAME=other\n` });
    const e = thrown(() => loadConnection({ cwd: other, envFile: "app.env", env: { AZURE_QUANTUM_CONNECTION_STRING: cs() } }));
    expect(e.message).toBe(
      `Cannot load connection: the workspace name from .env ${
        join(other, "app.env")
      } (AZURE_QUANTUM_WORKSPACE_NAME) differs from the one in ${ENV_CS}. ${FIX}`,
    );
    expectNoLeak(e, KEY);
  });

  test("per-field variables in the env complete a .env string for the same workspace", () => {
    const dir = repo({ ".env": `AZURE_QUANTUM_CONNECTION_STRING="${cs()}"\n` });
    const info = loadConnection({ cwd: dir, env: { LOCATION: "eastus", SUBSCRIPTION_ID: G } });
    expect(info.sources.location).toBe("env LOCATION");
    expect(info.keySource?.kind).toBe("dotenv");
    const e = thrown(() => loadConnection({ cwd: dir, env: { LOCATION: "westeurope" } }));
    expect(e.message).toBe(
      `Cannot load connection: the location from env LOCATION differs from the one in .env ${
        join(dir, ".env")
      } (AZURE_QUANTUM_CONNECTION_STRING). ${FIX}`,
    );
    expectNoLeak(e, KEY);
  });

  test("an explicit envFile path (relative to cwd), envFile: false, and a missing envFile", () => {
    const dir = repo({
      "config/dev.env": `AZURE_QUANTUM_CONNECTION_STRING=${cs({ ws: "devws" })}\n`,
      ".env": `AZURE_QUANTUM_CONNECTION_STRING=${cs()}\n`,
    });
    expect(loadConnection({ cwd: dir, envFile: "config/dev.env", env: {} }).workspaceName).toBe(
      "devws",
    );
    expect(() => loadConnection({ cwd: dir, envFile: false, env: {} })).toThrow(ConfigurationError);
    const e = thrown(() => loadConnection({ cwd: dir, envFile: "nope.env", env: {} }));
    expect(e).toBeInstanceOf(EnvFileError);
    expect(e.message).toBe(
      `Cannot read .env: ${
        join(dir, "nope.env")
      } does not exist. Check the envFile path, or pass envFile: false`,
    );
  });

  test("injected readTextFile and exists need no disk", () => {
    const files: Record<string, string> = {
      "/virtual/proj/.env":
        `AZURE_QUANTUM_WORKSPACE_NAME=myworkspace\nAZURE_QUANTUM_CONNECTION_STRING=${cs()}\n`,
    };
    const info = loadConnection({
      cwd: "/virtual/proj/notebooks",
      env: {},
      exists: (p) => p in files || p === "/virtual/proj/.git",
      readTextFile: (p) => files[p],
    });
    expect(info.sources.workspaceName).toBe(
      ".env /virtual/proj/.env (AZURE_QUANTUM_WORKSPACE_NAME)",
    );
    expect(info.envFilePath).toBe("/virtual/proj/.env");
  });

  test("an unreadable .env is an EnvFileError without the reason's details", () => {
    const e = thrown(() =>
      loadConnection({
        cwd: "/v",
        env: {},
        exists: (p) => p === "/v/.env",
        readTextFile: () => {
          throw Object.assign(new Error(`boom ${KEY}`), { code: "EACCES" });
        },
      })
    );
    expect(e).toBeInstanceOf(EnvFileError);
    expect(e.message).toBe(
      "Cannot read .env: /v/.env could not be read (EACCES). Check that it is a readable file, or pass envFile: false",
    );
    expectNoLeak(e, KEY);
  });
});
