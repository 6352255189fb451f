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

test("findEnvFile() stops at the root without a repository", () => {
  expect(findEnvFile({ cwd: "/x/y", exists: tree([]) }).searched).toEqual([
    "/x/y/.env",
    "/x/.env",
    "/.env",
  ]);
});

test("readEnvFile() parses with dotenv and returns undefined for a missing file", () => {
  expect(readEnvFile("/r/.env", () => "# c\nA='1'\nexport B=2 # x\n")).toEqual({ A: "1", B: "2" });
  expect(readEnvFile("/r/.env", () => undefined)).toBeUndefined();
});
