import { X509Certificate, type webcrypto as WebCrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';

/** The sandbox's HTTPS identity: PEM key and certificate, and where the certificate is kept. */
export interface TlsIdentity {
  key: string;
  cert: string;
  certPath: string;
  /** True when this start generated it (first start, or the kept one no longer fit). */
  created: boolean;
}

const VALID_DAYS = 825;

/**
 * The self-signed certificate `--tls` serves, kept in `folder/tls/` so that a client told to trust
 * it once keeps trusting it across restarts. Generated on first use, and again when the kept one
 * has expired or does not name `host`. It names localhost, 127.0.0.1, ::1 and `host`.
 */
export async function loadTlsIdentity(folder: string, host: string): Promise<TlsIdentity> {
  const dir = join(folder, 'tls');
  const certPath = join(dir, 'sandbox-cert.pem');
  const keyPath = join(dir, 'sandbox-key.pem');
  if (existsSync(certPath) && existsSync(keyPath)) {
    const cert = readFileSync(certPath, 'utf8');
    const key = readFileSync(keyPath, 'utf8');
    if (stillFits(cert, host)) return { key, cert, certPath, created: false };
  }
  const made = await generate(namesFor(host));
  mkdirSync(dir, { recursive: true });
  writeFileSync(keyPath, made.key, { mode: 0o600 });
  writeFileSync(certPath, made.cert);
  return { ...made, certPath, created: true };
}

function namesFor(host: string): string[] {
  const names = ['localhost', '127.0.0.1', '::1'];
  if (host !== '' && host !== '0.0.0.0' && host !== '::' && !names.includes(host)) names.push(host);
  return names;
}

function stillFits(pem: string, host: string): boolean {
  try {
    const cert = new X509Certificate(pem);
    const expires = Date.parse(cert.validTo);
    if (!(expires > Date.now() + 24 * 3600 * 1000)) return false;
    return namesFor(host).every((name) => (isIP(name) ? cert.checkIP(name) : cert.checkHost(name)) !== undefined);
  } catch {
    return false;
  }
}

async function generate(names: string[]): Promise<{ key: string; cert: string }> {
  // Loaded only with --tls: the library needs the Reflect metadata polyfill, and nothing else uses it.
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  const { webcrypto } = await import('node:crypto');
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  // RSA 2048 with SHA-256: what the oldest merchant stacks (PHP curl, Java 7) still accept.
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as WebCrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: webcrypto.getRandomValues(new Uint8Array(8)).reduce((hex, b) => hex + b.toString(16).padStart(2, '0'), '7f'),
    name: 'CN=alipay-legacy sandbox',
    notBefore: new Date(now - 3600 * 1000),
    notAfter: new Date(now + VALID_DAYS * 24 * 3600 * 1000),
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyCertSign),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((name) => ({ type: isIP(name) ? 'ip' : 'dns', value: name }))),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.replace(/.{1,64}/g, '$&\n')}-----END PRIVATE KEY-----\n`;
  return { key, cert: cert.toString('pem') + '\n' };
}
