import { inspect } from "node:util";
import { expect } from "vitest";

/** Everything an error exposes: message, stack, inspect output, own properties, causes. */
export function exposedText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const e = current as Record<string, unknown>;
    parts.push(String(e.message), String(e.stack), inspect(e, { depth: 5 }));
    parts.push(JSON.stringify(Object.getOwnPropertyNames(e).map((k) => [k, String(e[k])])));
    try {
      parts.push(JSON.stringify(e));
    } catch {
      // circular: the other views cover it
    }
    current = e.cause;
  }
  return parts.join("\n");
}

/** Asserts that no secret appears anywhere in what `error` exposes. */
export function expectNoLeak(error: unknown, ...secrets: string[]): void {
  const text = exposedText(error);
  for (const secret of secrets) {
    expect(text.includes(secret), `leaked ${secret.length} chars`).toBe(false);
  }
}

/** The error `fn` throws (fails the test when it throws nothing). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error, none was thrown");
}

/** The error `promise` rejects with. */
export async function rejected(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection, none came");
}
