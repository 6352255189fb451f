/** A parsed `…/providers/Microsoft.Quantum/workspaces/{ws}[/…]` path. */
export interface WorkspacePath {
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
  /** Segments after the workspace name (decoded). */
  rest: string[];
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

const LITERALS = [
  "subscriptions",
  undefined,
  "resourcegroups",
  undefined,
  "providers",
  "microsoft.quantum",
  "workspaces",
  undefined,
];

/**
 * Parses a workspace path; literal segments match case-insensitively, as Azure's do.
 *
 * @param pathname A URL path.
 * @returns The parts, or `undefined` when the path is not under a workspace.
 */
export function parseWorkspacePath(pathname: string): WorkspacePath | undefined {
  const raw = pathname.replace(/\/+$/, "").split("/").slice(1);
  if (raw.length < LITERALS.length) return undefined;
  const parts = raw.map(decode);
  if (parts.some((p) => p === undefined || p === "")) return undefined;
  for (let i = 0; i < LITERALS.length; i++) {
    const literal = LITERALS[i];
    if (literal !== undefined && parts[i]!.toLowerCase() !== literal) return undefined;
  }
  return {
    subscriptionId: parts[1]!,
    resourceGroup: parts[3]!,
    workspaceName: parts[7]!,
    rest: parts.slice(LITERALS.length) as string[],
  };
}

/**
 * The ARM resource id of a workspace.
 */
export function workspaceResourceId(
  ids: { subscriptionId: string; resourceGroup: string; workspaceName: string },
): string {
  return `/subscriptions/${ids.subscriptionId}/resourceGroups/${ids.resourceGroup}` +
    `/providers/Microsoft.Quantum/workspaces/${ids.workspaceName}`;
}

/**
 * Which part of `path` names something other than the emulated workspace (ARM compares
 * case-insensitively), or `undefined` when it is the workspace.
 */
export function mismatch(
  ws: { subscriptionId: string; resourceGroup: string; workspaceName: string },
  path: WorkspacePath,
): "subscription" | "resourceGroup" | "workspace" | undefined {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (!same(ws.subscriptionId, path.subscriptionId)) return "subscription";
  if (!same(ws.resourceGroup, path.resourceGroup)) return "resourceGroup";
  if (!same(ws.workspaceName, path.workspaceName)) return "workspace";
  return undefined;
}
