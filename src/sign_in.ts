import { redactTokens } from "./_text.ts";
import type { TokenCredentialLike } from "./config/credential.ts";
import type { DeviceCodeCredentialInputs, DeviceCodePrompt } from "./config/device_code_credential.ts";
import { DEFAULT_ARM_SCOPE } from "./config/arm_settings.ts";
import { describeIdentity, type TokenIdentity, tokenIdentity } from "./connection/token_claims.ts";
import { DisplayableBase, type MimeBundle } from "./displayable.ts";
import { renderSignIn, type SignInState } from "./render/sign_in_card.ts";
import { RequestError } from "./request_errors.ts";
import { kernelEmulator } from "./start_emulator.ts";

/**
 * Options of {@link signIn}.
 *
 * @example Sign in to one tenant
 * ```ts
 * import { signIn, type SignInOptions } from "azure-quantum-notebook";
 * const options: SignInOptions = { tenantId: "contoso.onmicrosoft.com" };
 * const credential = await signIn(options);
 * ```
 */
export interface SignInOptions {
  /**
   * The tenant: its id (GUID) or a domain, or `"organizations"` (any work or school account) or
   * `"common"`. @default "organizations"
   */
  tenantId?: string;
  /**
   * The Microsoft Entra authority. @default this kernel's emulator's when it runs
   * (`connect({ emulator: "auto" })`), else `AZURE_AUTHORITY_HOST`, else
   * https://login.microsoftonline.com
   */
  authorityHost?: string;
  /**
   * PEM CA trusted for a loopback authority (the emulator's) only. @default the kernel's
   * emulator's, else the file `AZURE_QUANTUM_EMULATOR_CA` names
   */
  ca?: string;
  /** The public client application to sign in with. @default `@azure/identity`'s */
  clientId?: string;
  /** The first token asked for, which completes the sign-in. @default Resource Manager's */
  scope?: string;
  /** Show the sign-in card (in a kernel: updated in place; in a terminal: one line per step). @default true */
  display?: boolean;
  /** Aborts the sign-in. */
  signal?: AbortSignal;
}

/** What a {@link SignInCredential} signs in and displays with (imported by `signIn()`). @internal */
export interface SignInTools {
  /** Makes the device-code credential. */
  deviceCodeCredential(inputs: DeviceCodeCredentialInputs): TokenCredentialLike;
  /** Makes an output that is shown once, then updated in place. */
  liveDisplay(): (bundle: MimeBundle) => Promise<void>;
}

// What the user did wrong or what ran out, in words; the library's own text (redacted) otherwise.
function reasonOf(error: unknown, signal: AbortSignal | undefined): string {
  const text = `${(error as { name?: unknown } | null)?.name ?? ""} ${(error as { message?: unknown } | null)?.message ?? ""}`;
  if (signal?.aborted || /AbortError|cancel/i.test(text)) return "the sign-in was cancelled";
  if (/authorization_declined|declined/i.test(text)) return "the sign-in was declined";
  if (/expired_token|expired/i.test(text)) return "the code expired before it was entered";
  return redactTokens(String((error as { message?: unknown } | null)?.message ?? error), 200) || "unknown error";
}

/**
 * A Microsoft Entra credential signed in with a device code (made by {@link signIn}): pass it
 * as `credential` to `connect()`. Later tokens (other resources, refreshes) come silently; should
 * the sign-in be needed again, a new card asks for it. Displays as the sign-in card; holds no
 * token that printing could show.
 *
 * @example Usage
 * ```ts
 * import { connect, signIn } from "azure-quantum-notebook";
 * const credential = await signIn();
 * const ws = await connect({ credential });
 * ```
 */
export class SignInCredential extends DisplayableBase implements TokenCredentialLike {
  /** The tenant asked for. */
  readonly tenantId: string;
  /** The authority signed in with. */
  readonly authorityHost: string;
  /** Who signed in (from the first token's claims), once signed in. */
  identity: TokenIdentity | undefined;
  readonly #inner: TokenCredentialLike;
  readonly #display: boolean;
  readonly #liveDisplay: () => (bundle: MimeBundle) => Promise<void>;
  #show: (bundle: MimeBundle) => Promise<void>;
  #state: SignInState;
  #prompts = 0;

