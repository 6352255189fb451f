/**
 * The one private-file writer (issue 13, findings 5, 11, 12 and the links): exclusive create with
 * a random name that the rules ignoring the file also ignore, owner and group kept, a dangling
 * symbolic link refused, hard links reported, temp files of a killed writer removed, and no
 * repository-configured command run by the git check.
 */
import { execFileSync } from "node:child_process";
import {
  chownSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { isEnvFileError, updateEnvFile } from "../../mod.ts";
import { siblingName, writePrivateFile } from "../../src/config/private_file.ts";

const VAR = "AZURE_QUANTUM_CONNECTION_STRING";
const root = realpathSync(mkdtempSync(join(tmpdir(), "aqn-private-")));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const folder = () => {
  const dir = join(root, `d${n++}`);
  mkdirSync(dir);
  return dir;
};
const noGit = { isIgnoredByGit: false as const };
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

describe("the temp file's name", () => {
  test("starts with the file's name and ends with its extension", () => {
    expect(siblingName(".env", "tmp-1-ab")).toBe(".env.tmp-1-ab.env");
    expect(siblingName("dev.env", "tmp-1-ab")).toBe(".dev.env.tmp-1-ab.env");
    expect(siblingName("state.json", "lock")).toBe(".state.json.lock.json");
    expect(siblingName("envfile", "lock")).toBe(".envfile.lock");
  });

  test("a killed writer's temp file is removed by the next write (new and old names)", async () => {
    const dir = folder();
    const path = join(dir, ".env");
    writeFileSync(path, "A=1\n");
    writeFileSync(join(dir, ".env.tmp-2147483646-0a1b2c.env"), "crashed");
    writeFileSync(join(dir, ".env.tmp-2147483646-3d4e5f"), "crashed (older name)");
    writeFileSync(join(dir, ".env.tmp-1-nothex.env"), "not ours");
    await updateEnvFile(path, VAR, "v", noGit);
    expect(readdirSync(dir).sort()).toEqual([".env", ".env.tmp-1-nothex.env"]);
  });
});

describe("the temp file (issue 13, finding 5)", () => {
  test("is created exclusively (never through a planted file or link), 0600, with a random name", async () => {
    const dir = folder();
    const path = join(dir, "state.json");
    const opened: [string, unknown, unknown][] = [];
    const { open } = await import("node:fs/promises");
    const fs = {
      open: ((p: string, flags: string, mode: number) => {
        opened.push([p, flags, mode]);
        return open(p, flags, mode);
      }) as typeof open,
    };
    await writePrivateFile(path, "one\n", { fs });
    await writePrivateFile(path, "two\n", { fs });
    expect(opened.map(([, flags, mode]) => [flags, mode])).toEqual([["wx", 0o600], ["wx", 0o600]]);
    const [a, b] = opened.map(([p]) => p);
    expect(a).not.toBe(b);
    for (const temp of [a, b]) {
      expect(temp).toMatch(
        new RegExp(`^${dir}/\\.state\\.json\\.tmp-${process.pid}-[0-9a-f]{16}\\.json$`),
      );
    }
    expect(readFileSync(path, "utf8")).toBe("two\n");
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});

describe.skipIf(!isRoot)("the owner and group (running as root)", () => {
  test("updateEnvFile gives the new file the old one's owner and group", async () => {
    const dir = folder();
    const path = join(dir, ".env");
    writeFileSync(path, "A=1\n", { mode: 0o600 });
    chownSync(path, NOBODY, NOBODY);
    const result = await updateEnvFile(path, VAR, "v", noGit);
    const st = statSync(path);
    expect([st.uid, st.gid, st.mode & 0o777]).toEqual([NOBODY, NOBODY, 0o600]);
    expect(result.warnings).toEqual([]);
    expect(readFileSync(path, "utf8")).toBe("A=1\nAZURE_QUANTUM_CONNECTION_STRING='v'\n");
  });

  test("the emulator's state and env files keep theirs too", async () => {
    const path = join(folder(), "state.json");
    writeFileSync(path, "{}\n", { mode: 0o600 });
    chownSync(path, NOBODY, NOBODY);
    const written = await writePrivateFile(path, '{"version":1}\n');
    expect(written).toEqual({ path, hardLinks: 1, ownerKept: true });
    expect([statSync(path).uid, statSync(path).gid]).toEqual([NOBODY, NOBODY]);
  });
});

describe("links", () => {
  test("a dangling symbolic link is refused clearly; the link stays a link", async () => {
    const dir = folder();
    const path = join(dir, ".env");
    symlinkSync(join(dir, "secrets", "real.env"), path);
    const e = await updateEnvFile(path, VAR, "v", noGit).then(() => undefined, (x) => x);
    expect(isEnvFileError(e)).toBe(true);
    expect(e.message).toBe(
      `Cannot write ${path}: it is a symbolic link to "${join(dir, "secrets", "real.env")}", ` +
        "which does not exist. Create the target file, or remove the link to have a regular file " +
        "written instead",
    );
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir)).toEqual([".env"]);
  });

  test("a link to an existing file is written through, the link kept", async () => {
    const dir = folder();
    const real = join(dir, "real.env");
    writeFileSync(real, "A=1\n");
    symlinkSync("real.env", join(dir, ".env"));
    const result = await updateEnvFile(join(dir, ".env"), VAR, "v", noGit);
    expect(result.path).toBe(real);
    expect(lstatSync(join(dir, ".env")).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, "utf8")).toContain("CONNECTION_STRING='v'");
  });

  test("a hard-linked file is replaced under its own name only, and the result says so", async () => {
    const dir = folder();
    const path = join(dir, ".env");
    writeFileSync(path, "A=1\n", { mode: 0o600 });
    linkSync(path, join(dir, "copy.env"));
    const result = await updateEnvFile(path, VAR, "v", noGit);
    expect(result.warnings).toEqual([
      `${path} had 2 hard links: only this name holds the new value, the other names keep the ` +
      "old one. Replace them with symbolic links to this file.",
    ]);
    expect(readFileSync(join(dir, "copy.env"), "utf8")).toBe("A=1\n");
    expect(statSync(path).nlink).toBe(1);
  });
});

