import type { WebhookProvider } from '../../types.js';
import { S3_TYPE_PREFIX, mapS3 } from './mapping.js';
import { verifyBearer } from './verify.js';

/**
 * S3Source: bucket notifications that S3-compatible stores (MinIO, Ceph RGW) POST to a webhook
 * target, authenticated by `Authorization: Bearer <secret>`; one CloudEvent per record.
 */
export const s3Provider: WebhookProvider = {
  kind: 'S3Source',
  description: 'S3-compatible bucket notifications (MinIO, Ceph RGW webhook targets; Authorization: Bearer)',
  eventTypes: [`${S3_TYPE_PREFIX}*`],
  credential: 'secret',
  toleranceSeconds: 0,
  verify: (request, credentials) => verifyBearer(request, credentials),
  map: (request) => mapS3(request),
};
