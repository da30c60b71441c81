import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createError } from '../../core/errors.js';
import type { LogLine, ProcessLogs } from '../../core/process/index.js';
import type { Authorizer } from '../tenants/authorizer.js';
import { checkNamespace } from './namespace-param.js';

/** What the log routes read. */
export interface LogRouteDependencies {
  logs: ProcessLogs;
  authorizer: Authorizer;
}

type LogRequest = FastifyRequest<{
  Params: { namespace: string; plural: string; name: string };
  Querystring: { follow?: string; tailLines?: string; timestamps?: string };
}>;

/** A line as `junction logs` prints it: the text, after the time and stream with `timestamps=true`. */
function format(line: LogLine, timestamps: boolean): string {
  return timestamps ? `${new Date(line.time).toISOString()} ${line.stream} ${line.text}\n` : `${line.text}\n`;
}

/**
 * The output of processes Junction runs for a namespace's resources (ContainerSources, later
 * Services), as `kubectl logs` shows a pod's: `GET …/namespaces/{ns}/logs` lists what has logs;
 * `GET …/namespaces/{ns}/logs/{plural}/{name}?tailLines=N&follow=true&timestamps=true` streams
 * text/plain. Reading logs needs the namespace's read permission.
 */
export async function registerLogRoutes(app: FastifyInstance, deps: LogRouteDependencies): Promise<void> {
  const followers = new Set<() => void>();
  app.get('/apis/junction.dev/v1/namespaces/:namespace/logs', async (request: FastifyRequest<{ Params: { namespace: string } }>) => {
    const { namespace } = request.params;
    deps.authorizer.check(request.headers.authorization, namespace, 'read');
    checkNamespace(namespace);
    return { items: deps.logs.list(namespace).map((resource) => ({ resource })) };
  });

  app.get('/apis/junction.dev/v1/namespaces/:namespace/logs/:plural/:name', async (request: LogRequest, reply) => {
    const { namespace, plural, name } = request.params;
    const info = deps.authorizer.check(request.headers.authorization, namespace, 'read');
    checkNamespace(namespace);
    const buffer = deps.logs.find(namespace, `${plural}/${name}`);
    if (!buffer) throw createError('JUNCTION_RESOURCE_NOT_FOUND', `${plural}/${name} in namespace ${namespace} has no logs (it runs no process, or does not exist)`);
    const tail = request.query.tailLines === undefined ? undefined : Number(request.query.tailLines);
    if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) throw createError('JUNCTION_BAD_REQUEST', 'tailLines must be a non-negative integer');
    const timestamps = request.query.timestamps === 'true';
    const past = buffer.tail(tail).map((line) => format(line, timestamps)).join('');
    if (request.query.follow !== 'true') return reply.type('text/plain; charset=utf-8').send(past);

    // Followed: headers go out at once (a quiet process may print nothing for a long time).
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache' });
    reply.raw.flushHeaders();
    if (past !== '') reply.raw.write(past);
    const end = () => {
      unfollow();
      unrevoke();
      followers.delete(end);
      if (!reply.raw.writableEnded) reply.raw.end();
    };
    const unfollow = buffer.follow((line) => reply.raw.write(format(line, timestamps)), () => end());
    const unrevoke = deps.authorizer.whenRevoked(info, () => end());
    followers.add(end);
    reply.raw.once('close', end);
    return reply;
  });
  app.addHook('preClose', async () => {
    for (const end of [...followers]) end();
  });
}
