/**
 * What `readiness.fixOthers()` decides, pure: which role it may give (a data role, nothing more),
 * whether a principal the report listed still needs it once the role assignments are read again,
 * and how a failed assignment is recorded.
 *
 * @module
 */

import type { KeyOnlyPrincipal, ReadinessAssignment } from "../render/readiness_card.ts";
import { clip } from "../_text.ts";
import { isArmError, isRequestError } from "../request_errors.ts";
import { DATA_CONTRIBUTOR, DATA_READER } from "./role_access.ts";

const DATA_ROLE_NAMES = [DATA_CONTRIBUTOR, DATA_READER] as const;

/** The role `fixOthers()` gives: one of the two data roles (by name, any case), else a RangeError. */
export function dataRoleOption(role: unknown): string {
  if (role === undefined) return DATA_ROLE_NAMES[0];
  const found = DATA_ROLE_NAMES.find((r) => typeof role === "string" && r.toLowerCase() === role.trim().toLowerCase());
  if (found) return found;
  throw new RangeError(
    `Cannot give the others a data role: option "role" must be "${DATA_ROLE_NAMES[0]}" or "${DATA_ROLE_NAMES[1]}", ` +
      `not ${JSON.stringify(String(role).slice(0, 80))}. Leave it out for "${DATA_ROLE_NAMES[0]}"; ` +
      "to give any other role, use ws.keys.assignRole(role, { principalId, principalType })",
  );
}

/** Why a principal the report listed is left alone now, or `undefined` when it still needs the role. */
export function stillKeyOnly(p: KeyOnlyPrincipal, now: readonly ReadinessAssignment[]): string | undefined {
  const held = now.filter((a) => a.principalId === p.principalId && !a.you);
  if (held.length === 0) return "no role on the workspace now";
  if (held.some((a) => a.dataAccess === "write" || a.dataAccess === "read")) return "holds a data role now";
  if (held.some((a) => a.dataAccess === "unknown" || a.keyAccess === undefined)) {
    return "a role it holds now could not be read";
  }
  if (!held.some((a) => a.keyAccess === true)) return "no role that may read the access keys now";
  return undefined;
}

/** The code of a failed assignment, for the card: no message (it may quote a request), no secret. */
export function failureOf(e: unknown): { errorCode: string; statusCode?: number } {
  if (isRequestError(e)) {
    const armCode = isArmError(e) ? e.armCode : undefined;
    return { errorCode: clip(armCode ?? e.code, 100), ...(e.statusCode ? { statusCode: e.statusCode } : {}) };
  }
  return { errorCode: e instanceof Error ? clip(e.name, 100) : "Error" };
}
