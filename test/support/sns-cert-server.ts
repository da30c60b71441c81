import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { Agent, getGlobalDispatcher, setGlobalDispatcher } from 'undici';

/** The `spec.certificateHostPattern` that lets an SNSSource fetch from the local cert server. */
export const LOCAL_CERTIFICATE_HOSTS = '127\\.0\\.0\\.1';

/**
 * A stand-in for SNS's certificate host: a self-signed certificate for 127.0.0.1 (made with openssl)
 * served over HTTPS, with its key to sign SNS messages the way SNS does.
 */
export interface SnsCertServer {
  /** `https://127.0.0.1:<port>`. */
  readonly base: string;
  /** The self-signed certificate (the one the server presents and messages are signed with). */
  readonly certPem: string;
  /** The same certificate's file, for NODE_EXTRA_CA_CERTS. */
  readonly certFile: string;
  readonly privateKeyPem: string;
  /** The paths requested so far. */
  readonly hits: string[];
  /** `fields` with SignatureVersion, SigningCertURL (this server) and Signature added, as SNS sends them. */
  sign(fields: Record<string, string>, version?: '1' | '2'): Record<string, string>;
  close(): Promise<void>;
}

/** The string SNS signs, written out from AWS's documentation (not from the code under test). */
function stringToSign(message: Record<string, string>): string {
  const fields = message.Type === 'Notification' ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return fields.filter((field) => field in message).map((field) => `${field}\n${message[field]}\n`).join('');
}

/**
 * Starts the server on a random port. It answers `/SimpleNotificationService-test.pem` with the
 * certificate, `/not-a-certificate.pem` with text, `/confirm…` as ConfirmSubscription does, else 404.
 */
export async function startSnsCertServer(): Promise<SnsCertServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sns-cert-'));
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', certFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const certPem = readFileSync(certFile, 'utf8');
  const privateKeyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
  const hits: string[] = [];
  const server = https.createServer({ key: privateKeyPem, cert: certPem }, (req, res) => {
    hits.push(req.url!);
    if (req.url === '/SimpleNotificationService-test.pem') res.end(certPem);
    else if (req.url === '/not-a-certificate.pem') res.end('hello');
    else if (req.url!.startsWith('/confirm')) res.end('<ConfirmSubscriptionResponse><ConfirmSubscriptionResult><SubscriptionArn>arn</SubscriptionArn></ConfirmSubscriptionResult></ConfirmSubscriptionResponse>');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const key = createPrivateKey(privateKeyPem);
  return {
    base,
    certPem,
    certFile,
    privateKeyPem,
    hits,
    sign(fields, version = '2') {
      const message = { SignatureVersion: version, SigningCertURL: `${base}/SimpleNotificationService-test.pem`, ...fields };
      const signature = sign(version === '1' ? 'sha1' : 'sha256', Buffer.from(stringToSign(message)), key).toString('base64');
      return { ...message, Signature: signature };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Makes this process's undici global dispatcher (which the shipped SNS provider fetches through)
 * trust `caPem` besides the system store; returns what puts the previous dispatcher back.
 */
export function trustInProcess(caPem: string): () => void {
  const previous = getGlobalDispatcher();
  setGlobalDispatcher(new Agent({ connect: { ca: [...rootCertificates, caPem] } }));
  return () => setGlobalDispatcher(previous);
}
