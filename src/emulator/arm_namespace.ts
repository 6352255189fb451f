import { ArmErrors } from "./arm_errors.ts";

const PROVIDERS_PATH =
  /^(?:\/subscriptions\/([^/]+)(?:\/resourcegroups\/[^/]+)?)?\/providers\/([^/]+)(?:\/|$)/i;

/**
 * The resource provider namespaces the emulated Resource Manager has registered: Quantum for the
 * workspace, Authorization for role assignments and definitions (RBAC).
 */
export const EMULATED_NAMESPACES: readonly string[] = [
  "Microsoft.Quantum",
  "Microsoft.Authorization",
];

/**
 * ARM's answer for a route under a resource provider namespace the emulator does not serve (say
 * Azure Resource Graph, `POST /providers/Microsoft.ResourceGraph/resources`, which the Python SDK
 * uses to find a workspace by name): under a subscription, 409 `MissingSubscriptionRegistration`
 * (with the namespace as `details[].target`, which SDKs read); at tenant scope, 400
 * `InvalidResourceNamespace`. Both come before any api-version check, as ARM routes first.
 *
 * @param pathname The request's path.
 * @returns The error response, or `undefined` for a path in one of {@link EMULATED_NAMESPACES} or
 *   a path without a `providers` segment.
 */
export function foreignNamespace(pathname: string): Response | undefined {
  const m = PROVIDERS_PATH.exec(pathname);
  if (!m) return undefined;
  let namespace: string;
  try {
    namespace = decodeURIComponent(m[2]!);
  } catch {
    namespace = m[2]!;
  }
  if (EMULATED_NAMESPACES.some((n) => n.toLowerCase() === namespace.toLowerCase())) {
    return undefined;
  }
  return m[1] === undefined
    ? ArmErrors.invalidResourceNamespace(namespace)
    : ArmErrors.missingSubscriptionRegistration(namespace);
}
