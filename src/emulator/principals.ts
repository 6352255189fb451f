/**
 * The security principals of the emulator's directory (tenant): users and service principals
 * (applications and managed identities), each with an object id, a type and a display name, so
 * role assignments can say who holds them.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import {
  EMULATOR_CLIENT_ID,
  EMULATOR_PRINCIPAL_ID,
  EMULATOR_TENANT_ID,
  EMULATOR_WORKSPACE_NAME,
} from "./constants.ts";
import { isGuid } from "./role_definitions.ts";

/** ARM's `principalType` of the principals the emulator models. */
export type PrincipalType = "User" | "ServicePrincipal";

/** A user or service principal of the emulator's directory. */
export interface EmulatorPrincipal {
  /** Object id: the `oid` claim and a role assignment's `principalId`. */
  objectId: string;
  /** `User` or `ServicePrincipal`. */
  type: PrincipalType;
  /** The name the directory shows. */
  displayName: string;
  /** The directory (tenant) it belongs to: the `tid` claim. */
  tenantId: string;
  /** Users: the sign-in name (`upn` claim). */
  userPrincipalName?: string;
  /** Service principals: the application (client) id (`appid` claim). */
  appId?: string;
  /** Service principals: what Microsoft Graph calls `servicePrincipalType`. */
  servicePrincipalType?: "Application" | "ManagedIdentity";
}

/** What {@link createPrincipal} needs: ids left out are generated. */
export type PrincipalInit = Omit<EmulatorPrincipal, "objectId" | "tenantId"> & {
  objectId?: string;
  tenantId?: string;
};

/**
 * Object id of the emulator's default user, "Ada Lovelace" (`ada@emulator.example`).
 *
 * @example Usage
 * ```ts
 * import { EMULATOR_USER_ID } from "azure-quantum-notebook/emulator";
 * console.log(EMULATOR_USER_ID); // "00000000-0000-4000-8000-0000000000dd"
 * ```
 */
export const EMULATOR_USER_ID = "00000000-0000-4000-8000-0000000000dd";

/**
 * Object id of the emulator's default application (service principal) "quantum-ci".
 *
 * @example Usage
 * ```ts
 * import { EMULATOR_APP_OBJECT_ID } from "azure-quantum-notebook/emulator";
 * console.log(EMULATOR_APP_OBJECT_ID); // "00000000-0000-4000-8000-0000000000ee"
 * ```
 */
export const EMULATOR_APP_OBJECT_ID = "00000000-0000-4000-8000-0000000000ee";

/**
 * Application (client) id of "quantum-ci".
 *
 * @example Usage
 * ```ts
 * import { EMULATOR_APP_CLIENT_ID } from "azure-quantum-notebook/emulator";
 * console.log(EMULATOR_APP_CLIENT_ID); // "00000000-0000-4000-8000-0000000000ef"
 * ```
 */
export const EMULATOR_APP_CLIENT_ID = "00000000-0000-4000-8000-0000000000ef";

/**
 * The client id `DeviceCodeCredential` signs in with by default (the Azure CLI's public client
 * id, seen on the wire from @azure/identity 4.13); tokens for users carry it as `appid`.
 *
 * @example Usage
 * ```ts
 * import { AZURE_CLI_CLIENT_ID } from "azure-quantum-notebook/emulator";
 * console.log(AZURE_CLI_CLIENT_ID); // "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
 * ```
 */
export const AZURE_CLI_CLIENT_ID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

/**
 * The directory an emulator starts with: the workspace's system-assigned managed identity (what
 * the token endpoint signs in as), a user and a CI application.
 *
 * @returns Fresh copies.
 *
 * @example Usage
 * ```ts
 * import { defaultPrincipals } from "azure-quantum-notebook/emulator";
 * defaultPrincipals().map((p) => p.displayName); // ["emulator-ws", "Ada Lovelace", "quantum-ci"]
 * ```
 */
export function defaultPrincipals(): EmulatorPrincipal[] {
  return [
    {
      objectId: EMULATOR_PRINCIPAL_ID,
      type: "ServicePrincipal",
      displayName: EMULATOR_WORKSPACE_NAME,
      tenantId: EMULATOR_TENANT_ID,
      appId: EMULATOR_CLIENT_ID,
      servicePrincipalType: "ManagedIdentity",
    },
    {
      objectId: EMULATOR_USER_ID,
      type: "User",
      displayName: "Ada Lovelace",
      tenantId: EMULATOR_TENANT_ID,
      userPrincipalName: "ada@emulator.example",
    },
    {
      objectId: EMULATOR_APP_OBJECT_ID,
      type: "ServicePrincipal",
      displayName: "quantum-ci",
      tenantId: EMULATOR_TENANT_ID,
      appId: EMULATOR_APP_CLIENT_ID,
      servicePrincipalType: "Application",
    },
  ];
}

const fail = (detail: string): never => {
  throw new RangeError(`Cannot add principal: ${detail}`);
};

/**
 * Validates a principal and fills in what was left out (object id, app id, tenant).
 *
 * @param init The principal.
 * @param tenantId Its tenant when `init` names none.
 * @returns The principal.
 * @throws {RangeError} naming the field and what it must be.
 */
export function createPrincipal(init: PrincipalInit, tenantId: string): EmulatorPrincipal {
  const p = (init ?? {}) as Partial<EmulatorPrincipal>;
  if (p.type !== "User" && p.type !== "ServicePrincipal") {
    fail(`"type" must be "User" or "ServicePrincipal", not ${JSON.stringify(p.type)}`);
  }
  if (typeof p.displayName !== "string" || !p.displayName.trim() || p.displayName.length > 256) {
    fail(`"displayName" must be a non-empty string of at most 256 characters`);
  }
  const guid = (name: keyof EmulatorPrincipal, value: unknown) => {
    if (value !== undefined && (typeof value !== "string" || !isGuid(value))) {
      fail(`"${name}" must be a GUID, not ${JSON.stringify(value)}`);
    }
    return (value as string | undefined)?.toLowerCase();
  };
  const out: EmulatorPrincipal = {
    objectId: guid("objectId", p.objectId) ?? randomUUID(),
    type: p.type!,
    displayName: p.displayName!,
    tenantId: guid("tenantId", p.tenantId) ?? tenantId,
  };
  if (p.type === "User") {
    const upn = p.userPrincipalName;
    if (typeof upn !== "string" || !/^[^\s@]+@[^\s@]+$/.test(upn)) {
      fail(`a user needs "userPrincipalName" like "name@domain", not ${JSON.stringify(upn)}`);
    }
    out.userPrincipalName = upn;
  } else {
    out.appId = guid("appId", p.appId) ?? randomUUID();
    const kind = p.servicePrincipalType ?? "Application";
    if (kind !== "Application" && kind !== "ManagedIdentity") {
      fail(`"servicePrincipalType" must be "Application" or "ManagedIdentity"`);
    }
    out.servicePrincipalType = kind;
  }
  return out;
}
