import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
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
import { parse } from "dotenv";
import { afterAll, describe, expect, test } from "vitest";
import { EnvFileError } from "../../src/errors.ts";
import { updateEnvFile } from "../../src/config/update_env_file.ts";
import { Secret } from "../../src/connection/secret.ts";
import { expectNoLeak, rejected } from "../connection/_leak.ts";

const KEY = "N3wK3yS3cr3t/+==";
const CS =
  `SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=rg;WorkspaceName=ws;ApiKey=${KEY};QuantumEndpoint=https://eastus.quantum.azure.com/;`;
const VAR = "AZURE_QUANTUM_CONNECTION_STRING";
const root = realpathSync(mkdtempSync(join(tmpdir(), "aqn-envw-")));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const folder = () => {
  const dir = join(root, `d${n++}`);
  mkdirSync(dir);
  return dir;
};
const noGit = { isIgnoredByGit: false as const };
const mode = (path: string) => statSync(path).mode & 0o777;
const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.includes(".tmp-"));

function thirtyLines(eol: string): string {
  const lines: string[] = [];
  for (let i = 0; i < 30; i++) {
    if (i === 14) lines.push(`${VAR}='SubscriptionId=old;ApiKey=old'   # primary key`);
    else if (i % 5 === 0) lines.push(`# comment ${i}: keep  me`);
    else if (i % 7 === 0) lines.push("");
    else lines.push(`VAR_${i}="value ${i}" # trailing`);
  }
  return lines.join(eol) + eol;
}

