import type {
  Availability,
  ProviderStatus,
  ProviderStatusInput,
  TargetFilter,
  TargetListInfo,
  TargetStatus,
  TargetStatusInput,
} from "../data_plane/provider_status.ts";
import { DisplayableBase, type MimeBundle } from "../displayable.ts";
import { renderTargets } from "../render/render_targets.ts";

const AVAILABILITIES: readonly Availability[] = ["Available", "Degraded", "Unavailable"];

/** The JSON form of a {@link TargetList}: `providerStatus`-shaped, plus the list's info. */
export interface TargetListJson {
  /** The workspace name. */
  workspaceName?: string;
  /** When the list was fetched (ISO 8601). */
  fetchedAt?: string;
  /** How many `providerStatus` pages were read. */
  pages?: number;
  /** The filter that made this list. */
  filter?: TargetFilter;
  /** The providers with their targets. */
  providers: ProviderStatus[];
}

function normalizeAvailability(values: Availability | readonly Availability[]): Set<string> {
  const list: readonly string[] = typeof values === "string" ? [values] : values;
  return new Set(list.map((v) => {
    const known = AVAILABILITIES.find((a) => a.toLowerCase() === String(v).toLowerCase());
    if (!known) {
      throw new RangeError(
        `Cannot filter targets: unknown availability "${v}". Use "Available", "Degraded" or "Unavailable"`,
      );
    }
    return known.toLowerCase();
  }));
}

/**
 * The targets that match `filter` (see {@link TargetFilter} for the matching rules), in order.
 * Pure; an unknown availability value throws a `RangeError`.
 *
 * @param targets Targets with their `providerId`.
 * @param filter The criteria; `{}` keeps everything.
 * @returns The matching targets.
 *
 * @example Available IonQ targets
 * ```ts
 * import { filterTargets, type TargetStatus } from "azure-quantum-notebook";
 * declare const all: TargetStatus[];
 * const ionq = filterTargets(all, { provider: "IonQ", availability: "Available" });
 * ```
 */
export function filterTargets(
  targets: readonly TargetStatus[],
  filter: TargetFilter = {},
): TargetStatus[] {
  if (typeof filter !== "object" || filter === null) {
    throw new TypeError(
      'Cannot filter targets: the filter must be an object such as { provider: "ionq" }',
    );
  }
  const provider = filter.provider?.toLowerCase();
  const target = filter.target?.toLowerCase();
  const availability = filter.availability === undefined
    ? undefined
    : normalizeAvailability(filter.availability);
  const exact = target !== undefined && targets.some((t) => t.id.toLowerCase() === target);
  return targets.filter((t) =>
    (provider === undefined || t.providerId.toLowerCase() === provider) &&
    (target === undefined ||
      (exact ? t.id.toLowerCase() === target : t.id.toLowerCase().includes(target))) &&
    (availability === undefined || availability.has(String(t.currentAvailability).toLowerCase()))
  );
}

/** A time as a `Date` (a copy), or `undefined` when missing or unreadable. */
export function toDate(value: Date | string | number | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const d = value instanceof Date ? new Date(value.getTime()) : new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * The targets of a workspace, grouped by provider: iterable, filterable, and displayed as a
 * table grouped by provider (`text/html`), an aligned text table (`text/plain`, also for
 * `console.log` / `Deno.inspect` / `util.inspect`) and the data (`application/json`). Every
 * string from the service is escaped in the HTML; status pages become links only when they are
 * `http(s)` URLs.
 *
 * @example Listing and filtering
 * ```ts
 * import { TargetList } from "azure-quantum-notebook";
 * const list = new TargetList([
 *   { id: "ionq", currentAvailability: "Available", targets: [
 *     { id: "ionq.simulator", currentAvailability: "Available", averageQueueTime: 1235 },
 *   ] },
 * ], { workspaceName: "demo" });
 * list.length; // 1
 * list.filter({ target: "simulator" }).get("ionq.simulator")?.providerId; // "ionq"
 * ```
 */
export class TargetList extends DisplayableBase implements Iterable<TargetStatus> {
  /** The providers, in service order, each with its targets. */
  readonly providers: ProviderStatus[];
  /** All targets, flattened, in service order. */
  readonly targets: TargetStatus[];
  /** Where the list came from. */
  readonly info: Readonly<TargetListInfo>;

  /**
   * A list of `providers` (the `value` items of `providerStatus` pages) and where they came from.
   *
   * @param providers The `value` arrays of every `providerStatus` page, concatenated.
   * @param info Workspace name, fetch time, page count (shown in the display).
   */
  constructor(providers: readonly ProviderStatusInput[], info: TargetListInfo = {}) {
    super();
    if (!Array.isArray(providers)) {
      throw new TypeError(
        'Cannot create TargetList: providers must be an array (the providerStatus "value" items)',
      );
    }
    this.providers = providers.map((p) => {
      const targets: readonly TargetStatusInput[] = p.targets ?? [];
      return {
        id: String(p.id),
        currentAvailability: p.currentAvailability,
        // Object.assign, not spread: spreading JSON.parse'd objects costs ~1 µs each on Node 20,
        // which is most of listTargets()'s own time per call (bench/ row 2).
        targets: targets.map((t) => {
          const target = Object.assign({}, t) as TargetStatus;
          target.providerId = t.providerId ?? String(p.id);
          return target;
        }),
      };
    });
    this.targets = this.providers.flatMap((p) => p.targets);
    this.info = Object.assign({}, info, { fetchedAt: toDate(info.fetchedAt) });
  }

  /** The number of targets. */
  get length(): number {
    return this.targets.length;
  }

  /** Iterates over the targets. */
  [Symbol.iterator](): Iterator<TargetStatus> {
    return this.targets[Symbol.iterator]();
  }

  /** The target with this id (case-insensitive), or `undefined`. */
  get(id: string): TargetStatus | undefined {
    const wanted = String(id).toLowerCase();
    return this.targets.find((t) => t.id.toLowerCase() === wanted);
  }

  /**
   * A new list with the matching targets (rules in {@link TargetFilter}). Providers left without
   * targets are dropped, except when the filter names only a provider.
   */
  filter(filter: TargetFilter): TargetList {
    const kept = new Set(filterTargets(this.targets, filter));
    const onlyProvider = filter.target === undefined && filter.availability === undefined;
    const provider = filter.provider?.toLowerCase();
    const providers = this.providers
      .map((p) => ({ ...p, targets: p.targets.filter((t) => kept.has(t)) }))
      .filter((p) =>
        p.targets.length > 0 ||
        (onlyProvider && (provider === undefined || p.id.toLowerCase() === provider))
      );
    return new TargetList(providers, { ...this.info, filter: { ...filter } });
  }

  /** Plain data: the providers with their targets, plus the list's info. */
  override toJSON(): TargetListJson {
    const { workspaceName, fetchedAt, pages, filter } = this.info;
    const json: TargetListJson = { providers: this.providers };
    if (workspaceName !== undefined) json.workspaceName = workspaceName;
    if (fetchedAt instanceof Date) json.fetchedAt = fetchedAt.toISOString();
    if (pages !== undefined) json.pages = pages;
    if (filter !== undefined) json.filter = filter;
    return JSON.parse(JSON.stringify(json));
  }

  /** `text/html` (grouped table), `text/plain` (aligned table) and `application/json`. */
  toMimeBundle(): MimeBundle {
    const { html, text } = renderTargets(this.providers, this.info);
    return { "text/plain": text, "text/html": html, "application/json": this.toJSON() };
  }

  /** The aligned text table. */
  override toString(): string {
    return renderTargets(this.providers, this.info).text;
  }
}
