/**
 * Names of this machine, where the emulator listens: the few a connection string may give the
 * emulator's endpoint or vault, the few the emulator's CA is trusted for, and every spelling
 * {@link isLoopbackUrl} recognises (an emulator setting next to an Azure connection is refused).
 *
 * @module
 */

/** The hosts a connection string's endpoint or a vault URL may name for the emulator (parsed by hand, no IPv6). */
export const EMULATOR_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "localhost"]);

/**
 * The hosts the emulator's CA is trusted for, and plain HTTP may go to: names that reach this
 * machine without asking DNS, as `URL.hostname` writes them (IPv6 in brackets).
 */
export const LOCAL_HOSTS: ReadonlySet<string> = new Set([...EMULATOR_HOSTS, "[::1]"]);

// 127.0.0.0/8 (the URL parser writes every IPv4 form dotted), and its IPv4-mapped IPv6 form
// (written [::ffff:7fxx:xxxx]).
const LOOPBACK_IP = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\])$/;

/**
 * True when `url` is a URL whose host is this machine (where the emulator listens), however
 * written: `localhost` (with a final dot, or any `*.localhost`, RFC 6761), 127.0.0.0/8, `0.0.0.0`,
 * `[::1]`, `[::]` and IPv4-mapped loopback. Such a host is never Azure's. (The emulator's CA is
 * trusted for fewer: {@link LOCAL_HOSTS}.)
 */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, "");
  } catch {
    return false;
  }
  return LOCAL_HOSTS.has(host) || host.endsWith(".localhost") || host === "0.0.0.0" || host === "[::]" ||
    LOOPBACK_IP.test(host);
}
