import type { ProviderStatusInput } from "../../src/data_plane/provider_status.ts";

// Trimmed from a recorded providerStatus response (azure-quantum-rest.md §2.2), plus a hostile
// provider whose strings try to inject markup.
export const PROVIDERS: ProviderStatusInput[] = [
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
        averageQueueTime: 12000,
        statusPage: "",
      },
    ],
  },
  {
    id: "qci",
    currentAvailability: "Unavailable",
    targets: [{
      id: "qci.simulator",
      currentAvailability: "Unavailable",
      averageQueueTime: 0,
      statusPage: null,
    }],
  },
  {
    id: "<b>evil</b>",
    currentAvailability: "Degraded",
    targets: [
      {
        id: "<script>alert(1)</script>",
        currentAvailability: "Available",
        averageQueueTime: 45,
        statusPage: "javascript:alert(1)",
      },
    ],
  },
];
