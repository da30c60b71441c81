import { LOCAL_CERTIFICATE_HOSTS, startSnsCertServer, type SnsCertServer } from '../../support/sns-cert-server.js';
import type { WebhookFixture } from './fixture.js';

/**
 * S3-compatible bucket notifications as MinIO's webhook target posts them, `Authorization: Bearer
 * <auth_token>` (MinIO ships no signing SDK: the token is the whole scheme). The token does not
 * cover the body, so a forged request carries a wrong token.
 */
export const s3Fixture: WebhookFixture = {
  kind: 'S3Source',
  apiVersion: 'sources.junction.dev/v1',
  secret: 'minio-conformance-token-0123456789',
  signatureHeader: 'authorization',
  timestamped: false,
  request({ delivery, nowSeconds }) {
    const record = {
      eventVersion: '2.0',
      eventSource: 'minio:s3',
      awsRegion: 'us-east-1',
      eventTime: new Date(nowSeconds * 1000).toISOString(),
      eventName: 's3:ObjectCreated:Put',
      userIdentity: { principalId: 'minioadmin' },
      responseElements: { 'x-amz-request-id': delivery, 'x-amz-id-2': 'dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8', 'x-minio-origin-endpoint': 'http://10.0.0.5:9000' },
      s3: { s3SchemaVersion: '1.0', configurationId: 'Config', bucket: { name: 'images', arn: 'arn:aws:s3:::images' }, object: { key: `${delivery}.jpg`, size: 48213, contentType: 'image/jpeg', sequencer: '187E3F5A8C2F6A40' } },
    };
    const body = JSON.stringify({ EventName: 's3:ObjectCreated:Put', Key: `images/${delivery}.jpg`, Records: [record] });
    return { body, headers: { 'content-type': 'application/json', authorization: `Bearer ${s3Fixture.secret!}` } };
  },
  forged: ({ headers, body }) => ({ headers: { ...headers, authorization: 'Bearer minio-someone-elses-token' }, body }),
  expected: (delivery) => ({ type: 'com.amazonaws.s3.ObjectCreated:Put', id: `${delivery}.dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8`, source: 'minio:s3.us-east-1.images', subject: `${delivery}.jpg` }),
};

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:orders';
const SUBSCRIPTION = `${TOPIC}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`;
/** The certificate host `start` runs; SNS signs with its key (SNS ships no signing SDK: AWS signs). */
let certServer: SnsCertServer | undefined;

/**
 * Amazon SNS notifications (SignatureVersion 2), signed with the key of a self-signed certificate
 * served over HTTPS on 127.0.0.1, which `spec.certificateHostPattern` allows. The signature is a
 * field of the JSON body, not a header.
 */
export const snsFixture: WebhookFixture = {
  kind: 'SNSSource',
  apiVersion: 'sources.junction.dev/v1',
  spec: { certificateHostPattern: LOCAL_CERTIFICATE_HOSTS, topicArns: [TOPIC] },
  timestamped: true,
  async start() {
    const server = await startSnsCertServer();
    certServer = server;
    return {
      ca: { pem: server.certPem, file: server.certFile },
      async close() {
        certServer = undefined;
        await server.close();
      },
    };
  },
  request({ delivery, nowSeconds }) {
    if (certServer === undefined) throw new Error('snsFixture.request before start()');
    // SNS signs when the message is published, a moment before it delivers it.
    const message = certServer.sign({ Type: 'Notification', MessageId: delivery, TopicArn: TOPIC, Subject: `order-${delivery}`, Message: JSON.stringify({ order: delivery }), Timestamp: new Date((nowSeconds - 1) * 1000).toISOString(), UnsubscribeURL: 'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe' });
    const headers = { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification', 'x-amz-sns-message-id': delivery, 'x-amz-sns-topic-arn': TOPIC, 'x-amz-sns-subscription-arn': SUBSCRIPTION };
    return { body: JSON.stringify(message), headers };
  },
  unsigned({ headers, body }) {
    const { Signature: _signature, ...rest } = JSON.parse(body.toString()) as Record<string, unknown>;
    return { headers, body: JSON.stringify(rest) };
  },
  expected: (delivery) => ({ type: 'com.amazonaws.sns.Notification', id: delivery, source: SUBSCRIPTION, subject: `order-${delivery}` }),
};

/** The AWS push kinds: S3 (and S3-compatible stores) and SNS. */
export const fixturesAws: WebhookFixture[] = [s3Fixture, snsFixture];
