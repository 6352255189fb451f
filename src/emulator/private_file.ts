import { open, rename, rm } from "node:fs/promises";
import process from "node:process";
import { basename, dirname, join } from "node:path";

/**
 * Writes `text` to `path` so that no reader ever sees a partial file and only the owner can read
 * it: a temp file in the same folder (mode 0600), fsync, rename.
 *
 * @param path The file to write.
 * @param text Its new content.
 *
 * @example Usage
 * ```ts
 * import { writePrivateFile } from "./private_file.ts";
 * await writePrivateFile("/tmp/emulator.env", "A='1'\n");
 * ```
 */
export async function writePrivateFile(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const handle = await open(tmp, "w", 0o600);
  try {
    await handle.writeFile(text, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
