import { json } from "./responses.ts";
import { authenticateVault, authorizeVault, type VaultAuthContext } from "./vault_auth.ts";
import {
  deletedSecretBundle,
  deletedSecretItem,
  secretBundle,
  secretItem,
} from "./vault_bodies.ts";
import { KEY_VAULT_API_VERSIONS, SECRET_NAME, VaultActions } from "./vault_constants.ts";
import { VAULT_HEADERS, VaultErrors } from "./vault_errors.ts";
import type { NewSecretVersion, VaultStore } from "./vault_store.ts";

/** What the vault's routes need: auth context, secrets, their URL and the page size knob. */
export interface VaultRouteContext extends VaultAuthContext {
  store: VaultStore;
  /** The vault URL clients use, with its trailing slash: `https://127.0.0.1:<port>/`. */
  url: () => string;
  /** Items per list page when the client asks for more or sends no `maxresults`. @default 25 */
  pageSize: () => number;
}

const VERSION = /^[0-9a-fA-F]{32}$/;
/** Key Vault's limits: 25 KB per value, 15 tags (names up to 512, values up to 256 characters). */
const MAX_VALUE_BYTES = 25 * 1024;
const MAX_TAGS = 15;
const MAX_PAGE = 25;

const ok = (body: unknown, status = 200) => json(status, body, VAULT_HEADERS);
const seconds = (ctx: VaultRouteContext) => Math.floor(ctx.now() / 1000);

/**
 * The emulated vault's secrets data plane (Key Vault REST, api-versions 7.0 to 2025-07-01):
 * `PUT /secrets/{name}` (new version), `GET /secrets/{name}[/{version}]`, `GET /secrets`,
 * `GET /secrets/{name}/versions` (paged: `maxresults` up to 25, `nextLink` with `$skiptoken`),
 * `DELETE /secrets/{name}` (soft delete), `GET /deletedsecrets[/{name}]`,
 * `DELETE /deletedsecrets/{name}` (purge, 204) and `POST /deletedsecrets/{name}/recover`.
 * Order of checks: token (401 with the challenge), api-version (400), route (404/405/501), name
 * (400), role (403 `ForbiddenByRbac`), then the operation.
 *
 * @param ctx Secrets, role assignments, token issuer, clock and URL.
 * @returns A pure request handler.
 */
export function vaultRoutes(ctx: VaultRouteContext): (req: Request) => Promise<Response> {
  return (req) => route(req, ctx);
}

async function route(req: Request, ctx: VaultRouteContext): Promise<Response> {
  ctx.store.settle(seconds(ctx));
  const claims = authenticateVault(req, ctx);
  if (claims instanceof Response) return claims;
  const url = new URL(req.url);
  const version = url.searchParams.get("api-version");
  if (!version) return VaultErrors.missingApiVersion();
  if (!KEY_VAULT_API_VERSIONS.includes(version)) return VaultErrors.invalidApiVersion(version);
  const path = url.pathname;
  const parts = path.replace(/\/$/, "").split("/").slice(1);
  const [collection, name, tail, ...rest] = parts;
  const method = req.method;
  const deny = (action: (typeof VaultActions)[keyof typeof VaultActions], secret?: string) =>
    authorizeVault(ctx, claims, action, secret);

  if (rest.length > 0 || (collection !== "secrets" && collection !== "deletedsecrets")) {
    return /^\/(keys|certificates|storage)(\/|$)/.test(path)
      ? VaultErrors.notImplemented(method, path)
      : VaultErrors.noRoute(method, path);
  }
  if (name === undefined) {
    if (method !== "GET") return VaultErrors.methodNotAllowed(method, "GET");
    if (collection === "secrets") {
      return deny(VaultActions.readMetadata) ??
        page(
          url,
          ctx,
          ctx.store.secrets(),
          (s) => secretItem(ctx.url(), s, s.versions.at(-1)!, false),
        );
    }
    return deny(VaultActions.readMetadata) ??
      page(url, ctx, ctx.store.deletedSecrets(), (s) => deletedSecretItem(ctx.url(), s));
  }
  if (collection === "secrets" && name === "restore" && tail === undefined && method === "POST") {
    return VaultErrors.notImplemented(method, path);
  }
  if (!SECRET_NAME.test(name)) return VaultErrors.invalidName(name);
  if (collection === "deletedsecrets") return deleted(req, ctx, name, tail, deny);

  if (tail === undefined) {
    if (method === "PUT") {
      return deny(VaultActions.setSecret, name) ?? await setSecret(req, ctx, name);
    }
    if (method === "GET") return deny(VaultActions.getSecret, name) ?? getSecret(ctx, name);
    if (method === "DELETE") return deny(VaultActions.delete, name) ?? deleteSecret(ctx, name);
    if (method === "PATCH") return VaultErrors.notImplemented(method, path);
    return VaultErrors.methodNotAllowed(method, "GET, PUT, DELETE");
  }
  if (tail === "versions") {
    if (method !== "GET") return VaultErrors.methodNotAllowed(method, "GET");
    const secret = ctx.store.secret(name);
    return deny(VaultActions.readMetadata, name) ??
      page(url, ctx, secret?.versions ?? [], (v) => secretItem(ctx.url(), secret!, v, true));
  }
  if (tail === "backup" && method === "POST") return VaultErrors.notImplemented(method, path);
  if (method === "PATCH") return VaultErrors.notImplemented(method, path);
  if (method !== "GET") return VaultErrors.methodNotAllowed(method, "GET");
  return deny(VaultActions.getSecret, name) ?? getSecret(ctx, name, tail);
}

