/**
 * Every recorded exchange the conformance suites replay (ARM, Microsoft.Authorization, data plane,
 * Key Vault); the
 * types, sources and fixture identifiers are in recorded_exchange.ts.
 *
 * @module
 */
import { ARM_EXCHANGES } from "./arm_exchanges.ts";
import { AUTHORIZATION_EXCHANGES } from "./authorization_exchanges.ts";
import { DATA_PLANE_EXCHANGES } from "./data_plane_exchanges.ts";
import type { RecordedExchange } from "./recorded_exchange.ts";
import { VAULT_EXCHANGES } from "./vault_exchanges.ts";

export { listKeysSample, workspaceSample } from "./arm_exchanges.ts";
export { READER_ID, roleAssignmentSample, roleDefinitionSample } from "./authorization_exchanges.ts";
export { providerStatusSample } from "./data_plane_exchanges.ts";
export { secretBundleSample, VAULT_URL } from "./vault_exchanges.ts";
export { FIXTURE, type RecordedExchange, requestPath } from "./recorded_exchange.ts";

/** Every recorded exchange the conformance suites replay. */
export const EXCHANGES: readonly RecordedExchange[] = [
  ...ARM_EXCHANGES,
  ...AUTHORIZATION_EXCHANGES,
  ...DATA_PLANE_EXCHANGES,
  ...VAULT_EXCHANGES,
];

/** The exchange with this id (throws for an unknown one, so a typo fails loudly). */
export function exchange(exchangeId: string): RecordedExchange {
  const found = EXCHANGES.find((e) => e.id === exchangeId);
  if (!found) throw new Error(`no recorded exchange "${exchangeId}"`);
  return found;
}
