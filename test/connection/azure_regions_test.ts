import { expect, test } from "vitest";
import { AZURE_REGIONS, isAzureRegion } from "../../src/connection/azure_regions.ts";

test("AZURE_REGIONS has the SDK's 57 regions, without sovereign clouds", () => {
  expect(AZURE_REGIONS).toHaveLength(57);
  expect(new Set(AZURE_REGIONS).size).toBe(57);
  expect(Object.isFrozen(AZURE_REGIONS)).toBe(true);
  for (const r of ["eastus", "eastus2euap", "westus3", "australiacentral2", "malaysiawest"]) {
    expect(isAzureRegion(r)).toBe(true);
  }
  for (const r of ["usgovtexas", "chinaeast", "EastUS", "east us", "westus4", ""]) {
    expect(isAzureRegion(r)).toBe(false);
  }
});
