/**
 * A self-signed certificate for `localhost` and 127.0.0.1, for the tests that run host TLS
 * servers for guest clients (tls.test.ts, http2.test.ts). Used by tests only.
 */
import selfsigned from "selfsigned";

export interface LocalhostCertificate {
  /** The certificate (PEM), also the CA the clients trust. */
  cert: string;
  /** Its private key (PEM). */
  key: string;
}

export async function localhostCertificate(): Promise<LocalhostCertificate> {
  const pems = await selfsigned.generate([{ name: "commonName", value: "localhost" }], {
    keySize: 2048,
    extensions: [
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
