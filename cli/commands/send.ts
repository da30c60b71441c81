import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { toBinaryHttp, validateEvent, type CloudEvent } from '../../core/cloudevent/index.js';
import { createError, isJunctionError } from '../../core/errors.js';
import type { Resource } from '../../core/resources/index.js';
import type { JunctionClient } from '../client.js';
import { collect } from './apply.js';
import { connect, withConnectionOptions, withNamespaceOption, type ConnectionOptions } from './connection.js';
import { resourcePath, typeByName } from './resource-types.js';

type SendOptions = ConnectionOptions & {
  namespace: string;
  broker: string;
  type: string;
  source: string;
  id?: string;
  subject?: string;
  data?: string;
  dataFile?: string;
  contentType?: string;
  extension?: string[];
};

/** `junction send`: posts one binary-mode CloudEvent to a broker and reports that it was accepted (stored durably). */
export function registerSend(program: Command): void {
  const command = program
    .command('send')
    .description('send one CloudEvent (binary mode) to a broker; "accepted" means it is stored durably')
    .requiredOption('--broker <name>', 'broker to send to')
    .requiredOption('--type <type>', 'ce-type, e.g. com.example.order.created')
    .requiredOption('--source <source>', 'ce-source, e.g. /shop/orders')
    .option('--id <id>', 'ce-id (default: a random UUID)')
    .option('--subject <subject>', 'ce-subject')
    .option('--data <data>', 'event data: JSON (sent as application/json) or text (text/plain)')
    .option('--data-file <file>', 'read the data from a file (- for stdin)')
    .option('--content-type <type>', 'data content type (overrides the guess from --data/--data-file)')
    .option('--extension <name=value>', 'an extension attribute; repeatable', collect);
  withNamespaceOption(command);
  withConnectionOptions(command)
    .addHelpText(
      'after',
      '\nExamples:\n  junction send --broker default --type dev.example.greeting --source /cli --data \'{"hello":"world"}\'\n  junction send --broker default -n shop --type order.created --source /shop --data-file order.json --extension tenant=acme',
    )
    .action(async (options: SendOptions) => {
      const event = buildEvent(options);
      const client = connect(options);
      const url = await brokerUrl(client, options.namespace, options.broker);
      const { headers, body } = toBinaryHttp(event);
      await client.post(url, headers, body);
      process.stdout.write(`event ${event.id} accepted by ${options.namespace}/${options.broker}\n`);
    });
}

/** The CloudEvent the options describe; invalid attributes fail with JUNCTION_EVENT_INVALID before anything is sent. */
export function buildEvent(options: Omit<SendOptions, keyof ConnectionOptions | 'namespace' | 'broker'>): CloudEvent {
  if (options.data !== undefined && options.dataFile !== undefined) throw createError('JUNCTION_BAD_REQUEST', 'give --data or --data-file, not both');
  const event: CloudEvent = { specversion: '1.0', id: options.id ?? randomUUID(), source: options.source, type: options.type };
  if (options.subject !== undefined) event.subject = options.subject;
  for (const pair of options.extension ?? []) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw createError('JUNCTION_BAD_REQUEST', `--extension "${pair}" must be name=value`);
    event[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  const payload = readPayload(options);
  if (payload) {
    // The bytes go out exactly as given; the content type only labels them.
    event.datacontenttype = options.contentType ?? payload.contentType;
    event.data_base64 = payload.bytes.toString('base64');
  } else if (options.contentType !== undefined) event.datacontenttype = options.contentType;
  const problems = validateEvent(event as Record<string, unknown>);
  if (problems.length > 0) throw createError('JUNCTION_EVENT_INVALID', `the event is invalid (${problems.length} problem${problems.length > 1 ? 's' : ''})`, { problems });
  return event;
}

function readPayload(options: { data?: string; dataFile?: string }): { bytes: Buffer; contentType: string } | undefined {
  if (options.data !== undefined) return { bytes: Buffer.from(options.data, 'utf8'), contentType: isJson(options.data) ? 'application/json' : 'text/plain' };
  if (options.dataFile === undefined) return undefined;
  let bytes: Buffer;
  try {
    bytes = readFileSync(options.dataFile === '-' ? 0 : options.dataFile);
  } catch (error) {
    throw createError('JUNCTION_BAD_REQUEST', `cannot read ${options.dataFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const extension = extname(options.dataFile).toLowerCase();
  const byExtension: Record<string, string> = { '.json': 'application/json', '.txt': 'text/plain', '.xml': 'application/xml' };
  const contentType = byExtension[extension] ?? (isJson(bytes.toString('utf8')) ? 'application/json' : 'application/octet-stream');
  return { bytes, contentType };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The broker's ingress URL from its status, or `{server}/{ns}/{broker}` when it cannot be read (e.g. an ingest-only token). */
async function brokerUrl(client: JunctionClient, namespace: string, broker: string): Promise<string> {
  const fallback = `${client.server}/${encodeURIComponent(namespace)}/${encodeURIComponent(broker)}`;
  try {
    const resource = await client.call<Resource>('GET', resourcePath(typeByName('brokers'), namespace, broker));
    return resource.status?.address?.url ?? fallback;
  } catch (error) {
    if (isJunctionError(error, 'JUNCTION_SERVER_UNREACHABLE')) throw error;
    return fallback;
  }
}
