import type { RetryEvent } from "../http/retry_strategy.ts";
import type { Progress, ProgressSink } from "../progress.ts";

/**
 * Runs `fn`, and if it starts waiting for retries, opens a progress line on `sink` ("attempt 2 of
 * 4: HTTP 503, retrying in 2 s"). Nothing is shown for calls that need no retry.
 */
export async function withRetryProgress<T>(
  label: string,
  sink: ProgressSink | undefined,
  fn: (onRetry: (event: RetryEvent) => void) => Promise<T>,
): Promise<T> {
  let progress: Progress | undefined;
  const onRetry = (e: RetryEvent) => {
    if (sink === undefined) return;
    progress ??= sink.start(label);
    const cause = e.status ? `HTTP ${e.status}` : `connection ${e.errorCode || "failed"}`;
    progress.update(
      `attempt ${e.attempt + 1} of ${e.maxRetries + 1}: ${cause}, retrying in ${formatWait(e.delayMs)}`,
    );
  };
  try {
    const value = await fn(onRetry);
    await progress?.done("done");
    return value;
  } catch (e) {
    await progress?.fail((e as Error)?.name ?? "failed");
    throw e;
  }
}

function formatWait(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}
