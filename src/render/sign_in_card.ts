/**
 * The device-code sign-in as a card that changes in place: the code to enter and the page to
 * enter it on, then who signed in (or why not). The code shown is the user code, which is meant
 * to be shown; the device code and every token stay out of it.
 *
 * @module
 */

import type { TokenIdentity } from "../connection/token_claims.ts";
import type { MimeBundle } from "../displayable.ts";
import { badge } from "./badge.ts";
import { html as h } from "./html.ts";
import { renderCard } from "./render_card.ts";
import { safeHref } from "./safe_href.ts";

/**
 * Where a device-code sign-in stands, as its card shows it.
 *
 * @example Usage
 * ```ts
 * import { type SignInState } from "azure-quantum-notebook";
 * const state: SignInState = { status: "failed", tenantId: "organizations", authorityHost: "https://login.microsoftonline.com", reason: "declined" };
 * ```
 */
export type SignInState =
  & {
    /** The tenant asked for (`organizations` unless one was named). */
    tenantId: string;
    /** The authority signed in with. */
    authorityHost: string;
  }
  & (
    | {
      /** Waiting for the user to enter the code. */
      status: "waiting";
      /** The code to enter (the user code). */
      userCode: string;
      /** The page to enter it on. */
      verificationUri: string;
    }
    | {
      /** Signed in. */
      status: "signed-in";
      /** One line naming who. */
      who: string;
      /** The claims that name the principal, when the token has them. */
      identity?: TokenIdentity;
    }
    | {
      /** The sign-in did not complete. */
      status: "failed";
      /** Why (no token or code in it). */
      reason: string;
    }
  );

const CODE = "font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:16px;font-weight:700;letter-spacing:.08em";

/** The sign-in card for `state`. */
export function renderSignIn(state: SignInState): MimeBundle {
  const where: [string, string][] = [["Tenant", state.tenantId], ["Authority", state.authorityHost]];
  let card;
  if (state.status === "waiting") {
    const href = safeHref(state.verificationUri);
    // Service data becomes a link only when it is an http(s) URL.
    const link = href ? h`<a href="${href}" target="_blank" rel="noopener noreferrer">${href}</a>` : state.verificationUri;
    card = renderCard({
      title: "Sign in to Microsoft Entra ID",
      badge: badge("Waiting for you", "info"),
      rows: [
        ["Open", link],
        ["Enter the code", h`<span style="${CODE}">${state.userCode}</span>`],
        ...where,
      ],
      footer: "Sign in with your work account there; this card changes to \"signed in\" when you are done. " +
        "The code works once and expires in about 15 minutes.",
    });
  } else if (state.status === "signed-in") {
    const id = state.identity;
    card = renderCard({
      title: "Signed in to Microsoft Entra ID",
      badge: badge("Signed in", "ok"),
      rows: [
        ["As", state.who],
        id ? ["Object id", id.objectId] : null,
        id?.tenantId ? ["Tenant", id.tenantId] : where[0],
        where[1],
      ],
      footer: "The credential lives in this kernel's memory only; no token is shown. " +
        "Pass it on: connect({ credential }).",
    });
  } else {
    card = renderCard({
      title: "Not signed in to Microsoft Entra ID",
      badge: badge("Sign-in failed", "bad"),
      rows: [["Why", state.reason], ...where],
      footer: "Nothing was signed in. Run the sign-in again for a new code.",
    });
  }
  const json = state.status === "waiting"
    ? { status: state.status, userCode: state.userCode, verificationUri: state.verificationUri, tenantId: state.tenantId, authorityHost: state.authorityHost }
    : { ...state };
  return { "text/plain": card.text, "text/html": card.html, "application/json": JSON.parse(JSON.stringify(json)) };
}
