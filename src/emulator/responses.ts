/**
 * A JSON response (`application/json; charset=utf-8`).
 *
 * @param status HTTP status.
 * @param body Serialized with `JSON.stringify`.
 * @param headers Extra headers.
 * @returns The response.
 */
export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/**
 * A response without a body (`content-length: 0`), e.g. a 204 or the data plane's 401.
 *
 * @param status HTTP status.
 * @param headers Extra headers.
 * @returns The response.
 */
export function empty(status: number, headers: Record<string, string> = {}): Response {
  return new Response(null, { status, headers: { "content-length": "0", ...headers } });
}
