/**
 * The Azure regions the Azure Quantum Python SDK accepts (`VALID_AZURE_REGIONS` in its
 * `_constants.py`, 57 entries). Sovereign-cloud regions (`usgovtexas`, `chinaeast`) are not in it:
 * Azure Quantum is public-cloud only.
 *
 * @module
 */

/**
 * The 57 lowercase Azure region names a workspace location may take, in the SDK's order.
 *
 * @example Usage
 * ```ts
 * import { AZURE_REGIONS } from "azure-quantum-notebook";
 * AZURE_REGIONS.length; // 57
 * ```
 */
export const AZURE_REGIONS: readonly string[] = Object.freeze([
  "australiacentral",
  "australiacentral2",
  "australiaeast",
  "australiasoutheast",
  "austriaeast",
  "belgiumcentral",
  "brazilsouth",
  "brazilsoutheast",
  "canadacentral",
  "canadaeast",
  "centralindia",
  "centralus",
  "centraluseuap",
  "chilecentral",
  "eastasia",
  "eastus",
  "eastus2",
  "eastus2euap",
  "francecentral",
  "francesouth",
  "germanynorth",
  "germanywestcentral",
  "indonesiacentral",
  "israelcentral",
  "italynorth",
  "japaneast",
  "japanwest",
  "koreacentral",
  "koreasouth",
  "malaysiawest",
  "mexicocentral",
  "newzealandnorth",
  "northcentralus",
  "northeurope",
  "norwayeast",
  "norwaywest",
  "polandcentral",
  "qatarcentral",
  "southafricanorth",
  "southafricawest",
  "southcentralus",
  "southindia",
  "southeastasia",
  "spaincentral",
  "swedencentral",
  "switzerlandnorth",
  "switzerlandwest",
  "uaecentral",
  "uaenorth",
  "uksouth",
  "ukwest",
  "westcentralus",
  "westeurope",
  "westindia",
  "westus",
  "westus2",
  "westus3",
]);

const REGION_SET: ReadonlySet<string> = new Set(AZURE_REGIONS);

/**
 * True when `name` is exactly one of {@link AZURE_REGIONS} (already normalized: lowercase, no
 * spaces; use `normalizeLocation` first for display names such as `"East US"`).
 *
 * @example Usage
 * ```ts
 * import { isAzureRegion } from "azure-quantum-notebook";
 * isAzureRegion("eastus"); // true
 * isAzureRegion("usgovtexas"); // false
 * ```
 */
export function isAzureRegion(name: string): boolean {
  return REGION_SET.has(name);
}
