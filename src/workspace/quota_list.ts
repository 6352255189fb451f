import { type Quota, quotaFraction, type QuotaInput, type QuotaListInfo, toQuota } from "../data_plane/quota.ts";
import { DisplayableBase, type MimeBundle } from "../displayable.ts";
import { NEAR_LIMIT_AT, renderQuotas } from "../render/render_quotas.ts";
import { toDate } from "./target_list.ts";

/** A quota in a {@link QuotaList}: the service's fields and how full it is. */
export interface QuotaUsage extends Quota {
  /** (utilization + holds) / limit; absent when the limit is not a positive number. */
  usedFraction?: number;
}

/** The JSON form of a {@link QuotaList}. */
export interface QuotaListJson {
  /** The workspace name. */
  workspaceName?: string;
  /** When the list was fetched (ISO 8601). */
  fetchedAt?: string;
  /** How many `quotas` pages were read. */
  pages?: number;
  /** The quotas, fullest first. */
  quotas: QuotaUsage[];
}

// Fullest first; quotas without a limit last; then by provider and dimension, for a stable order.
function byUsage(a: QuotaUsage, b: QuotaUsage): number {
  const fa = a.usedFraction ?? -1;
  const fb = b.usedFraction ?? -1;
  if (fa !== fb) return fb - fa;
  return a.providerId.localeCompare(b.providerId) || a.dimension.localeCompare(b.dimension);
}

/**
 * The quotas of a workspace (`ws.quotas()`), sorted so the ones nearest their limit come first
 * (held amounts count as used). Displays as a table with a usage bar (`text/html`), an aligned
 * text table with a text bar (`text/plain`, also for `console.log` and inspect), and the data
 * (`application/json`). Iterable.
 *
 * @example Quotas near their limit
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * const quotas = await ws.quotas();
 * for (const q of quotas.nearLimit()) console.log(q.providerId, q.dimension, q.usedFraction);
 * ```
 */
export class QuotaList extends DisplayableBase implements Iterable<QuotaUsage> {
  /** The quotas, fullest first. */
  readonly quotas: readonly QuotaUsage[];
  /** Where the list came from. */
  readonly info: Readonly<QuotaListInfo>;

  /**
   * A list of `quotas` (the `value` items of `quotas` pages, in any order) and where they came from.
   *
   * @param quotas The quotas.
   * @param info Workspace name, fetch time, page count (shown in the display).
   */
  constructor(quotas: readonly (Quota | QuotaInput)[], info: QuotaListInfo = {}) {
    super();
    if (!Array.isArray(quotas)) {
      throw new TypeError('Cannot create QuotaList: quotas must be an array (the quotas "value" items)');
    }
    this.quotas = Object.freeze(
      quotas.map((item) => {
        const q: QuotaUsage = toQuota(item ?? {});
        const f = quotaFraction(q);
        if (f !== undefined) q.usedFraction = f;
        return q;
      }).sort(byUsage),
    );
    this.info = Object.assign({}, info, { fetchedAt: toDate(info.fetchedAt) });
  }

  /** The number of quotas. */
  get length(): number {
    return this.quotas.length;
  }

  /** Iterates over the quotas, fullest first. */
  [Symbol.iterator](): Iterator<QuotaUsage> {
    return this.quotas[Symbol.iterator]();
  }

  /** The quotas at `threshold` or more of their limit (default 0.9), fullest first. */
  nearLimit(threshold: number = NEAR_LIMIT_AT): QuotaUsage[] {
    return this.quotas.filter((q) => q.usedFraction !== undefined && q.usedFraction >= threshold);
  }

  /** Plain data: the quotas (fullest first) and the list's info. */
  override toJSON(): QuotaListJson {
    const { workspaceName, fetchedAt, pages } = this.info;
    const json: QuotaListJson = { quotas: this.quotas.map((q) => ({ ...q })) };
    if (workspaceName !== undefined) json.workspaceName = workspaceName;
    if (fetchedAt instanceof Date) json.fetchedAt = fetchedAt.toISOString();
    if (pages !== undefined) json.pages = pages;
    // NaN (a number the service did not send) is not JSON: null, as JSON.stringify writes it.
    return JSON.parse(JSON.stringify(json));
  }

  /** `text/html` (table with usage bars), `text/plain` (text bars) and `application/json`. */
  toMimeBundle(): MimeBundle {
    const { html, text } = renderQuotas(this.quotas, this.info);
    return { "text/plain": text, "text/html": html, "application/json": this.toJSON() };
  }
}