  /** Use {@link signIn}. @internal */
  constructor(options: SignInOptions & { tenantId: string; authorityHost: string }, tools: SignInTools) {
    super();
    this.tenantId = options.tenantId;
    this.authorityHost = options.authorityHost;
    this.#display = options.display !== false;
    this.#liveDisplay = tools.liveDisplay;
    this.#show = this.#display ? tools.liveDisplay() : () => Promise.resolve();
    this.#state = { status: "failed", reason: "not signed in yet", tenantId: this.tenantId, authorityHost: this.authorityHost };
    this.#inner = tools.deviceCodeCredential({
      tenantId: options.tenantId,
      authorityHost: options.authorityHost,
      ca: options.ca,
      clientId: options.clientId,
      onPrompt: (prompt) => this.#prompt(prompt),
    });
  }

  /** One line naming who signed in, e.g. `device-code sign-in as Ada Lovelace (ada@contoso.com)`. */
  get source(): string {
    return `device-code sign-in as ${this.identity ? describeIdentity(this.identity) : "a Microsoft Entra user"}`;
  }

  #prompt(prompt: DeviceCodePrompt): void {
    this.#prompts++;
    // A sign-in asked for again later gets a card of its own, in the cell that needed it.
    if (this.#state.status !== "waiting" && this.#prompts > 1 && this.#display) this.#show = this.#liveDisplay();
    this.#state = { status: "waiting", ...prompt, tenantId: this.tenantId, authorityHost: this.authorityHost };
    void this.#show(this.toMimeBundle());
  }

  async #settle(state: SignInState): Promise<void> {
    this.#state = state;
    await this.#show(this.toMimeBundle());
  }

  /**
   * A token for `scopes`: silent when signed in, else through the device-code prompt (the card).
   *
   * @throws {RequestError} `SignInFailed` when the sign-in is declined, expires or is aborted.
   */
  async getToken(
    scopes: string | string[],
    options: { abortSignal?: AbortSignal } = {},
  ): Promise<{ token: string; expiresOnTimestamp: number }> {
    const before = this.#prompts;
    const where = { tenantId: this.tenantId, authorityHost: this.authorityHost };
    let token: { token: string; expiresOnTimestamp: number } | null;
    try {
      // Always one MSAL application: core-rest-pipeline asks with `enableCae: true`, and
      // @azure/identity keeps a separate token cache for that (a second sign-in otherwise).
      token = await this.#inner.getToken(scopes, { ...options, enableCae: true } as { abortSignal?: AbortSignal });
      if (!token) throw new Error("no token came back");
    } catch (e) {
      const reason = reasonOf(e, options.abortSignal);
      if (this.#prompts > before || this.#state.status !== "signed-in") {
        await this.#settle({ status: "failed", reason, ...where });
      }
      throw new RequestError(
        "SignInFailed",
        `Cannot sign in to Microsoft Entra ID (tenant "${this.tenantId}") with a device code: ${reason}. ` +
          "Run the sign-in again for a new code",
        { cause: { name: String((e as { name?: unknown } | null)?.name ?? "Error") } },
      );
    }
    this.identity ??= tokenIdentity(token.token);
    if (this.#prompts > before || this.#state.status !== "signed-in") {
      await this.#settle({
        status: "signed-in",
        who: this.identity ? describeIdentity(this.identity) : "a Microsoft Entra user",
        ...(this.identity ? { identity: this.identity } : {}),
        ...where,
      });
    }
    return token;
  }

  /** The sign-in card: the code to enter, then who signed in (or why not). */
  toMimeBundle(): MimeBundle {
    return renderSignIn(this.#state);
  }
}

/**
 * Signs in to Microsoft Entra ID with a device code, for a notebook where no other sign-in is
 * available (no Azure CLI, no managed identity: a remote Jupyter server, a container). Shows a
 * card with the code and the page to enter it on (updated in place to "signed in as …"; in a
 * terminal, one line per step), waits until the sign-in completes, and returns the credential to
 * pass to `connect({ credential })`. Uses `@azure/identity`'s `DeviceCodeCredential`. The card
 * shows the user code (meant to be shown), never the device code or a token.
 *
 * @param options Tenant (default `"organizations"`), authority, display, signal.
 * @returns The signed-in credential.
 * @throws {RequestError} `SignInFailed` when the sign-in is declined, expires or is aborted.
 *
 * @example Sign in, then connect with the credential
 * ```ts
 * import { connect, display, signIn } from "azure-quantum-notebook";
 * const credential = await signIn({ tenantId: "contoso.onmicrosoft.com" });
 * const ws = await connect({ credential });
 * await display(await ws.keys.status());
 * ```
 */
export async function signIn(options: SignInOptions = {}): Promise<SignInCredential> {
  options.signal?.throwIfAborted();
  // The sign-in code (and later @azure/identity) is imported on first call (bench/ row 1).
  const [deviceCode, { signInAuthority }, { liveDisplay }] = await Promise.all([
    import("./config/device_code_credential.ts"),
    import("./config/sign_in_authority.ts"),
    import("./kernel/live_display.ts"),
  ]);
  const { authorityHost, ca } = signInAuthority(options, kernelEmulator());
  const credential = new SignInCredential({
    ...options,
    tenantId: options.tenantId ?? "organizations",
    authorityHost,
    ca,
  }, { deviceCodeCredential: deviceCode.deviceCodeCredential, liveDisplay });
  await credential.getToken(options.scope ?? DEFAULT_ARM_SCOPE, { abortSignal: options.signal });
  return credential;
}
