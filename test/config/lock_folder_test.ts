/**
 * The rotation lock folder (`$TMPDIR/azure-quantum-notebook-<uid>`) is used only when it is a
 * real folder of this user closed to others: another local user can create that name first (their
 * own folder, a world-writable one, a symbolic link). Then the locks go to
 * `~/.azure-quantum-notebook`, or, when that is no good either, the rotation stops with an error
 * that names the folder and the fix.
 */
import { chmodSync, chownSync, lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, afterEach, beforeEach, expect, test } from "vitest";
import { isEnvFileError } from "../../mod.ts";
import { workspaceLockPath } from "../../src/config/file_lock.ts";

const root = realpathSync(mkdtempSync(join(tmpdir(), "aqn-lockdir-")));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const WS = { subscriptionId: "s", resourceGroup: "rg", workspaceName: "ws" };
const uid = process.getuid!();
const saved = { TMPDIR: process.env.TMPDIR, HOME: process.env.HOME };
let tmp: string;
let home: string;
let n = 0;

beforeEach(() => {
  const case_ = join(root, String(n++));
  tmp = join(case_, "tmp");
  home = join(case_, "home");
  mkdirSync(tmp, { recursive: true });
  mkdirSync(home, { recursive: true });
  process.env.TMPDIR = tmp;
  process.env.HOME = home;
});
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const shared = () => join(tmp, `azure-quantum-notebook-${uid}`);
const fallback = () => join(home, ".azure-quantum-notebook");

test("creates the folder in the temp folder, 0700, when it is missing", async () => {
  const lock = await workspaceLockPath(WS);
  expect(dirname(lock)).toBe(shared());
  expect(lstatSync(shared()).mode & 0o777).toBe(0o700);
  // Found again as it is.
  expect(await workspaceLockPath(WS)).toBe(lock);
});

test("a world-writable folder of that name (made by someone else first): the locks go to the home folder", async () => {
  mkdirSync(shared());
  chmodSync(shared(), 0o1777);
  const lock = await workspaceLockPath(WS);
  expect(dirname(lock)).toBe(fallback());
  expect(lstatSync(fallback()).mode & 0o777).toBe(0o700);
});

test("a symbolic link of that name: not followed, the locks go to the home folder", async () => {
  const elsewhere = join(tmp, "attacker");
  mkdirSync(elsewhere, { mode: 0o700 });
  symlinkSync(elsewhere, shared());
  expect(dirname(await workspaceLockPath(WS))).toBe(fallback());
});

test.skipIf(uid !== 0)("a 0700 folder of that name owned by another user: the locks go to the home folder", async () => {
  mkdirSync(shared(), { mode: 0o700 });
  chownSync(shared(), 4242, 4242);
  expect(dirname(await workspaceLockPath(WS))).toBe(fallback());
});

test("neither folder usable: an error that names the folder and the fix", async () => {
  mkdirSync(shared(), { mode: 0o777 });
  chmodSync(shared(), 0o777);
  symlinkSync(tmp, fallback());
  const e = await workspaceLockPath(WS).then(() => undefined, (x) => x);
  expect(isEnvFileError(e) && e.code).toBe("EnvFileWriteFailed");
  expect(e.message).toBe(
    `Cannot use the lock folder ${shared()}: it is open to other users (mode 777); ` +
      `nor ${fallback()}: it is a symbolic link. ` +
      `Remove ${shared()} (another user of this machine may have made it), or set TMPDIR to a folder only you ` +
      `can write, or make ${fallback()} a folder only you can write`,
  );
});
