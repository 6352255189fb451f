import { expect, test } from "vitest";
import { findEnvFile, readEnvFile } from "../../src/config/env_file.ts";

const tree = (paths: string[]) => (p: string) => paths.includes(p);

test("findEnvFile() returns the nearest .env", () => {
  expect(findEnvFile({ cwd: "/r/a/b", exists: tree(["/r/.git", "/r/a/.env", "/r/.env"]) })).toEqual(
    {
      path: "/r/a/.env",
      searched: ["/r/a/b/.env", "/r/a/.env"],
    },
  );
});

test("findEnvFile() checks the folder holding .git, then stops", () => {
  expect(findEnvFile({ cwd: "/r/a", exists: tree(["/r/.git", "/r/.env"]) }).path).toBe("/r/.env");
  expect(findEnvFile({ cwd: "/o/r/a", exists: tree(["/o/r/.git", "/o/.env"]) })).toEqual({
    path: undefined,
    searched: ["/o/r/a/.env", "/o/r/.env"],
  });
});

test("findEnvFile() stops at the home directory, its own .env included", () => {
  const home = "/home/me";
  expect(findEnvFile({ cwd: "/home/me/nb/x", home, exists: tree(["/home/.env", "/.env"]) }))
    .toEqual({
      path: undefined,
      searched: ["/home/me/nb/x/.env", "/home/me/nb/.env", "/home/me/.env"],
    });
  expect(findEnvFile({ cwd: "/home/me/nb", home, exists: tree(["/home/me/.env"]) }).path).toBe(
    "/home/me/.env",
  );
});

test("findEnvFile() outside every repository and the home directory looks at cwd only (issue 13, finding 2)", () => {
  // A planted /tmp/.env, an image's /.env: never read from a folder below them.
  const planted = tree(["/tmp/.env", "/.env"]);
  expect(findEnvFile({ cwd: "/tmp/nb/x", home: "/home/me", exists: planted })).toEqual({
    path: undefined,
    searched: ["/tmp/nb/x/.env"],
  });
  expect(findEnvFile({ cwd: "/app", home: "/root", exists: planted }).path).toBeUndefined();
  expect(findEnvFile({ cwd: "/tmp", home: "/root", exists: planted }).path).toBe("/tmp/.env");
  // A repository outside home is a boundary as before.
  expect(
    findEnvFile({
      cwd: "/srv/repo/nb",
      home: "/home/me",
      exists: tree(["/srv/repo/.git", "/srv/repo/.env"]),
    })
      .path,
  ).toBe("/srv/repo/.env");
});

test("readEnvFile() parses with dotenv and returns undefined for a missing file", () => {
  expect(readEnvFile("/r/.env", () => "# c\nA='1'\nexport B=2 # x\n")).toEqual({ A: "1", B: "2" });
  expect(readEnvFile("/r/.env", () => undefined)).toBeUndefined();
});
