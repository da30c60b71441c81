import { createServer } from 'node:http';
import { InvalidArgumentError, type Command } from 'commander';
import { parseHttpEvents, type CloudEvent } from '../../core/cloudevent/index.js';
import { isJunctionError } from '../../core/errors.js';
import { listenFailure, parsePort } from '../listening.js';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Renders one event the way Knative's event_display does: context attributes, extensions, data. */
export function formatEvent(event: CloudEvent): string {
  const lines = ['☁️  cloudevents.Event', 'Context Attributes,'];
  const { data, data_base64: dataBase64, ...attributes } = event;
  const core = ['specversion', 'type', 'source', 'id', 'time', 'subject', 'dataschema', 'datacontenttype'];
  for (const name of core) if (attributes[name] !== undefined) lines.push(`  ${name}: ${String(attributes[name])}`);
  const extensions = Object.keys(attributes).filter((name) => !core.includes(name)).sort();
  if (extensions.length > 0) {
    lines.push('Extensions,');
    for (const name of extensions) lines.push(`  ${name}: ${String(attributes[name])}`);
  }
  if (data !== undefined) lines.push('Data,', `  ${typeof data === 'string' ? data : JSON.stringify(data, null, 2).replaceAll('\n', '\n  ')}`);
  else if (dataBase64 !== undefined) lines.push('Data (base64),', `  ${String(dataBase64)}`);
  return lines.join('\n');
}

/** `junction display`: a subscriber that prints every CloudEvent it receives (Knative's event_display). */
export function registerDisplayCommand(program: Command): void {
  program
    .command('display')
    .description('run a tiny subscriber that prints every CloudEvent it receives (like Knative event_display)')
    .option('--port <port>', 'port to listen on (0 picks a free one)', parsePort, 9000)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--status <code>', 'HTTP status to answer with', parseStatus, 202)
    .addHelpText('after', '\nExample:\n  junction display --port 9000   # then point a Trigger at http://127.0.0.1:9000')
    .action(async (options: { port: number; host: string; status: number }) => {
      const status = options.status;
      const server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        request.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) request.destroy();
          else chunks.push(chunk);
        });
        request.on('end', () => {
          try {
            const { events } = parseHttpEvents(request.headersDistinct, Buffer.concat(chunks));
            for (const event of events) process.stdout.write(`${formatEvent(event)}\n`);
            response.writeHead(status).end();
          } catch (error) {
            const message = isJunctionError(error) ? `${error.code}: ${error.message}` : (error as Error).message;
            process.stderr.write(`display: not a CloudEvent: ${message}\n`);
            response.writeHead(400, { 'content-type': 'text/plain' }).end(message);
          }
        });
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', (error) => reject(listenFailure(error, `${options.host}:${options.port}`)));
        server.listen(options.port, options.host, resolve);
      });
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      process.stderr.write(`display: listening on http://${options.host}:${port}\n`);
      const stop = () => server.close(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
}

function parseStatus(value: string): number {
  const status = Number(value);
  if (!Number.isInteger(status) || status < 200 || status > 599) throw new InvalidArgumentError(`invalid HTTP status "${value}" (200-599)`);
  return status;
}
