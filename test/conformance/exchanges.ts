/**
 * Every recorded Azure Quantum exchange the conformance suites replay (ARM and data plane); the
 * types, sources and fixture identifiers are in recorded_exchange.ts.
 *
 * @module
 */
import { ARM_EXCHANGES } from "./arm_exchanges.ts";
import { DATA_PLANE_EXCHANGES } from "./data_plane_exchanges.ts";
import type { RecordedExchange } from "./recorded_exchange.ts";

export { listKeysSample, workspaceSample } from "./arm_exchanges.ts";
export { providerStatusSample } from "./data_plane_exchanges.ts";
export { FIXTURE, type RecordedExchange, requestPath } from "./recorded_exchange.ts";

/** Every recorded exchange the conformance suites replay. */
export const EXCHANGES: readonly RecordedExchange[] = [...ARM_EXCHANGES, ...DATA_PLANE_EXCHANGES];

/** The exchange with this id (throws for an unknown one, so a typo fails loudly). */
export function exchange(exchangeId: string): RecordedExchange {
  const found = EXCHANGES.find((e) => e.id === exchangeId);
  if (!found) throw new Error(`no recorded exchange "${exchangeId}"`);
  return found;
}
