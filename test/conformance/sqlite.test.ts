import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteChannelFactory } from '../../channels/index.js';
import { describeChannelConformance } from './channel.suite.js';

const directory = mkdtempSync(join(tmpdir(), 'junction-sqlite-conformance-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describeChannelConformance('sqlite', () => Promise.resolve(new SqliteChannelFactory({ path: join(directory, 'channels.db') })), { durable: true });
