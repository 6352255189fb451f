/**
 * The shape of the data plane's `…/quotas` (reference §2.4; recorded in the Python SDK's
 * `test_workspace_job_quotas.yaml`), and the one pure rule of how full a quota is.
 *
 * @module
 */

/**
 * One quota of a workspace, as `GET …/quotas` returns it: what a provider counts (`dimension`),
 * per workspace or per subscription, how much is used and held, the limit, and whether it resets.
 *
 * @example Usage
 * ```ts
 * import { connect, type Quota } from "azure-quantum-notebook";
 * const ws = await connect();
 * const first: Quota | undefined = (await ws.quotas()).quotas[0];
 * ```
 */
export interface Quota {
  /** What is counted, e.g. `concurrent_resource_estimator_jobs` or `qgs`. */
  dimension: string;
  /** `"Workspace"` or `"Subscription"` (a newer service value is kept as it is). */
  scope: string;
  /** The provider, e.g. `microsoft-qc`. */
  providerId: string;
  /** Used so far (in this period). */
  utilization: number;
  /** Held by jobs that have not finished. */
  holds: number;
  /** The limit. */
  limit: number;
  /** `"None"` (never resets) or `"Monthly"`. */
  period: string;
}

/** A quota as the service may send it: any field may be missing or of another type. */
export type QuotaInput = { [K in keyof Quota]?: unknown };

function num(value: unknown): number {
  const n = typeof value === "number" ? value : typeof value === "string" && value.trim() ? Number(value) : NaN;
  return Number.isFinite(n) ? n : NaN;
}

/** A service item as a {@link Quota}: strings as strings, numbers as numbers (`NaN` when unusable). */
export function toQuota(item: QuotaInput): Quota {
  const str = (v: unknown) => (v === undefined || v === null ? "" : String(v));
  return {
    dimension: str(item.dimension),
    scope: str(item.scope),
    providerId: str(item.providerId),
    utilization: num(item.utilization),
    holds: num(item.holds),
    limit: num(item.limit),
    period: str(item.period),
  };
}

/**
 * How full a quota is: (utilization + holds) / limit, or `undefined` when the limit is not a
 * positive number (nothing to compare with). Holds count: they are taken by running jobs.
 */
export function quotaFraction(q: Pick<Quota, "utilization" | "holds" | "limit">): number | undefined {
  if (!(q.limit > 0) || !Number.isFinite(q.limit) || !Number.isFinite(q.utilization)) return undefined;
  const held = Number.isFinite(q.holds) && q.holds > 0 ? q.holds : 0;
  return Math.max(0, q.utilization + held) / q.limit;
}

/** What a quota list records about where it came from, shown in its caption and footer. */
export interface QuotaListInfo {
  /** The workspace name. */
  workspaceName?: string;
  /** When the list was fetched. */
  fetchedAt?: Date | string | number;
  /** How many `quotas` pages were read. */
  pages?: number;
}