describe("updateEnvFile()", () => {
  test.each([["LF", "\n"], ["CRLF", "\r\n"]])(
    "changes one line of a 30-line %s file, byte for byte elsewhere",
    async (_, eol) => {
      const dir = folder();
      const path = join(dir, ".env");
      const before = thirtyLines(eol);
      writeFileSync(path, before, { mode: 0o600 });
      const result = await updateEnvFile(path, VAR, new Secret(CS), noGit);
      expect(result).toEqual({ path, created: false, warnings: [] });
      const after = readFileSync(path, "utf8");
      const a = before.split(eol), b = after.split(eol);
      expect(b.length).toBe(a.length);
      for (let i = 0; i < a.length; i++) {
        if (i === 14) expect(b[i]).toBe(`${VAR}='${CS}'   # primary key`);
        else expect(b[i]).toBe(a[i]);
      }
      expect(parse(after)[VAR]).toBe(CS);
      expect(mode(path)).toBe(0o600);
      expect(leftovers(dir)).toEqual([]);
    },
  );

  test("creates a missing file with mode 0600", async () => {
    const dir = folder();
    const result = await updateEnvFile(join(dir, ".env"), VAR, CS, noGit);
    expect(result).toEqual({ path: join(dir, ".env"), created: true, warnings: [] });
    expect(readFileSync(join(dir, ".env"), "utf8")).toBe(`${VAR}='${CS}'\n`);
    expect(mode(join(dir, ".env"))).toBe(0o600);
  });

  test("tightens a world-readable file to 0600 and says so; keeps a stricter mode", async () => {
    const dir = folder();
    const open = join(dir, ".env");
    writeFileSync(open, "A=1\n");
    chmodSync(open, 0o644);
    const result = await updateEnvFile(open, VAR, CS, noGit);
    expect(result.warnings).toEqual([
      `${open} was readable by group or others (mode 0644); it is now 0600.`,
    ]);
    expect(mode(open)).toBe(0o600);
    const strict = join(dir, "strict.env");
    writeFileSync(strict, "A=1\n");
    chmodSync(strict, 0o400);
    await updateEnvFile(strict, VAR, CS, noGit);
    expect(mode(strict)).toBe(0o400);
  });

  test("warns when git does not ignore the file (injected and real git)", async () => {
    const dir = folder();
    const path = join(dir, ".env");
    const r1 = await updateEnvFile(path, VAR, CS, { isIgnoredByGit: () => Promise.resolve(false) });
    expect(r1.warnings).toEqual([
      `${path} is not ignored by git. Add ".env*" to .gitignore so the key is never committed ` +
      "(the pattern also covers the temp files an interrupted write leaves).",
    ]);
    expect(
      (await updateEnvFile(path, VAR, CS, { isIgnoredByGit: () => Promise.resolve(true) }))
        .warnings,
    )
      .toEqual([]);
    expect(
      (await updateEnvFile(path, VAR, CS, { isIgnoredByGit: () => Promise.resolve(undefined) }))
        .warnings,
    )
      .toEqual([]);
    let git = true;
    try {
      execFileSync("git", ["init", "-q", dir]);
    } catch {
      git = false;
    }
    if (git) {
      expect((await updateEnvFile(path, VAR, CS)).warnings).toHaveLength(1);
      writeFileSync(join(dir, ".gitignore"), ".env\n");
      expect((await updateEnvFile(path, VAR, CS)).warnings).toEqual([
        `The temp files an interrupted write of ${path} can leave (.env.tmp-….env) are not ` +
        'ignored by git. Add ".env*" to .gitignore.',
      ]);
      for (const rule of [".env*\n", ".env\n.env.*\n", "*.env\n"]) {
        writeFileSync(join(dir, ".gitignore"), rule);
        expect((await updateEnvFile(path, VAR, CS)).warnings, rule).toEqual([]);
      }
    }
  });

  test.each(["rename", "open"] as const)(
    "a failing %s leaves the original intact and no temp file",
    async (call) => {
      const dir = folder();
      const path = join(dir, ".env");
      const before = thirtyLines("\n");
      writeFileSync(path, before, { mode: 0o600 });
      const fail = () =>
        Promise.reject(Object.assign(new Error(`EIO while writing ${KEY}`), { code: "EIO" }));
      const e = await rejected(
        updateEnvFile(path, VAR, new Secret(CS), { ...noGit, fs: { [call]: fail } }),
      );
      expect(e).toBeInstanceOf(EnvFileError);
      expect((e as EnvFileError).code).toBe("EnvFileWriteFailed");
      expect((e as EnvFileError).path).toBe(path);
      expect(e.message).toBe(
        `Cannot update .env: writing ${path} failed (EIO); the file was left unchanged. Check the folder's permissions and free space, then try again`,
      );
      expectNoLeak(e, KEY);
      expect(readFileSync(path, "utf8")).toBe(before);
      expect(leftovers(dir)).toEqual([]);
    },
  );

  test("a value dotenv cannot read back is refused without echoing it", async () => {
    const dir = folder();
    const path = join(dir, ".env");
    writeFileSync(path, "A=1\n");
    const value = `${KEY}'"\``;
    const e = await rejected(updateEnvFile(path, VAR, value, noGit));
    expect((e as EnvFileError).code).toBe("EnvFileValueUnsupported");
    expect(e.message).toBe(
      `Cannot update .env: ${VAR} cannot be written to ${path}. Edit the file by hand`,
    );
    expectNoLeak(e, KEY);
    expect(readFileSync(path, "utf8")).toBe("A=1\n");
  });

  test("removes temp files of earlier crashed writes", async () => {
    const dir = folder();
    const path = join(dir, ".env");
    writeFileSync(join(dir, `.env.tmp-${process.pid}-abc123`), "crashed");
    writeFileSync(join(dir, ".env.tmp-2147483646-def456"), "crashed");
    writeFileSync(join(dir, ".other.tmp-1-aaa"), "not ours");
    await updateEnvFile(path, VAR, CS, noGit);
    expect(readdirSync(dir).sort()).toEqual([".env", ".other.tmp-1-aaa"]);
  });

  test("follows a symbolic link and serializes concurrent updates", async () => {
    const dir = folder();
    mkdirSync(join(dir, "real"));
    writeFileSync(join(dir, "real", "shared.env"), "A=1\n");
    symlinkSync(join(dir, "real", "shared.env"), join(dir, ".env"));
    const [r1] = await Promise.all([
      updateEnvFile(join(dir, ".env"), "X", "1", noGit),
      updateEnvFile(join(dir, ".env"), "Y", "2", noGit),
      updateEnvFile(join(dir, "real", "shared.env"), "Z", "3", noGit),
    ]);
    expect(r1.path).toBe(join(dir, "real", "shared.env"));
    expect(parse(readFileSync(join(dir, ".env"), "utf8"))).toEqual({
      A: "1",
      X: "1",
      Y: "2",
      Z: "3",
    });
  });

  test("an unreadable path is an EnvFileReadFailed error", async () => {
    const dir = folder();
    mkdirSync(join(dir, ".env"));
    const e = await rejected(updateEnvFile(join(dir, ".env"), VAR, CS, noGit));
    expect((e as EnvFileError).code).toBe("EnvFileReadFailed");
    expect(e.message).toBe(
      `Cannot update .env: ${
        join(dir, ".env")
      } could not be read (EISDIR). Check that it is a readable file`,
    );
    expectNoLeak(e, KEY);
    expect(existsSync(join(dir, ".env"))).toBe(true);
  });

  test("rejects a bad variable name with a TypeError", async () => {
    await expect(updateEnvFile(join(folder(), ".env"), "A B", "v", noGit)).rejects.toThrow(
      TypeError,
    );
  });
});
