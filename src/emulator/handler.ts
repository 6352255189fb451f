import { randomUUID } from "node:crypto";
import type { EmulatorContext } from "./context.ts";
import { ArmErrors } from "./arm_errors.ts";
import { DataPlaneErrors } from "./data_plane_errors.ts";
import { IdentityErrors } from "./identity_errors.ts";
import { DropConnection, type ListenerName } from "./faults.ts";
import { LoginErrors } from "./login_errors.ts";
import type { AuthScheme } from "./request_log.ts";
import { VaultErrors } from "./vault_errors.ts";

/** A pure request handler, as every listener of the emulator exposes it. */
export type Handler = (req: Request) => Promise<Response>;

const FAULTS = {
  dataPlane: DataPlaneErrors.fault,
  arm: ArmErrors.fault,
  identity: IdentityErrors.fault,
  vault: VaultErrors.fault,
  login: LoginErrors.fault,
};

function schemeOf(req: Request): AuthScheme {
  if (req.headers.has("x-ms-quantum-api-key")) return "apiKey";
  if (req.headers.has("authorization")) return "bearer";
  if (req.headers.has("x-identity-header")) return "identityHeader";
  return "none";
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Wraps a listener's routes with what every request goes through: settle due operations, log the
 * request (without secret headers), add the latency, apply an injected fault (a 429/500/503
 * response, or {@link DropConnection} thrown for the adapter, carrying the handled answer for a
 * drop `at: "response"`), and stamp `x-ms-request-id` (plus
 * `x-ms-correlation-request-id` on ARM, echoing the client's when it sent one).
 *
 * @param listener Which listener this is (for the log and fault matching).
 * @param routes The listener's routes.
 * @param ctx The shared emulator context.
 * @returns The listener's handler; it throws `DropConnection` for a dropped connection.
 */
export function withPipeline(
  listener: ListenerName,
  routes: Handler,
  ctx: EmulatorContext,
): Handler {
  return async (req) => {
    const requestId = randomUUID();
    ctx.store.settle(ctx.now());
    const entry = ctx.log.record(listener, req, requestId, schemeOf(req), ctx.now());
    const latency = ctx.store.knobs.latencyMs;
    if (latency > 0) await sleep(latency);
    const url = new URL(req.url);
    const fault = ctx.faults.take(listener, req.method, url.pathname + url.search);
    let res: Response;
    if (fault) {
      entry.fault = fault.fault;
      if (fault.fault === "drop") {
        entry.status = 0;
        if (fault.at !== "response") throw new DropConnection();
        ctx.store.settle(ctx.now());
        throw new DropConnection(await routes(req));
      }
      res = FAULTS[listener](fault.fault, fault.retryAfterSeconds ?? 1);
    } else {
      ctx.store.settle(ctx.now());
      res = await routes(req);
    }
    res.headers.set("x-ms-request-id", requestId);
    if (listener === "arm") {
      res.headers.set(
        "x-ms-correlation-request-id",
        req.headers.get("x-ms-correlation-request-id") ?? randomUUID(),
      );
    }
    entry.status = res.status;
    return res;
  };
}
