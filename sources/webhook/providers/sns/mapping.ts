import { createError } from '../../../../core/errors.js';
import { extensions, header, pathValue, rfc3339 } from '../../payload.js';
import type { WebhookEvent, WebhookRequest } from '../../types.js';
import { snsMessage } from './verify.js';

/** Type prefix (CloudEvents' SNS adapter): `com.amazonaws.sns.<Type>`, e.g. `com.amazonaws.sns.Notification`. */
export const SNS_TYPE_PREFIX = 'com.amazonaws.sns.';

const TYPES = new Set(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']);

/**
 * An SNS message as the CloudEvents SNS adapter maps it: id = `MessageId` (the same on SNS's
 * retries), type from `Type`, source the subscription ARN (`x-amz-sns-subscription-arn`; the topic
 * ARN for a subscription confirmation, or when the header is absent or not of that topic), subject
 * `Subject`, time `Timestamp`, data the whole message; extension `topicarn`.
 */
export function mapSns(request: WebhookRequest): { deliveryId: string; events: WebhookEvent[] } {
  const message = snsMessage(request.body);
  if (message === undefined) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'the body is not an SNS message (a JSON object)');
  const id = pathValue(message, 'MessageId');
  const type = pathValue(message, 'Type');
  const topic = pathValue(message, 'TopicArn');
  if (id === undefined || topic === undefined || type === undefined || !TYPES.has(type)) throw createError('JUNCTION_WEBHOOK_PAYLOAD_INVALID', 'an SNS message needs a MessageId, a TopicArn and a known Type');
  // The header is not signed: it is used only when it names a subscription of the signed topic.
  const subscription = header(request, 'x-amz-sns-subscription-arn');
  const source = type !== 'SubscriptionConfirmation' && subscription?.startsWith(`${topic}:`) ? subscription : topic;
  const event: WebhookEvent = {
    id,
    type: `${SNS_TYPE_PREFIX}${type}`,
    source,
    subject: type === 'Notification' ? pathValue(message, 'Subject') : undefined,
    time: rfc3339(message.Timestamp),
    datacontenttype: 'application/json',
    data: message,
    extensions: extensions({ topicarn: topic }),
  };
  return { deliveryId: id, events: [event] };
}
