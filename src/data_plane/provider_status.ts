/**
 * The shapes of the data plane's `providerStatus` (targets and their availability), and what a
 * list of targets records about where it came from.
 *
 * @module
 */

/** A provider's or a target's `currentAvailability`, as the service reports it. */
export type Availability = "Available" | "Degraded" | "Unavailable";

/** One target of `providerStatus`, plus the id of the provider it belongs to. */
export interface TargetStatus {
  /** e.g. `ionq.simulator`. */
  id: string;
  /** The provider's id, e.g. `ionq` (filled in from the enclosing provider). */
  providerId: string;
  /** Whether the target takes jobs now. */
  currentAvailability: Availability;
  /** Average queue time in seconds. */
  averageQueueTime: number;
  /** A URL, `""` or `null`, as the service sends it. */
  statusPage?: string | null;
  /** Qubits, when the service says. */
  numQubits?: number;
  /** The QIR profile, e.g. `Adaptive_RI`. */
  targetProfile?: string;
  /** Anything else the service sent. */
  metadata?: Record<string, unknown>;
}

/** One provider of `providerStatus` with its targets. */
export interface ProviderStatus {
  /** The provider id, e.g. `ionq`. */
  id: string;
  /** Whether the provider takes jobs now. */
  currentAvailability: Availability;
  /** Its targets. */
  targets: TargetStatus[];
}

/** A target as the service returns it, without `providerId`. */
export type TargetStatusInput = Omit<TargetStatus, "providerId"> & { providerId?: string };

/** A provider as the service returns it: its targets do not carry `providerId`. */
export interface ProviderStatusInput {
  /** The provider id. */
  id: string;
  /** Whether the provider takes jobs now. */
  currentAvailability: Availability;
  /** Its targets, without `providerId`. */
  targets?: readonly TargetStatusInput[];
}

/**
 * Which targets to keep. All criteria must hold.
 * - `provider`: the provider id, exact, case-insensitive.
 * - `target`: case-insensitive; when some target's id equals it, only that target matches (so a
 *   full id such as `ionq.qpu` does not also pick `ionq.qpu.aria-1`), otherwise every target
 *   whose id contains it (`"simulator"` picks all simulators).
 * - `availability`: one value or a list (case-insensitive).
 */
export interface TargetFilter {
  /** The provider id, exact, case-insensitive. */
  provider?: string;
  /** A target id, or part of one, case-insensitive. */
  target?: string;
  /** One availability or a list. */
  availability?: Availability | readonly Availability[];
}

/** What a list knows about where it came from, shown in its caption and footer. */
export interface TargetListInfo {
  /** The workspace name. */
  workspaceName?: string;
  /** When the list was fetched. */
  fetchedAt?: Date | string | number;
  /** How many `providerStatus` pages were read. */
  pages?: number;
  /** The filter that produced this list, if any. */
  filter?: TargetFilter;
}
