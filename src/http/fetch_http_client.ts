import type { HttpClient, PipelineRequest, PipelineResponse } from "@azure/core-rest-pipeline";

type Core = typeof import("@azure/core-rest-pipeline");

/**
 * An `HttpClient` that sends through a `fetch`-compatible function: tests pass the emulator's
 * request handler and open no socket. Bodies are strings (all this module sends). Redirects are
 * not followed (the 3xx comes back as it is), like the default client.
 */
export function fetchHttpClient(
  fetchFn: (request: Request) => Promise<Response>,
  core: Pick<Core, "createHttpHeaders" | "RestError">,
): HttpClient {
  const { createHttpHeaders, RestError } = core;
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const headers = new Headers();
      for (const [name, value] of request.headers) {
        try {
          headers.set(name, value);
        } catch {
          // The runtime's message quotes the value (an api-key): name the header only.
          throw new RestError(`the value of header "${name}" cannot be sent`, {
            code: RestError.REQUEST_SEND_ERROR,
            request,
          });
        }
      }
      const body = typeof request.body === "string" ? request.body : undefined;
      let response: Response;
      try {
        response = await fetchFn(
          new Request(request.url, {
            method: request.method,
            headers,
            body,
            signal: request.abortSignal as AbortSignal | undefined,
            // A redirect would carry the api-key header to wherever it points: never follow.
            redirect: "manual",
          }),
        );
      } catch (e) {
        if ((e as Error)?.name === "AbortError") throw e;
        throw new RestError((e as Error)?.message ?? "fetch failed", {
          code: RestError.REQUEST_SEND_ERROR,
          request,
        });
      }
      const responseHeaders = createHttpHeaders();
      response.headers.forEach((value, name) => responseHeaders.set(name, value));
      return {
        request,
        status: response.status,
        headers: responseHeaders,
        bodyAsText: await response.text(),
      };
    },
  };
}
