/** Availability values of the data plane's `currentAvailability` (reference §2.2). */
export type Availability = "Available" | "Degraded" | "Unavailable";

/** One target of a provider, as `providerStatus` returns it. */
export interface EmulatorTarget {
  /** The target id. */
  id: string;
  /** Its availability. */
  currentAvailability: Availability | string;
  /** Seconds. */
  averageQueueTime: number;
  /** A URL, `""` or `null` (all three occur in real responses); omitted when `undefined`. */
  statusPage?: string | null;
  /** Qubits. */
  numQubits?: number;
  /** The QIR profile. */
  targetProfile?: string;
  /** Anything else. */
  metadata?: Record<string, unknown>;
}

/** One provider, as `providerStatus` returns it. */
export interface EmulatorProvider {
  /** The provider id. */
  id: string;
  /** Its availability. */
  currentAvailability: Availability | string;
  /** Its targets. */
  targets: EmulatorTarget[];
}

/** One quota, as `…/quotas` returns it (reference §2.4). */
export interface EmulatorQuota {
  /** What is counted, e.g. `combined-job-hours`. */
  dimension: string;
  /** Per workspace or per subscription. */
  scope: "Workspace" | "Subscription";
  /** The provider. */
  providerId: string;
  /** Used so far. */
  utilization: number;
  /** Held by running jobs. */
  holds: number;
  /** The limit. */
  limit: number;
  /** Whether it resets monthly. */
  period: "None" | "Monthly";
}

/**
 * The providers and targets the dev workspace reports by default: the realistic sample of the
 * reference (§2.2), recorded from a real eastus workspace, plus the spec example's `microsoft-qc`.
 * It covers all three availabilities, queue times, a status page that is a URL, `""` and `null`,
 * a provider id with capitals (`Microsoft.Test.FirstParty`) and a target id without a dot.
 *
 * @returns A fresh deep copy, safe to modify.
 *
 * @example Usage
 * ```ts
 * import { sampleProviders } from "azure-quantum-notebook/emulator";
 * sampleProviders().map((p) => p.id); // ["ionq", "pasqal", ...]
 * ```
 */
export function sampleProviders(): EmulatorProvider[] {
  return structuredClone(SAMPLE);
}

/**
 * The quotas the dev workspace reports by default (the recorded `microsoft-qc` quota and two more).
 *
 * @returns A fresh deep copy.
 *
 * @example Usage
 * ```ts
 * import { sampleQuotas } from "azure-quantum-notebook/emulator";
 * sampleQuotas()[0].limit; // 10
 * ```
 */
export function sampleQuotas(): EmulatorQuota[] {
  return structuredClone(QUOTAS);
}

const SAMPLE: EmulatorProvider[] = [
  {
    id: "ionq",
    currentAvailability: "Available",
    targets: [
      {
        id: "ionq.qpu.aria-1",
        currentAvailability: "Unavailable",
        averageQueueTime: 0,
        statusPage: "https://status.ionq.co",
      },
      {
        id: "ionq.simulator",
        currentAvailability: "Available",
        averageQueueTime: 1235,
        statusPage: "https://status.ionq.co",
      },
    ],
  },
  {
    id: "pasqal",
    currentAvailability: "Available",
    targets: [
      {
        id: "pasqal.sim.emu-tn",
        currentAvailability: "Available",
        averageQueueTime: 3,
        statusPage: "",
      },
      {
        id: "pasqal.qpu.fresnel",
        currentAvailability: "Degraded",
        averageQueueTime: 0,
        statusPage: "",
      },
    ],
  },
  {
    id: "quantinuum",
    currentAvailability: "Available",
    targets: [
      {
        id: "quantinuum.sim.h2-1e",
        currentAvailability: "Available",
        averageQueueTime: 1455,
        statusPage: "https://calendar.qapi.quantinuum.com/?target=H2-1E",
      },
    ],
  },
  {
    id: "qci",
    currentAvailability: "Unavailable",
    targets: [
      {
        id: "qci.simulator",
        currentAvailability: "Unavailable",
        averageQueueTime: 0,
        statusPage: null,
      },
    ],
  },
  {
    id: "microsoft-qc",
    currentAvailability: "Available",
    targets: [
      {
        id: "microsoft.estimator",
        currentAvailability: "Available",
        averageQueueTime: 0,
        statusPage: null,
      },
    ],
  },
  {
    id: "Microsoft.Test.FirstParty",
    currentAvailability: "Available",
    targets: [
      { id: "echo-ionq", currentAvailability: "Available", averageQueueTime: 0, statusPage: null },
    ],
  },
];

const QUOTAS: EmulatorQuota[] = [
  {
    dimension: "concurrent_resource_estimator_jobs",
    scope: "Workspace",
    providerId: "microsoft-qc",
    utilization: 0,
    holds: 0,
    limit: 10,
    period: "None",
  },
  {
    dimension: "qgs",
    scope: "Subscription",
    providerId: "ionq",
    utilization: 12.5,
    holds: 0,
    limit: 16666667,
    period: "Monthly",
  },
  // Most of the month's credits used and some held by a running job: a quota near its limit, so
  // `ws.quotas()` has something to sort to the top and colour red.
  {
    dimension: "hqc",
    scope: "Subscription",
    providerId: "quantinuum",
    utilization: 31,
    holds: 5,
    limit: 40,
    period: "Monthly",
  },
];
