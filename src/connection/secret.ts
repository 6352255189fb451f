import { crypto } from "../_builtins.ts";
import { DENO_INSPECT, JUPYTER_DISPLAY, type MimeBundle, NODE_INSPECT } from "../displayable.ts";

const MASK = "••••••••";

/**
 * `sha256:` + the first 8 hex digits of the SHA-256 of `value`: enough to tell keys apart, useless
 * for recovering them.
 *
 * @example Usage
 * ```ts
 * import { fingerprint } from "azure-quantum-notebook";
 * fingerprint("abc"); // "sha256:ba7816bf"
 * ```
 */
export function fingerprint(value: string): string {
  return "sha256:" + sha256().update(value, "utf8").digest("hex").slice(0, 8);
}

// node:crypto is loaded on the first fingerprint, not when the package is imported (bench/ row 1).
function sha256(): import("node:crypto").Hash {
  return crypto().createHash("sha256");
}

/**
 * Holds an access key or a connection string. Every way of printing it (`toString`, `toJSON`,
 * `util.inspect`, `Deno.inspect`, Jupyter display) shows `••••••••  sha256:xxxxxxxx`, never a
 * prefix or suffix of the value; `reveal()` is the only way to the value.
 *
 * @example Usage
 * ```ts
 * import { Secret } from "azure-quantum-notebook";
 * const key = new Secret("my-access-key");
 * console.log(`${key}`); // ••••••••  sha256:…
 * key.reveal(); // "my-access-key"
 * ```
 */
export class Secret {
  readonly #value: string;
  /** `sha256:` + 8 hex digits of the value's SHA-256. */
  readonly fingerprint: string;

  /** Wraps `value`; nothing but `reveal()` gives it back. */
  constructor(value: string) {
    if (typeof value !== "string") throw new TypeError("Cannot create Secret: value must be a string");
    this.#value = value;
    this.fingerprint = fingerprint(value);
  }

  /** The secret value itself. Do not print it. */
  reveal(): string {
    return this.#value;
  }

  /** True when `other` (a `Secret` or a string) holds the same value. */
  equals(other: Secret | string): boolean {
    const v = typeof other === "string" ? other : other.reveal();
    return v === this.#value;
  }

  /** The mask and fingerprint. */
  toString(): string {
    return `${MASK}  ${this.fingerprint}`;
  }

  /** The mask and fingerprint, so `JSON.stringify` never sees the value. */
  toJSON(): string {
    return this.toString();
  }

  /** Jupyter display: the mask and fingerprint. */
  toMimeBundle(): MimeBundle {
    return {
      "text/plain": this.toString(),
      "text/html": `<code title="secret value hidden">${MASK}&nbsp;&nbsp;${this.fingerprint}</code>`,
    };
  }

  /** Deno's kernel renders a cell's last value through this. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return this.toMimeBundle();
  }

  /** `util.inspect` shows `Secret(<mask and fingerprint>)`. */
  [NODE_INSPECT](): string {
    return `Secret(${this.toString()})`;
  }

  /** `Deno.inspect` shows `Secret(<mask and fingerprint>)`. */
  [DENO_INSPECT](): string {
    return `Secret(${this.toString()})`;
  }
}

/**
 * True for a {@link Secret}, also one from another realm.
 *
 * @example Usage
 * ```ts
 * import { isSecret, Secret } from "azure-quantum-notebook";
 * isSecret(new Secret("k")); // true
 * ```
 */
export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret ||
    (typeof (value as Secret | null)?.reveal === "function" &&
      typeof (value as Secret).fingerprint === "string");
}
