// A workspace on an Azure host whose Resource Manager and data plane answer through a fetch of the
// test's own: for answers the emulator does not give (a caller who may not list role assignments,
// a foreign next link) and for the real-Azure opt-in (the emulator never needs it).
import { parseConnectionString } from "../../src/connection/connection_string.ts";
import { Workspace, type WorkspaceOptions } from "../../src/workspace/workspace.ts";

export const SUB = "11111111-1111-4111-8111-111111111111";
export const WS_ID = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Quantum/workspaces/ws`;
export const ARM = "https://arm.example";
export const ME = "22222222-2222-4222-8222-222222222222";
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
export const TOKEN = `${b64({ alg: "none" })}.${
  b64({ oid: ME, tid: SUB, idtyp: "user", name: "Grace Hopper", upn: "grace@contoso.com" })
}.sig`;
const credential = { getToken: () => Promise.resolve({ token: TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) };

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

/** ARM's 403 for `action` on `scope`, as the caller ME. */
export const denied = (action: string, scope: string) =>
  json({
    error: {
      code: "AuthorizationFailed",
      message: `The client 'grace@contoso.com' with object id '${ME}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    },
  }, 403);

/** A role assignment as ARM lists it. */
export const assignment = (role: string, principalId: string, scope = WS_ID, principalType = "User") => ({
  id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${crypto.randomUUID()}`,
  properties: {
    roleDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
    principalId,
    principalType,
    scope,
  },
});

/** Requests the workspace sent to Resource Manager, as `METHOD path`. */
export type Sent = string[];

/**
 * A workspace on westus.quantum.azure.com: `arm` answers first (undefined: the defaults, a
 * workspace GET with keys enabled, else 404), `dataPlane` answers every data-plane request.
 */
export function fakeAzureWorkspace(
  arm: (url: URL, req: Request) => Response | undefined,
  dataPlane: () => Response = () => json({ value: [] }),
  options: WorkspaceOptions = {},
): { ws: Workspace; sent: Sent } {
  const sent: Sent = [];
  const info = parseConnectionString(
    `SubscriptionId=${SUB};ResourceGroupName=rg;WorkspaceName=ws;ApiKey=${"k".repeat(86)};QuantumEndpoint=https://westus.quantum.azure.com/;`,
  );
  const ws = new Workspace(info, {
    fetch: () => Promise.resolve(dataPlane()),
    armFetch: (req) => {
      const url = new URL(req.url);
      sent.push(`${req.method} ${url.pathname}`);
      const answer = arm(url, req);
      if (answer) return Promise.resolve(answer);
      if (url.pathname === WS_ID && req.method === "GET") {
        return Promise.resolve(json({ location: "westus", properties: { apiKeyEnabled: true } }));
      }
      return Promise.resolve(json({ error: { code: "NotFound", message: "no" } }, 404));
    },
    armEndpoint: ARM,
    credential,
    retry: { maxRetries: 0 },
    progress: false,
    ...options,
  });
  return { ws, sent };
}
