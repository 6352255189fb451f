import {
  createEmulatorHandlers,
  EMULATOR_APP_OBJECT_ID,
  EMULATOR_PRINCIPAL_ID,
  EMULATOR_USER_ID,
  type EmulatorHandlerOptions,
} from "../../src/emulator/mod.ts";

export const SUB = "00000000-0000-4000-8000-000000000001";
export const RG = `/subscriptions/${SUB}/resourceGroups/emulator-rg`;
export const WS = `${RG}/providers/Microsoft.Quantum/workspaces/emulator-ws`;
export const RA = "/providers/Microsoft.Authorization/roleAssignments";
export const RD = "/providers/Microsoft.Authorization/roleDefinitions";
export const AV = "api-version=2022-04-01";
export const NOW = Date.parse("2026-11-30T12:00:00Z");
export const DATA_CONTRIBUTOR = "c1410b24-3e69-4857-8f86-4d0a2e603250";
export const OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
export const CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c";
export const READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
export const UAA = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9";
/** The default principals: the managed identity, Ada Lovelace (user), quantum-ci (app). */
export const MI = EMULATOR_PRINCIPAL_ID;
export const ADA = EMULATOR_USER_ID;
export const CI = EMULATOR_APP_OBJECT_ID;

/** Pure handlers on a fixed clock, with calls as a given principal. */
export function rbacSetup(options: EmulatorHandlerOptions = {}) {
  const h = createEmulatorHandlers({ now: () => NOW, ...options });
  const token = (principalId: string, audience = "https://management.azure.com") =>
    h.control.issueToken({ principalId, audience }).reveal();
  const arm = (
    as: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Response> =>
    h.arm(
      new Request(`https://127.0.0.1${path}`, {
        method,
        headers: { authorization: `Bearer ${token(as)}`, "content-type": "application/json" },
        body: body === undefined
          ? undefined
          : typeof body === "string"
          ? body
          : JSON.stringify(body),
      }),
    );
  const data = (headers: Record<string, string>, method = "GET") =>
    h.dataPlane(
      new Request(`https://127.0.0.1${WS}/providerStatus?api-version=2025-12-01-preview`, {
        method,
        headers,
      }),
    );
  const dataAs = (principalId: string) =>
    data({ authorization: `Bearer ${token(principalId, "https://quantum.microsoft.com")}` });
  return { ...h, token, arm, data, dataAs };
}

/** A role assignment PUT body. */
export const assignment = (roleGuid: string, principalId: string, principalType?: string) => ({
  properties: {
    roleDefinitionId: `/subscriptions/${SUB}${RD}/${roleGuid}`,
    principalId,
    ...(principalType ? { principalType } : {}),
  },
});
