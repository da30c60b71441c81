import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { request } from 'undici';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripServerFields } from '../../cli/commands/export.js';
import type { Resource } from '../../core/resources/index.js';
import { startTestJunction, type TestJunction } from '../support/junction.js';

const FIXTURES = ['knative-docs.yaml', 'knative-docs-messaging.yaml', 'knative-docs-pages.yaml'];

const documentsOf = (file: string): Resource[] =>
  parseAllDocuments(readFileSync(resolve(import.meta.dirname, '../fixtures', file), 'utf8'))
    .map((parsed) => parsed.toJS() as Resource | null)
    .filter((document): document is Resource => document !== null);

/**
 * A document as `junction export` must give it back: in its namespace, without status, a null
 * field being no field, and a Broker with its class annotation (which Knative's webhook defaults too).
 */
function asWritten(document: Resource): Resource {
  const { status: _status, ...rest } = JSON.parse(JSON.stringify(document, (_key, value: unknown) => (value === null ? undefined : value))) as Resource;
  const metadata = { ...rest.metadata, namespace: rest.metadata.namespace ?? 'default' };
  if (rest.kind === 'Broker') metadata.annotations = { 'eventing.knative.dev/broker.class': 'MTChannelBasedBroker', ...metadata.annotations };
  return { ...rest, metadata };
}

// Every document of Knative's documentation in the fixtures is applied as `junction apply` sends
// it (one PUT) and read back through export's own stripping: it must come back as written. Pages
// reuse names (three Brokers "default" with different spec.config): each example is applied as on
// a fresh cluster, the earlier object of that name deleted first, since such fields are immutable.
describe("Knative's documentation YAML applies unchanged and exports back equal", () => {
  let junction: TestJunction;
  beforeAll(async () => {
    junction = await startTestJunction();
  });
  afterAll(async () => {
    await junction?.stop();
  });

  it.each(FIXTURES)('%s', async (file) => {
    const documents = documentsOf(file);
    expect(documents.length).toBeGreaterThan(3);
    const applied = new Map<string, string>();
    for (const document of documents) {
      const key = `${document.apiVersion}/${document.kind}/${document.metadata.namespace ?? 'default'}/${document.metadata.name}`;
      const earlier = applied.get(key);
      if (earlier) await request(earlier, { method: 'DELETE' }).then((answer) => answer.body.dump());
      const stored = await junction.apply(document);
      applied.set(key, `${junction.url}${stored.apiVersion.includes('/') ? '/apis' : '/api'}/${stored.apiVersion}/namespaces/${stored.metadata.namespace}/${stored.kind.toLowerCase()}s/${stored.metadata.name}`);
      expect(stripServerFields(stored), `${document.kind} ${document.metadata.name}`).toEqual(asWritten(document));
    }
  });

  it('the empty EventType fields of the event-registry page are not set, not empty strings', async () => {
    const [eventType] = documentsOf('knative-docs.yaml').filter((document) => document.kind === 'EventType');
    expect(eventType.spec).toMatchObject({ schema: null, description: null });
    const stored = await junction.apply(eventType);
    expect(stored.spec).not.toHaveProperty('schema');
    expect(stored.spec).not.toHaveProperty('description');
    expect(stored.spec).toMatchObject({ type: 'dev.knative.source.github.push', source: 'https://github.com/knative/eventing' });
  });
});
