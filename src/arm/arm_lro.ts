import { delay as defaultWait } from "../_builtins.ts";
import { clip } from "../_text.ts";
import type { ErrorCode } from "../error_codes.ts";
import { ArmError } from "../request_errors.ts";
import type { HttpResponse } from "../http/http_pipeline.ts";
import { retryAfterMs as retryAfter } from "../http/retry_strategy.ts";
import { type ArmErrorContext, armErrorFrom } from "./arm_errors.ts";

/** Options of {@link followLro}. */
export interface LroOptions {
  signal?: AbortSignal;
  /** Wait between polls when the service sends no `Retry-After`. @default 1000 */
  pollIntervalMs?: number;
  /** Cap on one wait, also on a server's `Retry-After`. @default 60_000 */
  maxPollDelayMs?: number;
  /** Give up after this long. @default 600_000 */
  timeoutMs?: number;
  /** Clock. @default Date.now */
  now?: () => number;
  /** Abortable wait (tests). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Called after each poll with the operation's status. */
  onPoll?: (status: string, polls: number) => void;
}

/** How a long-running operation ended (it succeeded; failures throw). */
export interface LroOutcome {
  /** `"Succeeded"`, or `"Completed"` when the PUT itself was final. */
  status: string;
  /** Status requests sent. */
  polls: number;
  /** The URL polled, without its query string (it carries a signature). */
  operationUrl: string | undefined;
}

const TERMINAL = new Set(["succeeded", "failed", "canceled", "cancelled"]);

const strip = (url: string) => url.split("?")[0];

// A service string for our error text, clipped (one line, bounded, no control characters such as
// ANSI escapes); anything else (absent, a number, an object) is undefined.
const clipIfString = (v: unknown) => (typeof v === "string" ? clip(v) : undefined);

/**
 * Follows an ARM long-running PUT (reference §3.3) after its first response: polls
 * `Azure-AsyncOperation` (else `Location`, else the resource while its `provisioningState` is not
 * terminal), waiting as `Retry-After` says (1 s when absent), until `Succeeded`, `Failed` or
 * `Canceled`. A 200 without those headers is already final. Status URLs must be on the ARM origin
 * (the bearer token goes nowhere else).
 *
 * @param first The PUT's response (200 or 201).
 * @param get Sends an authenticated GET to a status URL.
 * @param ctx The ARM origin, the resource URL and the error context.
 * @param options Abort signal, poll interval, bounds, clock.
 * @returns The outcome with the number of polls.
 * @throws {ArmError} `Failed`/`Canceled` (with the operation's error code and message), an error
 * response, a timeout, or `OperationAborted` (the message names the operation and its last state).
 */
export async function followLro(
  first: HttpResponse,
  get: (url: string, signal?: AbortSignal) => Promise<HttpResponse>,
  ctx: { origin: string; resourceUrl: string; error: ArmErrorContext },
  options: LroOptions = {},
): Promise<LroOutcome> {
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? defaultWait;
  const interval = options.pollIntervalMs ?? 1000;
  const cap = options.maxPollDelayMs ?? 60_000;
  const deadline = now() + (options.timeoutMs ?? 600_000);
  const asyncOp = first.headers.get("azure-asyncoperation");
  const location = first.headers.get("location");
  const state = first.json<{ properties?: { provisioningState?: string } }>()?.properties
    ?.provisioningState;
  let mode: "async" | "location" | "resource";
  let url: string;
  if (asyncOp) [mode, url] = ["async", asyncOp];
  else if (location) [mode, url] = ["location", location];
  else if (state && !TERMINAL.has(state.toLowerCase())) [mode, url] = ["resource", ctx.resourceUrl];
  else return { status: "Completed", polls: 0, operationUrl: undefined };

  const target = new URL(url, ctx.origin);
  if (target.origin !== new URL(ctx.origin).origin) {
    throw new ArmError(
      "OperationUrlUntrusted",
      `Cannot ${ctx.error.action} of workspace "${ctx.error.workspaceName}": ARM sent an operation URL on ` +
        `another host (${target.origin}), where this module does not send its token. Check the ARM endpoint`,
      { method: "GET", url: strip(target.href) },
    );
  }
  url = target.href;
  const operationUrl = strip(url);
  let status = clipIfString(state) ?? "Accepted";
  let polls = 0;
  let delay = retryAfter(first, now()) ?? interval;
  const fail = (code: ErrorCode, why: string, fix: string, extra: Record<string, unknown> = {}) =>
    new ArmError(
      code,
      `Cannot ${ctx.error.action} of workspace "${ctx.error.workspaceName}": ${why} ` +
        `(operation ${operationUrl}, last status "${status}", ${polls} polls). ${fix}`,
      { method: "GET", url: operationUrl, ...extra },
    );

  for (;;) {
    if (now() + Math.min(delay, cap) > deadline) {
      throw fail(
        "OperationTimeout",
        "the operation did not finish in time",
        "Check later with `keys.status()`",
      );
    }
    let res: HttpResponse;
    try {
      await wait(Math.min(delay, cap), options.signal);
      res = await get(url, options.signal);
    } catch (e) {
      if (!options.signal?.aborted) throw e;
      throw fail(
        "OperationAborted",
        "the wait was aborted while the operation was still running",
        "ARM may still complete it: check with `keys.status()`",
        { cause: options.signal.reason },
      );
    }
    polls++;
    if (mode === "location" && res.status === 202) {
      status = "InProgress";
    } else if (res.status >= 400) {
      throw armErrorFrom(res, { ...ctx.error, method: "GET", url: operationUrl });
    } else if (mode === "location") {
      status = "Succeeded";
    } else {
      const body = res.json<{
        status?: string;
        properties?: { provisioningState?: string };
        error?: { code?: string; message?: string };
      }>();
      status = clipIfString(mode === "async" ? body?.status : body?.properties?.provisioningState) ??
        status;
      if (/^(failed|canceled|cancelled)$/i.test(status)) {
        const armCode = clipIfString(body?.error?.code);
        const armMessage = clipIfString(body?.error?.message);
        throw fail(
          /^failed$/i.test(status) ? "OperationFailed" : "OperationCanceled",
          `the operation ended "${status}"${armCode ? ` (${armCode}: ${armMessage ?? ""})` : ""}`,
          "Nothing was changed; check the workspace in the Azure portal and try again",
          { armCode, armMessage, statusCode: res.status, requestId: res.requestId },
        );
      }
    }
    options.onPoll?.(status, polls);
    if (/^succeeded$/i.test(status)) return { status: "Succeeded", polls, operationUrl };
    delay = retryAfter(res, now()) ?? interval;
  }
}
