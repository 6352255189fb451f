/**
 * Where the emulator listens: loopback unless told otherwise, with a warning then.
 *
 * @module
 */

/**
 * The emulator's default listen address.
 */
export const LOOPBACK = "127.0.0.1";
const WILDCARDS = new Set(["0.0.0.0", "::"]);

/**
 * The address the emulator binds to, and the warning a non-loopback one deserves: `127.0.0.1`
 * (also for `undefined` and `localhost`) without warning, `0.0.0.0` or `::` with one.
 *
 * @param host The `host` option.
 * @returns The address and the warnings.
 * @throws {RangeError} for any other address: clients could not reach it at `127.0.0.1`.
 */
export function listenAddress(host: string | undefined): { host: string; warnings: string[] } {
  const h = host === undefined || host === "localhost" ? LOOPBACK : host;
  if (h === LOOPBACK) return { host: h, warnings: [] };
  if (!WILDCARDS.has(h)) {
    throw new RangeError(
      `Cannot listen on host "${h}": it is not 127.0.0.1, 0.0.0.0 or ::. Clients reach the ` +
        "emulator at https://127.0.0.1:<port>/ (the address its certificate names): bind to 127.0.0.1, " +
        "or to a wildcard address to also accept connections from other machines",
    );
  }
  return {
    host: h,
    warnings: [
      `The emulator listens on ${h} (every network interface): other machines can reach its data ` +
      "plane, Resource Manager and token endpoint, and use its keys and tokens. Bind to 127.0.0.1 " +
      "(the default) unless you need that.",
    ],
  };
}
