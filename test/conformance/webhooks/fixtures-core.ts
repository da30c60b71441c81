import { sign } from '@octokit/webhooks-methods';
import Stripe from 'stripe';
import type { WebhookFixture } from './fixture.js';

const stripe = new Stripe('sk_test_conformance');

/** GitHub, signed by @octokit/webhooks-methods (Knative's v1alpha1 YAML). */
export const github: WebhookFixture = {
  kind: 'GitHubSource',
  apiVersion: 'sources.knative.dev/v1alpha1',
  spec: { ownerAndRepository: 'octo-org/octo-repo', eventTypes: ['push', 'issues'] },
  secret: 'It’s a Secret to Everybody',
  signatureHeader: 'x-hub-signature-256',
  timestamped: false,
  async request({ delivery }) {
    const body = JSON.stringify({ ref: 'refs/heads/main', after: `sha-${delivery}`, repository: { full_name: 'octo-org/octo-repo', html_url: 'https://github.com/octo-org/octo-repo' } });
    return { body, headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': delivery, 'x-hub-signature-256': await sign(github.secret!, body) } };
  },
  expected: (delivery) => ({ type: 'dev.knative.source.github.push', id: delivery, source: 'https://github.com/octo-org/octo-repo' }),
};

/** Stripe, signed by stripe's generateTestHeaderString. */
export const stripeFixture: WebhookFixture = {
  kind: 'StripeSource',
  apiVersion: 'sources.junction.dev/v1',
  secret: 'whsec_conformance_0123456789abcdef',
  signatureHeader: 'stripe-signature',
  timestamped: true,
  request({ delivery, nowSeconds }) {
    const body = JSON.stringify({ id: `evt_${delivery}`, object: 'event', type: 'payment_intent.succeeded', created: nowSeconds, data: { object: { id: `pi_${delivery}`, object: 'payment_intent' } } });
    return { body, headers: { 'content-type': 'application/json', 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: body, secret: stripeFixture.secret!, timestamp: nowSeconds }) } };
  },
  expected: (delivery) => ({ type: 'com.stripe.payment_intent.succeeded', id: `evt_${delivery}`, subject: `pi_${delivery}` }),
};
