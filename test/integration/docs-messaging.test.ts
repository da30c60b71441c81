import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resource } from '../../core/resources/index.js';
import { startTestJunction, type TestJunction } from '../support/junction.js';

const page = readFileSync(resolve(import.meta.dirname, '../../docs/messaging.md'), 'utf8');
const documents = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].flatMap((match) => parseAllDocuments(match[1]!).map((doc) => doc.toJS() as Resource));

describe('docs/messaging.md examples', () => {
  let junction: TestJunction;
  beforeAll(async () => {
    junction = await startTestJunction();
  });
  afterAll(async () => {
    await junction?.stop();
  });

  it('every YAML example applies and becomes Ready', async () => {
    expect(documents.map((doc) => doc.kind)).toEqual(['Channel', 'Channel', 'Subscription', 'Sequence', 'Parallel']);
    for (const document of documents) await junction.apply(document);
    for (const document of documents) {
      const [group, version] = document.apiVersion.split('/');
      await junction.waitReady(`${document.kind.toLowerCase()}s`, 'default', document.metadata.name, `${group}/${version}`);
    }
  });
});
