/**
 * Parsing of Azure Quantum data-plane endpoints: the regional host the Python SDK accepts, the
 * per-workspace host ARM reports as `endpointUri`, and the loopback endpoint of the local emulator;
 * and the names of this machine, where the emulator listens, that every other setting (Resource
 * Manager, Key Vault, sign-in) is judged by. (They live here, not in a module of their own, to keep
 * importing the package within its module budget: see test/workspace/import_cost_test.ts.)
 *
 * @module
 */

import { withoutFinalPeriod } from "../_text.ts";
import { ConnectionStringError } from "../errors.ts";
import type { WorkspaceKind } from "./connection_info.ts";
import { isAzureRegion } from "./azure_regions.ts";
import {
  checkWorkspaceName,
  CONNECTION_STRING_FIELD_NAMES,
  type FieldContext,
  SDK_MESSAGES,
} from "./validate_fields.ts";

// Names of this machine.

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

/** True for an Entra authority on this machine (the emulator's), which gets its CA and no instance discovery. */
export function isLoopbackAuthority(authorityHost: string): boolean {
  try {
    const url = new URL(authorityHost);
    return url.protocol === "https:" && LOCAL_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}

/**
 * The location reported for a loopback (emulator) endpoint, whose host names no region: the
 * emulator's development region.
 */
export const EMULATOR_LOCATION = "eastus";

/** What an endpoint says about its workspace. */
export interface QuantumEndpoint {
  /** `https://` + the lowercased host (+ `:port` for loopback) + `/`. */
  endpoint: string;
  /** The region of the host, or {@link EMULATOR_LOCATION} for a loopback endpoint. */
  location: string;
  /** `V2` when the region label ends in `-v2`. */
  workspaceKind: WorkspaceKind;
  /** True for `https://127.0.0.1:<port>/` and `https://localhost:<port>/`. */
  isEmulator: boolean;
  /** The first label of a per-workspace host (`https://<ws>.<region>.quantum.azure.com/`). */
  workspaceLabel?: string;
}

/** Options of {@link parseQuantumEndpoint}. */
export interface ParseQuantumEndpointOptions {
  /** The workspace a per-workspace host must name (compared case-insensitively). */
  workspaceName?: string;
  /** Where the endpoint came from, for error messages (e.g. `"argument endpoint"`). */
  source?: string;
}

const FIX =
  "Use https://<region>.quantum.azure.com/ (https://<region>-v2.quantum.azure.com/ for a V2 workspace), or https://127.0.0.1:<port>/ for the emulator";
const AZURE_HOST = /^(?:([a-z0-9-]+)\.)?([a-z0-9-]+)\.quantum(?:-test)?\.azure\.com$/;

function fail(ctx: FieldContext, what: string, fix: string = FIX): ConnectionStringError {
  return new ConnectionStringError(
    CONNECTION_STRING_FIELD_NAMES.endpoint,
    `${ctx.prefix}: ${ctx.subject} ${what}. ${withoutFinalPeriod(fix)}`,
  );
}

/** {@link parseQuantumEndpoint} with an explicit error context. */
export function checkQuantumEndpoint(
  value: string,
  ctx: FieldContext,
  workspaceName?: string,
): QuantumEndpoint {
  if (typeof value !== "string") {
    throw new TypeError(`${ctx.prefix}: ${ctx.subject} is a ${typeof value}. ${FIX}`);
  }
  const url = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is.exec(value.trim());
  if (url === null) throw fail(ctx, "is not an https:// URL");
  if (url[1].toLowerCase() !== "https") throw fail(ctx, "does not use https");
  const rest = url[2];
  const cut = rest.search(/[/?#]/);
  const authority = cut < 0 ? rest : rest.slice(0, cut);
  const tail = cut < 0 ? "" : rest.slice(cut);
  if (tail !== "" && tail !== "/") throw fail(ctx, "has a path, query or fragment");
  const hostPort = /^([^:@\s]+)(?::(\d{1,5}))?$/.exec(authority);
  if (hostPort === null) throw fail(ctx, "does not name an Azure Quantum host");
  const host = hostPort[1].toLowerCase();
  const port = hostPort[2];

  if (EMULATOR_HOSTS.has(host)) {
    const n = port === undefined ? 0 : Number(port);
    if (n < 1 || n > 65535) {
      throw fail(
        ctx,
        "names a loopback host without a valid port",
        "Use https://127.0.0.1:<port>/",
      );
    }
    return {
      endpoint: `https://${host}:${n}/`,
      location: EMULATOR_LOCATION,
      workspaceKind: "V1",
      isEmulator: true,
    };
  }

  const azure = AZURE_HOST.exec(host);
  if (azure === null) throw fail(ctx, "does not name an Azure Quantum host");
  if (port !== undefined) throw fail(ctx, "has a port, which Azure Quantum hosts do not take");
  const [, label, regional] = azure;
  const kind = /^([a-z0-9]+)(?:-(v\d+))?$/.exec(regional);
  if (kind === null) {
    throw fail(
      ctx,
      "has a hyphen in its region label",
      "Azure region names have no hyphen: write eastus, not east-us",
    );
  }
  if (kind[2] !== undefined && kind[2] !== "v2") {
    throw fail(ctx, "has an unknown workspace-kind suffix (only -v2 exists)");
  }
  if (!isAzureRegion(kind[1])) {
    throw fail(ctx, "names an unknown region", SDK_MESSAGES.locationRegion);
  }
  if (label !== undefined) {
    checkWorkspaceName(label, {
      prefix: ctx.prefix,
      subject: `the workspace label of ${ctx.subject}`,
    });
    if (workspaceName !== undefined && label !== workspaceName.toLowerCase()) {
      throw fail(
        ctx,
        "names a different workspace than the workspace name",
        "Make them the same workspace, or use the regional endpoint https://<region>.quantum.azure.com/",
      );
    }
  }
  return {
    endpoint: `https://${host}/`,
    location: kind[1],
    workspaceKind: kind[2] === "v2" ? "V2" : "V1",
    isEmulator: false,
    ...(label === undefined ? {} : { workspaceLabel: label }),
  };
}

/**
 * Parses and normalizes an Azure Quantum data-plane endpoint. Accepted: `https://<region>.quantum.azure.com`,
 * with `-v2` after the region for a V2 workspace, `quantum-test` for Microsoft's test hosts, a
 * per-workspace host `https://<ws>.<region>.quantum.azure.com`, and the emulator's
 * `https://127.0.0.1:<port>` or `https://localhost:<port>`; the trailing `/` is optional and the
 * result always has it. The whole endpoint is lowercased (hosts are case-insensitive), which keeps
 * `-v2` and `quantum-test`, the parts that matter.
 *
 * @throws {ConnectionStringError} for `http://`, other hosts, a port on an Azure host, a path, a
 * hyphen in the region label, a suffix other than `-v2`, an unknown region, or a per-workspace host
 * naming another workspace than `options.workspaceName`.
 */
export function parseQuantumEndpoint(
  value: string,
  options: ParseQuantumEndpointOptions = {},
): QuantumEndpoint {
  const ctx: FieldContext = options.source === undefined
    ? { prefix: "Cannot parse endpoint", subject: "QuantumEndpoint" }
    : { prefix: "Cannot load connection", subject: options.source };
  return checkQuantumEndpoint(value, ctx, options.workspaceName);
}
