/**
 * The options a workspace hands back (`ws.options`): the settings it was made with, safe to print,
 * spread, tabulate, clone or serialize. Nothing in it is a secret as a plain enumerable value.
 *
 * @module
 */

import { isSecret, Secret } from "../connection/secret.ts";
import { DENO_INSPECT, NODE_INSPECT } from "../displayable.ts";
import type { EnvDecryptOptions } from "./env_file_values.ts";

/** Options that hold a key, a connection string or a `.env`'s private key: never kept. */
const DROPPED = new Set(["connectionString", "apiKey", "privateKey"]);

/**
 * Options shown as plain enumerable values: none can hold a secret. Everything else (`env`, which
 * holds the caller's connection string; `credential`, which may hold a client secret; any option
 * added later) stays readable by name but is not enumerable, and prints as `[… not shown]`.
 */
const SHOWN = new Set([
  "useEntraId",
  "ca",
  "fetch",
  "apiVersion",
  "retry",
  "timeoutMs",
  "armEndpoint",
  "armFetch",
  "armScope",
  "armApiVersion",
  "progress",
  "verify",
  "signal",
  "envFile",
  "cwd",
  "readTextFile",
  "exists",
  "subscriptionId",
  "resourceGroup",
  "workspaceName",
  "location",
  "endpoint",
  "refresh",
  "emulator",
  "allowKeyChanges",
  "credentialSource",
]);

/** How a hidden option prints: what it is, never what it holds. */
export function hiddenText(name: string, value: unknown): string {
  if (name === "env" && value && typeof value === "object") {
    return `[${Object.keys(value).length} variables, not shown]`;
  }
  const kind = (value as { constructor?: { name?: string } } | null)?.constructor?.name;
  return `[${kind && kind !== "Object" ? `${kind}, ` : ""}not shown]`;
}

/**
 * Every option `options` holds, hidden ones included (for a view made by {@link optionsView}
 * passed back in as options: a spread would leave `env` and `credential` out).
 */
export function allOptions<T extends object>(options: T): T {
  const all: Record<string, unknown> = {};
  for (const name of Object.getOwnPropertyNames(options)) {
    if (name !== "toJSON") all[name] = (options as Record<string, unknown>)[name];
  }
  return all as T;
}

/**
 * A read-only view of `options` (see the module doc): `connectionString`, `apiKey` and
 * `privateKey` dropped;
 * the known harmless settings as enumerable properties; everything else, `env` and `credential`
 * included, as non-enumerable properties (so `new Workspace(info, ws.options)` still gets them,
 * while spreading, `Object.entries`, `console.table`, `structuredClone` and `JSON.stringify` never
 * see them); inspect and JSON show `[… not shown]` in their place.
 */
export function optionsView<T extends object>(
  options: T,
): Readonly<Omit<T, "connectionString" | "apiKey" | "privateKey">> {
  const view: Record<string, unknown> = {};
  const hidden: Record<string, string> = {};
  for (const [name, value] of Object.entries(options)) {
    if (DROPPED.has(name) || value === undefined) continue;
    const shown = SHOWN.has(name) && !isSecret(value);
    Object.defineProperty(view, name, { value, enumerable: shown });
    if (!shown) hidden[name] = hiddenText(name, value);
  }
  printAs(view, () => ({ ...view, ...hidden }));
  return Object.freeze(view) as Readonly<Omit<T, "connectionString" | "apiKey" | "privateKey">>;
}

/**
 * Where a writer of an encrypted `.env` looks for its private key (`settings.privateKeyOptions`):
 * `privateKey` as a `Secret`, and `env` (the caller's environment, a connection string among it)
 * readable by name only: not enumerable, shown as `[N variables, not shown]` by JSON and inspect.
 */
export function privateKeyView(
  privateKey: string | Secret | undefined,
  env: Record<string, string | undefined> | undefined,
): EnvDecryptOptions {
  const view: EnvDecryptOptions = {
    privateKey: typeof privateKey === "string" ? new Secret(privateKey) : privateKey,
  };
  Object.defineProperty(view, "env", { value: env, enumerable: false });
  return printAs(view, () => ({ privateKey: view.privateKey, ...(env ? { env: hiddenText("env", env) } : {}) }));
}

// JSON and both inspects print `view` as `printable()` says (non-enumerable hooks).
function printAs<T extends object>(view: T, printable: () => unknown): T {
  return Object.defineProperties(view, {
    toJSON: { value: printable },
    [NODE_INSPECT]: {
      value: (_depth: number, opts: object, inspect: (v: unknown, o: object) => string) =>
        inspect(printable(), opts),
    },
    [DENO_INSPECT]: {
      value: (inspect: (v: unknown, o: unknown) => string, opts: unknown) =>
        inspect(printable(), opts),
    },
  });
}
