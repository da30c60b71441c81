import type { WebhookProvider } from '../types.js';
import { bitbucketProvider } from './bitbucket/index.js';
import { cloudEventsProvider } from './cloudevents/index.js';
import { discordProvider } from './discord/index.js';
import { giteaProvider } from './gitea/index.js';
import { githubProvider } from './github/index.js';
import { gitlabProvider } from './gitlab/index.js';
import { linearProvider } from './linear/index.js';
import { pagerdutyProvider } from './pagerduty/index.js';
import { mailgunProvider } from './mailgun/index.js';
import { paddleProvider } from './paddle/index.js';
import { s3Provider } from './s3/index.js';
import { sendgridProvider } from './sendgrid/index.js';
import { shopifyProvider } from './shopify/index.js';
import { slackProvider } from './slack/index.js';
import { snsProvider } from './sns/index.js';
import { squareProvider } from './square/index.js';
import { standardWebhooksProvider } from './standard-webhooks/index.js';
import { stripeProvider } from './stripe/index.js';
import { twilioProvider } from './twilio/index.js';
import { webhookProvider } from './webhook/index.js';
import { zoomProvider } from './zoom/index.js';

/** Every webhook provider Junction ships, one push-source kind each. */
export const webhookProviders: readonly WebhookProvider[] = [
  githubProvider,
  stripeProvider,
  discordProvider,
  sendgridProvider,
  snsProvider,
  s3Provider,
  standardWebhooksProvider,
  slackProvider,
  twilioProvider,
  squareProvider,
  paddleProvider,
  zoomProvider,
  mailgunProvider,
  gitlabProvider,
  bitbucketProvider,
  giteaProvider,
  shopifyProvider,
  linearProvider,
  pagerdutyProvider,
  webhookProvider,
  cloudEventsProvider,
];