describe("the git check", () => {
  test("runs no command the repository configures (core.fsmonitor)", async () => {
    const dir = folder();
    const marker = join(dir, "PWNED");
    try {
      execFileSync("git", ["init", "-q", dir]);
    } catch {
      return; // no git: nothing can run
    }
    const hook = join(dir, "fsmonitor.sh");
    writeFileSync(hook, `#!/bin/sh\ntouch "${marker}"\n`, { mode: 0o755 });
    writeFileSync(join(dir, ".gitignore"), ".env*\n");
    execFileSync("git", ["-C", dir, "add", ".gitignore"]);
    execFileSync("git", ["-C", dir, "config", "core.fsmonitor", hook]);
    const result = await updateEnvFile(join(dir, ".env"), VAR, "v");
    expect(result.warnings).toEqual([]); // git still answered: ignored
    expect(existsSync(marker)).toBe(false);
    // The same repository runs the hook for a plain git call: the test can fail.
    execFileSync("git", ["-C", dir, "check-ignore", "-q", ".env"], { stdio: "ignore" });
    expect(existsSync(marker)).toBe(true);
  });

  test("does not start git in the .env's folder, where a planted git would be found first", async () => {
    const dir = folder();
    const marker = join(dir, "PWNED");
    try {
      execFileSync("git", ["init", "-q", dir]);
    } catch {
      return; // no git: nothing can run
    }
    writeFileSync(join(dir, ".gitignore"), ".env*\n");
    // Windows searches the child's folder before PATH; on Linux an empty PATH entry does the same.
    writeFileSync(join(dir, "git"), `#!/bin/sh\ntouch "${marker}"\nexit 1\n`, { mode: 0o755 });
    const saved = process.env.PATH;
    process.env.PATH = `:${saved}`;
    try {
      const result = await updateEnvFile(join(dir, ".env"), VAR, "v");
      expect(result.warnings).toEqual([]); // the real git answered: ignored
      expect(existsSync(marker)).toBe(false);
      // A relative path (resolved against this process's folder) is checked in the right repository.
      const here = process.cwd();
      process.chdir(dir);
      try {
        expect((await updateEnvFile(".env", VAR, "w")).warnings).toEqual([]);
      } finally {
        process.chdir(here);
      }
      expect(existsSync(marker)).toBe(false);
    } finally {
      process.env.PATH = saved;
    }
    // The same PATH runs the planted git when started in that folder: the test can fail.
    expect(() => execFileSync("git", ["--version"], { cwd: dir, stdio: "ignore", env: { PATH: `:${saved}` } }))
      .toThrow();
    expect(existsSync(marker)).toBe(true);
  });
});
