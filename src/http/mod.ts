/**
 * The HTTP layer shared by the data-plane and ARM clients.
 *
 * @module
 */
export {
  createHttpPipeline,
  type HttpPipeline,
  type HttpPipelineOptions,
  type HttpRequestInit,
  type HttpResponse,
} from "./http_pipeline.ts";
export { API_KEY_HEADER, apiKeyPolicy, type ApiKeyProvider } from "./api_key_policy.ts";
export { fetchHttpClient } from "./fetch_http_client.ts";
export {
  quantumRetryStrategy,
  retryAfterMs,
  type RetryEvent,
  type RetryOptions,
} from "./retry_strategy.ts";
