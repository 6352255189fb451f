import {
  createEmulatorHandlers,
  type EmulatorHandlerOptions,
  type EmulatorHandlers,
  VAULT_AUDIENCE,
} from "../../src/emulator/mod.ts";

/** The vault URL the pure handlers believe they are served at. */
export const VAULT = "https://127.0.0.1/";
export const KV_VERSION = "2025-07-01";
export const T0 = Date.parse("2026-11-30T12:00:00Z");
export const T0_SECONDS = T0 / 1000;

/** Calls the emulated vault without a socket, with a vault token unless `token` says otherwise. */
export function vaultClient(options: EmulatorHandlerOptions = {}) {
  let clock = T0;
  const handlers: EmulatorHandlers = createEmulatorHandlers({ now: () => clock, ...options });
  const token = (o: { audience?: string; lifetimeSeconds?: number; principalId?: string } = {}) =>
    handlers.control.issueToken({ audience: VAULT_AUDIENCE, ...o }).reveal();
  const call = async (
    method: string,
    path: string,
    init: { body?: unknown; token?: string | null; query?: string; authorization?: string } = {},
  ) => {
    const query = init.query ?? `api-version=${KV_VERSION}`;
    const url = /^https:/.test(path) ? path : `${VAULT}${path}${query ? `?${query}` : ""}`;
    const headers: Record<string, string> = {};
    const bearer = init.token === undefined ? token() : init.token;
    if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
    if (init.authorization !== undefined) headers.authorization = init.authorization;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    const res = await handlers.vault(
      new Request(url, {
        method,
        headers,
        body: init.body === undefined
          ? undefined
          : typeof init.body === "string"
          ? init.body
          : JSON.stringify(init.body),
      }),
    );
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  };
  return {
    handlers,
    control: handlers.control,
    token,
    call,
    put: (name: string, body: unknown, init: { token?: string | null } = {}) =>
      call("PUT", `secrets/${name}`, { body, ...init }),
    tick: (ms: number) => (clock += ms),
  };
}
