import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { WebhookFixture } from './fixture.js';

/**
 * GitLab with a signing token (Standard Webhooks, signed by the standardwebhooks SDK), Knative's
 * v1alpha1 YAML. The X-Gitlab-Token scheme covers no body, so the forged-body check needs the signature.
 */
export const gitlabFixture: WebhookFixture = {
  kind: 'GitLabSource',
  apiVersion: 'sources.knative.dev/v1alpha1',
  spec: { projectUrl: 'https://gitlab.example.com/mike/diaspora', eventTypes: ['push_events', 'merge_requests_events'] },
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  signatureHeader: 'webhook-signature',
  timestamped: true,
  request({ delivery, nowSeconds }) {
    const body = JSON.stringify({ object_kind: 'push', checkout_sha: `sha-${delivery}`, ref: 'refs/heads/main', project: { web_url: 'https://gitlab.example.com/mike/diaspora', path_with_namespace: 'mike/diaspora' } });
    const signature = new Webhook(gitlabFixture.secret!).sign(delivery, new Date(nowSeconds * 1000), body);
    return { body, headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Push Hook', 'x-gitlab-event-uuid': delivery, 'idempotency-key': delivery, 'webhook-id': delivery, 'webhook-timestamp': String(nowSeconds), 'webhook-signature': signature } };
  },
  expected: (delivery) => ({ type: 'dev.knative.sources.gitlab.push', id: delivery, source: 'https://gitlab.example.com/mike/diaspora', subject: `sha-${delivery}` }),
};

/** Bitbucket Cloud, `X-Hub-Signature: sha256=<hex>` made with node:crypto (Bitbucket has no signing SDK). */
export const bitbucketFixture: WebhookFixture = {
  kind: 'BitbucketSource',
  apiVersion: 'sources.junction.dev/v1',
  secret: 'bitbucket-conformance-secret',
  signatureHeader: 'x-hub-signature',
  timestamped: false,
  request({ delivery }) {
    const body = JSON.stringify({ push: { changes: [{ new: { type: 'branch', name: 'main', target: { hash: `h-${delivery}` } } }] }, repository: { full_name: 'team_name/repo_name' }, actor: { nickname: 'emmap' } });
    const signature = `sha256=${createHmac('sha256', bitbucketFixture.secret!).update(body).digest('hex')}`;
    return { body, headers: { 'content-type': 'application/json', 'x-event-key': 'repo:push', 'x-request-uuid': delivery, 'x-attempt-number': '1', 'x-hub-signature': signature } };
  },
  expected: (delivery) => ({ type: 'org.bitbucket.repo.push', id: delivery, source: 'https://bitbucket.org/team_name/repo_name', subject: `h-${delivery}` }),
};

/** Gitea, `X-Gitea-Signature: <hex HMAC-SHA256>` made with node:crypto (no signing SDK exists). */
export const giteaFixture: WebhookFixture = {
  kind: 'GiteaSource',
  apiVersion: 'sources.junction.dev/v1',
  secret: 'gitea-conformance-secret',
  signatureHeader: 'x-gitea-signature',
  timestamped: false,
  request({ delivery }) {
    const body = JSON.stringify({ ref: 'refs/heads/main', after: `a-${delivery}`, repository: { full_name: 'gitea/webhooks', html_url: 'https://gitea.example.com/gitea/webhooks' }, sender: { login: 'gitea' } });
    return { body, headers: { 'content-type': 'application/json', 'x-gitea-event': 'push', 'x-gitea-delivery': delivery, 'x-gitea-signature': createHmac('sha256', giteaFixture.secret!).update(body).digest('hex') } };
  },
  expected: (delivery) => ({ type: 'io.gitea.push', id: delivery, source: 'https://gitea.example.com/gitea/webhooks', subject: `a-${delivery}` }),
};

/** Shopify, `X-Shopify-Hmac-Sha256` (base64) made with node:crypto (@shopify/shopify-api only verifies; its validator is checked in the unit test). */
export const shopifyFixture: WebhookFixture = {
  kind: 'ShopifySource',
  apiVersion: 'sources.junction.dev/v1',
  secret: 'shpss_conformance0123456789abcdef',
  signatureHeader: 'x-shopify-hmac-sha256',
  timestamped: false,
  request({ delivery, nowSeconds }) {
    const body = JSON.stringify({ id: 820982911946154, admin_graphql_api_id: `gid://shopify/Order/${delivery}`, email: 'jon@example.com' });
    return {
      body,
      headers: {
        'content-type': 'application/json', 'x-shopify-topic': 'orders/create', 'x-shopify-hmac-sha256': createHmac('sha256', shopifyFixture.secret!).update(body).digest('base64'),
        'x-shopify-shop-domain': 'example-shop.myshopify.com', 'x-shopify-api-version': '2025-10', 'x-shopify-webhook-id': delivery, 'x-shopify-triggered-at': new Date(nowSeconds * 1000).toISOString(),
      },
    };
  },
  expected: (delivery) => ({ type: 'com.shopify.orders.create', id: delivery, source: 'https://example-shop.myshopify.com', subject: `gid://shopify/Order/${delivery}` }),
};

/** Linear, `Linear-Signature` (hex) made with node:crypto over a body carrying webhookTimestamp (@linear/sdk only verifies; checked in the unit test). */
export const linearFixture: WebhookFixture = {
  kind: 'LinearSource',
  apiVersion: 'sources.junction.dev/v1',
  secret: 'lin_wh_conformance0123456789abcdef',
  signatureHeader: 'linear-signature',
  timestamped: true,
  request({ delivery, nowSeconds }) {
    const body = JSON.stringify({ action: 'create', type: 'Issue', organizationId: 'org-conformance', webhookTimestamp: nowSeconds * 1000, createdAt: new Date(nowSeconds * 1000).toISOString(), data: { id: `issue-${delivery}`, title: 'Fix the build' } });
    return { body, headers: { 'content-type': 'application/json; charset=utf-8', 'linear-delivery': delivery, 'linear-event': 'Issue', 'linear-signature': createHmac('sha256', linearFixture.secret!).update(body).digest('hex') } };
  },
  expected: (delivery) => ({ type: 'app.linear.issue.create', id: delivery, source: 'https://linear.app/org-conformance', subject: `issue-${delivery}` }),
};

/** PagerDuty V3, `X-PagerDuty-Signature: v1=<hex>` made with node:crypto (no SDK signs V3 webhooks); two signatures, as during a rotation. */
export const pagerdutyFixture: WebhookFixture = {
  kind: 'PagerDutySource',
  apiVersion: 'sources.junction.dev/v1',
  secret: 'pd-conformance-secret-0123456789',
  signatureHeader: 'x-pagerduty-signature',
  timestamped: false,
  request({ delivery, nowSeconds }) {
    const body = JSON.stringify({ event: { id: delivery, event_type: 'incident.triggered', resource_type: 'incident', occurred_at: new Date(nowSeconds * 1000).toISOString(), data: { id: `P${delivery}`, type: 'incident', html_url: `https://acme.pagerduty.com/incidents/P${delivery}` } } });
    const v1 = (secret: string) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
    return { body, headers: { 'content-type': 'application/json', 'x-webhook-subscription': 'PY1OQQ5', 'x-pagerduty-signature': `${v1('pd-previous-secret')},${v1(pagerdutyFixture.secret!)}` } };
  },
  expected: (delivery) => ({ type: 'com.pagerduty.incident.triggered', id: delivery, source: 'https://acme.pagerduty.com', subject: `P${delivery}` }),
};

/** Batch a's push kinds. */
export const fixturesA: WebhookFixture[] = [gitlabFixture, bitbucketFixture, giteaFixture, shopifyFixture, linearFixture, pagerdutyFixture];
