import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signInAuthority } from "../../src/config/sign_in_authority.ts";

// The sign-in's authority and CA are configuration: resolved in src/config/ from the options, the
// kernel's emulator and an injected environment (src/sign_in.ts reads no environment itself).
const EMULATOR = { authorityHost: "https://127.0.0.1:4443/", caCertificate: "EMULATOR CA" };

describe("signInAuthority", () => {
  const saved = process.env.AZURE_AUTHORITY_HOST;
  afterEach(() => {
    if (saved === undefined) delete process.env.AZURE_AUTHORITY_HOST;
    else process.env.AZURE_AUTHORITY_HOST = saved;
  });

  it("takes the option, else the kernel's emulator, else AZURE_AUTHORITY_HOST, else Azure's", () => {
    const env = { AZURE_AUTHORITY_HOST: "https://login.example.test/" };
    expect(signInAuthority({ authorityHost: "https://login.microsoftonline.us" }, EMULATOR, env))
      .toEqual({ authorityHost: "https://login.microsoftonline.us", ca: undefined });
    expect(signInAuthority({}, EMULATOR, env)).toEqual({
      authorityHost: "https://127.0.0.1:4443",
      ca: "EMULATOR CA",
    });
    expect(signInAuthority({}, undefined, env)).toEqual({
      authorityHost: "https://login.example.test",
      ca: undefined,
    });
    expect(signInAuthority({}, undefined, {})).toEqual({
      authorityHost: "https://login.microsoftonline.com",
      ca: undefined,
    });
  });

  it("reads the process environment when none is given", () => {
    process.env.AZURE_AUTHORITY_HOST = "https://login.from-process.test";
    expect(signInAuthority({}, undefined).authorityHost).toBe("https://login.from-process.test");
  });

  it("trusts a CA only for a loopback authority: the option, the emulator's own, else AZURE_QUANTUM_EMULATOR_CA", () => {
    const caFile = join(mkdtempSync(join(tmpdir(), "aqn-authority-")), "ca.pem");
    writeFileSync(caFile, "FILE CA");
    const env = { AZURE_QUANTUM_EMULATOR_CA: caFile };
    expect(signInAuthority({ ca: "OPTION CA" }, EMULATOR, env).ca).toBe("OPTION CA");
    // Another loopback authority than the emulator's: not its CA, the file's.
    expect(signInAuthority({ authorityHost: "https://localhost:5000" }, EMULATOR, env))
      .toEqual({ authorityHost: "https://localhost:5000", ca: "FILE CA" });
    expect(
      signInAuthority(
        { authorityHost: "https://login.microsoftonline.com", ca: "OPTION CA" },
        EMULATOR,
        env,
      ).ca,
    )
      .toBeUndefined();
  });

  it("names an unreadable CA file and the fix", () => {
    const env = { AZURE_QUANTUM_EMULATOR_CA: "/nonexistent/ca.pem" };
    expect(() => signInAuthority({ authorityHost: "https://localhost:5000" }, undefined, env))
      .toThrow(
        "Cannot trust the emulator's Microsoft Entra authority: AZURE_QUANTUM_EMULATOR_CA names " +
          '"/nonexistent/ca.pem", which cannot be read (ENOENT). Restart the emulator and load the env file it writes',
      );
  });
});