function getSecret(ctx: VaultRouteContext, name: string, version?: string): Response {
  const secret = ctx.store.secret(name);
  const v = version === undefined
    ? ctx.store.latest(name)
    : VERSION.test(version)
    ? ctx.store.version(name, version)
    : undefined;
  if (!secret || !v) {
    return VaultErrors.secretNotFound(version === undefined ? name : `${name}/${version}`);
  }
  if (!v.enabled) return VaultErrors.secretDisabled();
  return ok(secretBundle(ctx.url(), secret, v, true));
}

function deleteSecret(ctx: VaultRouteContext, name: string): Response {
  const secret = ctx.store.delete(name, seconds(ctx));
  return secret ? ok(deletedSecretBundle(ctx.url(), secret)) : VaultErrors.secretNotFound(name);
}

function deleted(
  req: Request,
  ctx: VaultRouteContext,
  name: string,
  tail: string | undefined,
  deny: (
    action: (typeof VaultActions)[keyof typeof VaultActions],
    secret?: string,
  ) => Response | undefined,
): Response {
  const path = new URL(req.url).pathname;
  if (tail === "recover") {
    if (req.method !== "POST") return VaultErrors.methodNotAllowed(req.method, "POST");
    const denied = deny(VaultActions.recover, name);
    if (denied) return denied;
    const secret = ctx.store.recover(name);
    return secret
      ? ok(secretBundle(ctx.url(), secret, secret.versions.at(-1)!, false))
      : VaultErrors.deletedSecretNotFound(name);
  }
  if (tail !== undefined) return VaultErrors.noRoute(req.method, path);
  if (req.method === "GET") {
    const denied = deny(VaultActions.readMetadata, name);
    if (denied) return denied;
    const secret = ctx.store.deletedSecret(name);
    return secret
      ? ok(deletedSecretBundle(ctx.url(), secret))
      : VaultErrors.deletedSecretNotFound(name);
  }
  if (req.method === "DELETE") {
    const denied = deny(VaultActions.purge, name);
    if (denied) return denied;
    return ctx.store.purge(name)
      ? new Response(null, { status: 204, headers: VAULT_HEADERS })
      : VaultErrors.deletedSecretNotFound(name);
  }
  return VaultErrors.methodNotAllowed(req.method, "GET, DELETE");
}

async function setSecret(req: Request, ctx: VaultRouteContext, name: string): Promise<Response> {
  let body: unknown;
  try {
    body = JSON.parse(await req.text());
  } catch {
    return VaultErrors.badBody("The request body is not valid JSON.");
  }
  const parsed = secretInput(body);
  if (typeof parsed === "string") return VaultErrors.badBody(parsed);
  const result = ctx.store.set(name, parsed, seconds(ctx));
  if (result === "deleted") {
    return VaultErrors.deletedButRecoverable(ctx.store.deletedSecret(name)!.name);
  }
  return ok(secretBundle(ctx.url(), result.secret, result.version, true));
}

