/**
 * The card of an in-place `.env` encryption: which variables were encrypted, the key pair by name
 * and fingerprint, where the private key is, warnings and what to do next. Pure; no value, no key.
 *
 * @module
 */

import type { EnvEncryptionData } from "../config/encrypt_in_place.ts";
import type { MimeBundle } from "../displayable.ts";
import { badge } from "./badge.ts";
import { renderCard } from "./render_card.ts";
import { bundleOf } from "./_plain.ts";

function privateKeyText(d: EnvEncryptionData): string {
  if (d.privateKeyName === undefined) return "none (the file is clear text)";
  if (d.keysFile !== undefined) return `${d.privateKeyName}, new, written to ${d.keysFile}`;
  return d.privateKeySource === undefined
    ? `${d.privateKeyName}: not found on this machine`
    : `${d.privateKeyName}, from ${d.privateKeySource}`;
}

/** The encryption report as a card; its JSON is the data. */
export function renderEnvEncryption(d: EnvEncryptionData): MimeBundle {
  const changed = d.encrypted.length > 0;
  const rendered = renderCard({
    title: `Encrypted .env ${d.path}`,
    badge: changed ? badge("Encrypted", "ok") : badge("Unchanged", "neutral"),
    rows: [
      ["Encrypted now", changed ? d.encrypted.join(", ") : "nothing (no clear secret to encrypt)"],
      d.alreadyEncrypted.length > 0 && ["Already encrypted", d.alreadyEncrypted.join(", ")],
      d.publicKeyName !== undefined &&
      ["Public key", `${d.publicKeyName} ${d.publicKeyFingerprint ?? ""} (in the file)`],
      ["Private key", privateKeyText(d)],
      d.warnings.length > 0 && ["Warnings", d.warnings.join("\n")],
      d.nextSteps.length > 0 && ["Next", d.nextSteps.join("\n")],
    ],
    footer: "Values and keys are never shown: keys by fingerprint only.",
  });
  return bundleOf(rendered, { ...d }); // a copy: a result passed in would recurse through toJSON
}
