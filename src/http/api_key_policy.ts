import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import type { Secret } from "../connection/secret.ts";

/** Name of the header the data plane reads the access key from. */
export const API_KEY_HEADER = "x-ms-quantum-api-key";

/** Anything that can hand out the current access key; read on every request. */
export interface ApiKeyProvider {
  /** The key to send now. */
  readonly key: Secret;
}

/**
 * Sets `x-ms-quantum-api-key` from `source.key` on each request (read at send time, so swapping the
 * key in `source` takes effect on the next request, retries included).
 */
export function apiKeyPolicy(source: ApiKeyProvider): PipelinePolicy {
  return {
    name: "quantumApiKeyPolicy",
    sendRequest(request, next) {
      request.headers.set(API_KEY_HEADER, source.key.reveal());
      return next(request);
    },
  };
}