/** The new version a PUT body asks for, or what is wrong with the body (never echoing the value). */
function secretInput(body: unknown): NewSecretVersion | string {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return "The request body must be a JSON object.";
  }
  const b = body as Record<string, unknown>;
  if (typeof b.value !== "string") return "Property 'value' is required and must be a string.";
  if (b.value === "") return "Property 'value' must not be empty.";
  if (new TextEncoder().encode(b.value).length > MAX_VALUE_BYTES) {
    return `Property 'value' exceeds the maximum size of ${MAX_VALUE_BYTES} bytes.`;
  }
  if (b.contentType !== undefined && b.contentType !== null && typeof b.contentType !== "string") {
    return "Property 'contentType' must be a string.";
  }
  const tags = b.tags ?? undefined;
  if (tags !== undefined) {
    if (typeof tags !== "object" || Array.isArray(tags)) {
      return "Property 'tags' must be an object.";
    }
    const entries = Object.entries(tags as Record<string, unknown>);
    if (entries.length > MAX_TAGS) return `A secret can have at most ${MAX_TAGS} tags.`;
    for (const [k, v] of entries) {
      if (typeof v !== "string" || k.length > 512 || v.length > 256) {
        return "Tag names must be at most 512 characters and tag values strings of at most 256 characters.";
      }
    }
  }
  const a = (b.attributes ?? {}) as Record<string, unknown>;
  if (typeof a !== "object" || Array.isArray(a)) return "Property 'attributes' must be an object.";
  if (a.enabled !== undefined && typeof a.enabled !== "boolean") {
    return "Property 'attributes.enabled' must be a boolean.";
  }
  for (const t of ["nbf", "exp"] as const) {
    if (a[t] !== undefined && !Number.isInteger(a[t])) {
      return `Property 'attributes.${t}' must be seconds since 1970-01-01 (an integer).`;
    }
  }
  return {
    value: b.value,
    ...(typeof b.contentType === "string" ? { contentType: b.contentType } : {}),
    ...(tags === undefined ? {} : { tags: tags as Record<string, string> }),
    ...(a.enabled === undefined ? {} : { enabled: a.enabled as boolean }),
    ...(a.nbf === undefined ? {} : { nbf: a.nbf as number }),
    ...(a.exp === undefined ? {} : { exp: a.exp as number }),
  };
}

/**
 * One page of a list: `maxresults` (1 to 25) items from the `$skiptoken` offset, and a
 * `nextLink` (absolute, with `api-version`) while more remain, else `nextLink: null`.
 */
function page<T>(
  url: URL,
  ctx: VaultRouteContext,
  items: readonly T[],
  render: (item: T) => unknown,
): Response {
  const max = url.searchParams.get("maxresults");
  let size = Math.min(ctx.pageSize(), MAX_PAGE);
  if (max !== null) {
    const n = Number(max);
    if (!/^\d+$/.test(max) || n < 1 || n > MAX_PAGE) {
      return VaultErrors.badQuery(`The value of maxresults must be between 1 and ${MAX_PAGE}.`);
    }
    size = Math.min(n, size);
  }
  const token = url.searchParams.get("$skiptoken");
  const offset = token === null ? 0 : decodeSkipToken(token);
  if (offset === undefined || offset > items.length) {
    return VaultErrors.badQuery("The $skiptoken is not valid.");
  }
  const end = offset + size;
  let nextLink: string | null = null;
  if (end < items.length) {
    // Built by hand: URLSearchParams would write `%24skiptoken`, Key Vault writes `$skiptoken`.
    nextLink = `${ctx.url()}${url.pathname.slice(1)}?api-version=` +
      `${encodeURIComponent(url.searchParams.get("api-version")!)}&$skiptoken=${
        encodeSkipToken(end)
      }` +
      (max === null ? "" : `&maxresults=${max}`);
  }
  return ok({ value: items.slice(offset, end).map(render), nextLink });
}

function encodeSkipToken(offset: number): string {
  return btoa(JSON.stringify({ NextMarker: offset })).replace(/=+$/, "").replace(/\+/g, "-")
    .replace(/\//g, "_");
}

function decodeSkipToken(token: string): number | undefined {
  try {
    const n = (JSON.parse(atob(token.replace(/-/g, "+").replace(/_/g, "/"))) as {
      NextMarker?: unknown;
    }).NextMarker;
    return Number.isInteger(n) && (n as number) >= 0 ? (n as number) : undefined;
  } catch {
    return undefined;
  }
}
