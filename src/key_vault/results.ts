/**
 * The results of `keys.shareToKeyVault()`, `keys.moveToKeyVault()` and `keys.keyVaultVersions()`:
 * plain data (secret, version, reference, fingerprints; never a value) rendered by
 * `render/key_vault_cards.ts` and `render/key_vault_versions.ts`.
 *
 * @module
 */

import { DataResult, type MimeBundle } from "../displayable.ts";
import {
  type KeyVaultMoveData,
  type KeyVaultShareData,
  renderKeyVaultMove,
  renderKeyVaultShare,
} from "../render/key_vault_cards.ts";
import { type KeyVaultVersionsData, renderKeyVaultVersions } from "../render/key_vault_versions.ts";

/** The fields of a {@link KeyVaultShareResult}. */
export interface KeyVaultShareResult extends Readonly<KeyVaultShareData> {}

/**
 * A key's connection string written to a Key Vault secret for someone else: the secret, the
 * version, and the reference to hand out (which follows later versions). Renders as a card.
 *
 * @example Share the secondary key
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * const shared = await ws.keys.shareToKeyVault("secondary", { secretName: "quantum-shared" });
 * console.log(shared.reference); // @Microsoft.KeyVault(SecretUri=https://…/secrets/quantum-shared/)
 * ```
 */
export class KeyVaultShareResult extends DataResult<KeyVaultShareData> {
  /** The secret was written. */
  readonly applied = true as const;
  /** Always `"shareToKeyVault"`. */
  readonly operation = "shareToKeyVault" as const;

  /** The card. */
  toMimeBundle(): MimeBundle {
    return renderKeyVaultShare(this);
  }
}

/** The fields of a {@link KeyVaultMoveResult}. */
export interface KeyVaultMoveResult extends Readonly<KeyVaultMoveData> {}

/**
 * A connection string moved from clear text into a Key Vault secret: the version written, the
 * reference that replaced it, what changed and what the user must still do. Renders as a card.
 *
 * @example Usage
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * const moved = await ws.keys.moveToKeyVault({
 *   vaultUrl: "https://myvault.vault.azure.net/",
 *   secretName: "quantum",
 * });
 * if (moved.applied) for (const step of moved.todo) console.log(step);
 * ```
 */
export class KeyVaultMoveResult extends DataResult<KeyVaultMoveData> {
  /** The connection string was moved. */
  readonly applied = true as const;
  /** Always `"moveToKeyVault"`. */
  readonly operation = "moveToKeyVault" as const;

  /** The card. */
  toMimeBundle(): MimeBundle {
    return renderKeyVaultMove(this);
  }
}

/** The fields of a {@link KeyVaultVersionList}. */
export interface KeyVaultVersionList extends Readonly<KeyVaultVersionsData> {}

/**
 * The versions of a Key Vault secret, oldest first: each one's creation time, the key it holds
 * (slot and fingerprint, from its tags), which is the latest and which holds the key this kernel
 * uses. Renders as a table; holds no value.
 *
 * @example After a rotation
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect(); // its connection string is a Key Vault reference
 * await ws.keys.rotate({ confirm: true });
 * const list = await ws.keys.keyVaultVersions(); // the secret the reference names
 * list.versions.at(-1)?.inUse; // true: the kernel uses the key of the latest version
 * ```
 */
export class KeyVaultVersionList extends DataResult<KeyVaultVersionsData> {
  /** Always `"keyVaultVersions"`. */
  readonly operation = "keyVaultVersions" as const;

  /** The table. */
  toMimeBundle(): MimeBundle {
    return renderKeyVaultVersions(this);
  }
}
