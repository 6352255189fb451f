import { createHash, randomBytes, randomInt } from "node:crypto";

/** What a client asked the devicecode endpoint for. */
export interface DeviceCodeRequest {
  /** The public client's application id (`client_id`). */
  clientId: string;
  /** The tenant segment of the authority path (`organizations`, `common` or a tenant id). */
  tenant: string;
  /** The requested scopes, OpenID ones included, as sent. */
  scopes: string[];
  /** The resource the access token is for (its `aud`). */
  resource: string;
}

/** A device-code sign-in, as the control API shows it (no device code: that is the secret). */
export interface DeviceCodeInfo extends DeviceCodeRequest {
  /** The code the user types on the verification page. */
  userCode: string;
  /** When the code expires (ISO 8601). */
  expiresAt: string;
  /** Where the sign-in stands. */
  status: "pending" | "approved" | "declined" | "redeemed" | "expired";
  /** Who approved it. */
  principalId?: string;
}

interface Entry extends DeviceCodeRequest {
  userCode: string;
  expiresAt: number;
  status: "pending" | "approved" | "declined" | "redeemed";
  principalId?: string;
}

/** What a token-endpoint poll with a device code finds. */
export type PollResult =
  | { status: "pending" | "declined" | "expired" | "invalid" }
  | { status: "approved"; request: DeviceCodeRequest; principalId: string };

/** Who a refresh token signs in again, and for which client. */
export interface RefreshGrant {
  principalId: string;
  clientId: string;
}

// No 0/O, 1/I: the user reads the code off a screen.
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const digest = (secret: string) => createHash("sha256").update(secret, "utf8").digest("hex");
const normalize = (userCode: string) => userCode.replace(/[\s-]/g, "").toUpperCase();

/**
 * Pending device-code sign-ins and issued refresh tokens. Device codes and refresh tokens are
 * kept only as SHA-256 digests, so nothing this store holds (or an inspect of it shows) grants
 * access; user codes are kept, since they only identify a sign-in to approve.
 */
export class DeviceCodeStore {
  /** Seconds between polls the client is told to wait. @default 5 (as Microsoft Entra ID) */
  intervalSeconds = 5;
  /** Lifetime of a code, in seconds. @default 900 (as Microsoft Entra ID) */
  expiresInSeconds = 900;
  readonly #byDigest = new Map<string, Entry>();
  readonly #refresh = new Map<string, RefreshGrant>();

  /** Starts a sign-in: a new device code (the secret the client polls with) and user code. */
  start(request: DeviceCodeRequest, now: number): { deviceCode: string; userCode: string } {
    // Sign-ins that expired a lifetime ago are of no use to anyone: forget them.
    for (const [key, e] of this.#byDigest) {
      if (e.expiresAt + this.expiresInSeconds * 1000 <= now) this.#byDigest.delete(key);
    }
    const deviceCode = `DAQABIQEAAAB${randomBytes(48).toString("base64url")}`;
    let userCode: string;
    do {
      userCode = Array.from({ length: 9 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
    } while (this.#entry(userCode));
    this.#byDigest.set(digest(deviceCode), {
      ...request,
      scopes: [...request.scopes],
      userCode,
      expiresAt: now + this.expiresInSeconds * 1000,
      status: "pending",
    });
    return { deviceCode, userCode };
  }

  #entry(userCode: string): Entry | undefined {
    const code = normalize(userCode);
    return [...this.#byDigest.values()].find((e) => e.userCode === code);
  }

  /** The sign-in with this user code (spaces, hyphens and case ignored), if any. */
  find(userCode: string, now: number): DeviceCodeInfo | undefined {
    const e = this.#entry(userCode);
    return e && this.#info(e, now);
  }

  #info(e: Entry, now: number): DeviceCodeInfo {
    const { expiresAt, scopes, ...rest } = e;
    return {
      ...rest,
      scopes: [...scopes],
      expiresAt: new Date(expiresAt).toISOString(),
      status: e.status === "pending" && expiresAt <= now ? "expired" : e.status,
    };
  }

  /** Every sign-in not yet redeemed, oldest first. */
  list(now: number): DeviceCodeInfo[] {
    return [...this.#byDigest.values()].filter((e) => e.status !== "redeemed").map((e) =>
      this.#info(e, now)
    );
  }

  /** Marks a pending sign-in approved by `principalId` (the caller has checked both). */
  approve(userCode: string, principalId: string): void {
    const e = this.#entry(userCode);
    if (e) Object.assign(e, { status: "approved", principalId });
  }

  /** Marks a pending sign-in declined. */
  decline(userCode: string): void {
    const e = this.#entry(userCode);
    if (e) e.status = "declined";
  }

  /** What a poll with `deviceCode` from `clientId` gets; an approved code is redeemed once. */
  poll(deviceCode: string, clientId: string, now: number): PollResult {
    const e = this.#byDigest.get(digest(deviceCode));
    if (!e || e.clientId.toLowerCase() !== clientId.toLowerCase() || e.status === "redeemed") {
      return { status: "invalid" };
    }
    if (e.status === "declined") return { status: "declined" };
    if (e.expiresAt <= now) return { status: "expired" };
    if (e.status === "pending") return { status: "pending" };
    e.status = "redeemed";
    const { userCode: _u, expiresAt: _x, status: _s, principalId, ...request } = e;
    return { status: "approved", request, principalId: principalId! };
  }

  /** A new refresh token for `grant`. */
  issueRefreshToken(grant: RefreshGrant): string {
    const token = `1.AQE${randomBytes(64).toString("base64url")}`;
    this.#refresh.set(digest(token), { ...grant });
    return token;
  }

  /** The grant of a refresh token issued to `clientId`, or `undefined`. */
  redeemRefreshToken(token: string, clientId: string): RefreshGrant | undefined {
    const grant = this.#refresh.get(digest(token));
    return grant && grant.clientId.toLowerCase() === clientId.toLowerCase()
      ? { ...grant }
      : undefined;
  }
}
