/**
 * The sandbox's HTTPS certificate (`--tls`): a CA made for this run and a server certificate it
 * signs for `127.0.0.1` and `localhost`, generated with `selfsigned`. The CA certificate and the
 * server key live in a private folder (0700, files 0600) that is removed when the sandbox stops;
 * clients trust the CA through its path (e.g. `NODE_EXTRA_CA_CERTS`). The CA's key is never
 * written anywhere: it signs once and is dropped.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsMaterial {
  /** PEM of the server certificate followed by the CA's, as the TLS server presents them. */
  cert: string;
  key: string;
  /** Path of the CA certificate (PEM). */
  caPath: string;
  /** Removes the private folder. */
  dispose(): void;
}

export async function makeTls(): Promise<TlsMaterial> {
  // Loaded here, not at the top: it costs ~120 ms of start-up that a sandbox without --tls must not pay.
  const { generate } = await import('selfsigned');
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(Date.now() + 30 * 24 * 3600_000);
  const ca = await generate([{ name: 'commonName', value: 'Entra Entitlements sandbox CA (this run only)' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  // mkdtemp creates the folder with mode 0700.
  const dir = mkdtempSync(join(tmpdir(), 'entitlements-sandbox-tls-'));
  const caPath = join(dir, 'ca.pem');
  writeFileSync(caPath, ca.cert, { mode: 0o600 });
  return {
    cert: `${server.cert.trim()}\n${ca.cert.trim()}\n`,
    key: server.private,
    caPath,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
