import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { EMULATOR_TENANT_ID } from "./constants.ts";

/**
 * The claims of an emulator access token (a subset of an Entra ID v1 access token's): `idtyp`
 * `"app"` for service principals and managed identities (`appid` is theirs), `"user"` for users
 * (`appid` is the client application they signed in with; `name`, `upn` and `scp` are set).
 */
export interface TokenClaims {
  /** Audience: the resource the token is for. */
  aud: string;
  /** Issuer: the emulator's tenant. */
  iss: string;
  /** Issued at, seconds since the epoch. */
  iat: number;
  /** Not valid before, seconds since the epoch. */
  nbf: number;
  /** Seconds since the epoch. */
  exp: number;
  /** Object id of the principal. */
  oid: string;
  /** Subject (the principal's object id). */
  sub: string;
  /** Tenant id. */
  tid: string;
  /** The application: the principal's own, or the client a user signed in with. */
  appid: string;
  /** `"app"` for service principals and managed identities, `"user"` for users. */
  idtyp: "app" | "user";
  /** Users: display name. */
  name?: string;
  /** Users: sign-in name. */
  upn?: string;
  /** Users: the delegated scopes granted. */
  scp?: string;
  /** Managed identities: the Azure resource id of the identity (Entra's `xms_mirid`). */
  xms_mirid?: string;
}

/** Who a token is for, as {@link TokenIssuer.issue} takes it. */
export interface TokenSubject {
  aud: string;
  oid: string;
  /** The `appid` claim: the principal's own app id, or the client a user signed in with. */
  clientId: string;
  tenantId?: string;
  /** Set for users: their display name and sign-in name. */
  user?: { name: string; upn: string };
  /** Set for a managed identity: its Azure resource id (the `xms_mirid` claim). */
  managedIdentityResourceId?: string;
}

/** What {@link TokenIssuer.verify} found. */
export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: "malformed" | "signature" };

// One key per process: MSAL caches managed-identity tokens in a static store shared by every
// credential of the process, so a token cached for one emulator must stay valid for the next one
// started in the same kernel or test file.
const PROCESS_KEY = randomBytes(32);

const b64 = (value: string | Buffer): string => Buffer.from(value).toString("base64url");

/**
 * Signs and verifies the emulator's bearer tokens: JWTs (`HS256`) with Entra-like claims. They are
 * meaningful only to the emulator that signed them (and to emulators of the same process).
 */
export class TokenIssuer {
  readonly #key: Uint8Array;

  constructor(signingKey: Uint8Array = PROCESS_KEY) {
    this.#key = signingKey;
  }

  /**
   * A signed token for `aud`, valid `lifetimeSeconds` from `now` (negative: already expired).
   */
  issue(who: TokenSubject, now: number, lifetimeSeconds: number): string {
    const iat = Math.floor(now / 1000);
    const tid = who.tenantId ?? EMULATOR_TENANT_ID;
    const claims: TokenClaims = {
      aud: who.aud,
      iss: `https://sts.windows.net/${tid}/`,
      iat,
      nbf: Math.min(iat, iat + lifetimeSeconds) - 300,
      exp: iat + lifetimeSeconds,
      oid: who.oid,
      sub: who.oid,
      tid,
      appid: who.clientId,
      idtyp: who.user ? "user" : "app",
      ...(who.user ? { name: who.user.name, upn: who.user.upn, scp: "user_impersonation" } : {}),
      ...(who.managedIdentityResourceId ? { xms_mirid: who.managedIdentityResourceId } : {}),
    };
    return this.sign(claims);
  }

  /** A signed JWT carrying `claims` (also used for ID tokens, which no route accepts). */
  sign(claims: object): string {
    const head = b64(JSON.stringify({ alg: "HS256", typ: "JWT", kid: "azure-quantum-emulator" }));
    const body = b64(JSON.stringify(claims));
    return `${head}.${body}.${this.#sign(`${head}.${body}`)}`;
  }

  /** Checks the signature and shape; audience and expiry are the caller's business. */
  verify(token: string): TokenCheck {
    const parts = token.split(".");
    if (parts.length !== 3) return { ok: false, reason: "malformed" };
    const expected = Buffer.from(this.#sign(`${parts[0]}.${parts[1]}`));
    const given = Buffer.from(parts[2]!);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, reason: "signature" };
    }
    try {
      const claims = JSON.parse(
        Buffer.from(parts[1]!, "base64url").toString("utf8"),
      ) as TokenClaims;
      if (typeof claims.aud !== "string" || typeof claims.exp !== "number") {
        return { ok: false, reason: "malformed" };
      }
      return { ok: true, claims };
    } catch {
      return { ok: false, reason: "malformed" };
    }
  }

  #sign(input: string): string {
    return createHmac("sha256", this.#key).update(input).digest("base64url");
  }
}
