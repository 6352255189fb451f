/**
 * Nothing in the project turns TLS verification off: no environment switch, no client option, no
 * Deno flag, no custom identity check. This file builds the patterns it looks for without writing
 * them literally, so it does not match itself.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const SCANNED = ["src", "bench", "notebooks", ".ci", "test", "mod.ts", "deno.json", "package.json"];
const SKIPPED_DIRS = new Set(["node_modules", ".jupyter", "out", "dist", ".git"]);
const TEXT = /\.(ts|mts|js|mjs|cjs|json|ipynb|py|sh|md|ya?ml|toml|txt)$|^[^.]+$/;

const words = (...parts: string[]) => parts.join("");
const FORBIDDEN: [string, RegExp][] = [
  [
    "the Node TLS environment switch",
    new RegExp(words("NODE", "_TLS_", "REJECT", "_UNAUTHORIZED")),
  ],
  [
    "a client option that accepts any certificate",
    new RegExp(words("reject", "Unauthorized") + String.raw`["']?\s*[:=]\s*(false|0|!1)`),
  ],
  [
    "Deno's flag to ignore certificate errors",
    new RegExp(words("unsafely", "-ignore-", "certificate")),
  ],
  ["a custom server identity check", new RegExp(words("check", "Server", "Identity"))],
  [
    "a disabled strict-SSL setting",
    new RegExp(words("strict", "SSL") + String.raw`["']?\s*[:=]\s*false`, "i"),
  ],
  [
    "curl or wget without verification",
    new RegExp(
      String.raw`(curl\b[^\n]*\s-k\b|--` + words("insecure") + String.raw`\b|--no-check-` +
        words("certificate") + ")",
    ),
  ],
  [
    "Python's unverified context",
    new RegExp(words("_create_", "unverified_context") + "|" + words("verify", "=False")),
  ],
];

function* files(path: string): Generator<string> {
  let st;
  try {
    st = statSync(path);
  } catch {
    return; // a folder others have not created yet
  }
  if (st.isDirectory()) {
    for (const name of readdirSync(path)) {
      if (!SKIPPED_DIRS.has(name)) yield* files(join(path, name));
    }
  } else if (TEXT.test(path.split("/").pop()!) && st.size < 5_000_000) {
    yield path;
  }
}

describe("TLS verification is never disabled", () => {
  it("in src/, bench/, notebooks/, .ci/ and test/", () => {
    const hits: string[] = [];
    let scanned = 0;
    for (const top of SCANNED) {
      for (const file of files(join(ROOT, top))) {
        scanned++;
        const text = readFileSync(file, "utf8");
        for (const [what, pattern] of FORBIDDEN) {
          const m = pattern.exec(text);
          if (m) {
            const line = text.slice(0, m.index).split("\n").length;
            hits.push(`${relative(ROOT, file)}:${line}: ${what}`);
          }
        }
      }
    }
    expect(hits).toEqual([]);
    expect(scanned).toBeGreaterThan(150); // the scan really ran over the project
    console.info(`[hardening] TLS scan: ${scanned} files, ${FORBIDDEN.length} patterns, no hit`);
  });

  it("the patterns do find what they look for", () => {
    const samples = [
      words("process.env.NODE", "_TLS_REJECT_UNAUTHORIZED = '0'"),
      words("new https.Agent({ reject", "Unauthorized: false })"),
      words("deno run --unsafely", "-ignore-certificate-errors main.ts"),
      words("{ check", "ServerIdentity: () => undefined }"),
      words("npm config set strict", "-ssl false").replace("-ssl", "SSL").replace(
        " false",
        ": false",
      ),
      words("cu", "rl -k https://127.0.0.1:8443/"),
      words("requests.get(url, verify", "=False)"),
    ];
    expect(samples.map((s) => FORBIDDEN.some(([, p]) => p.test(s)))).toEqual(
      samples.map(() => true),
    );
  });
});
