import * as x509 from "@peculiar/x509";
import { createHash } from "node:crypto";

/** PEM material for the emulator's HTTPS listeners. */
export interface TlsMaterial {
  /** The CA certificate (PEM): what clients trust, for the emulator only. */
  caCertificate: string;
  /** The server certificate (PEM), for `127.0.0.1`, `::1` and `localhost`, signed by the CA. */
  certificate: string;
  /** The server's private key (PKCS#8 PEM). The CA's key is discarded once it has signed. */
  privateKey: string;
  /** `sha256:` + 8 hex of the CA certificate's DER, to tell CAs apart in displays. */
  caFingerprint: string;
}

const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const HOUR = 3_600_000;

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString("base64").replace(/.{1,64}/g, "$&\n");
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f; // positive INTEGER, as RFC 5280 requires
  return Buffer.from(bytes).toString("hex");
}

/**
 * Generates a fresh CA and a server certificate for `127.0.0.1`, `::1` and `localhost` (as SANs),
 * with WebCrypto (ECDSA P-256) and no external binaries. The CA can only sign for this run: its
 * private key never leaves this function.
 *
 * @param options.now Clock for the validity period. @default Date.now
 * @param options.validDays How long both certificates are valid. @default 30
 * @returns The PEM material.
 */
export async function createTlsMaterial(
  options: { now?: () => number; validDays?: number } = {},
): Promise<TlsMaterial> {
  x509.cryptoProvider.set(globalThis.crypto);
  const now = (options.now ?? Date.now)();
  const notBefore = new Date(now - HOUR);
  const notAfter = new Date(now + (options.validDays ?? 30) * 24 * HOUR);
  const caKeys = await crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const caName = `CN=Azure Quantum Emulator CA ${
    randomSerial().slice(0, 8)
  }, O=azure-quantum-notebook`;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: caName,
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const serverKeys = await crypto.subtle.generateKey(ALGORITHM, true, ["sign", "verify"]);
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: "CN=127.0.0.1",
    issuer: ca.subject,
    notBefore,
    notAfter,
    publicKey: serverKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: "ip", value: "127.0.0.1" },
        { type: "ip", value: "::1" },
        { type: "dns", value: "localhost" },
      ]),
      await x509.SubjectKeyIdentifierExtension.create(serverKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca),
    ],
  });
  const pkcs8 = await crypto.subtle.exportKey("pkcs8", serverKeys.privateKey);
  return {
    caCertificate: ca.toString("pem") + "\n",
    certificate: server.toString("pem") + "\n",
    privateKey: pem("PRIVATE KEY", pkcs8),
    caFingerprint: "sha256:" +
      createHash("sha256").update(new Uint8Array(ca.rawData)).digest("hex").slice(0, 8),
  };
}
