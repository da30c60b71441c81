import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasLogAccess } from '../../channels/index.js';
import { createError } from '../../core/errors.js';
import type { ResourceService } from '../../core/resources/index.js';
import { GroupTriggerWorker } from '../dispatcher/group-trigger-worker.js';
import type { BrokerPlane } from '../runtime/broker-plane.js';
import { triggerKind, type TriggerSpec } from '../resources/trigger-kind.js';
import type { Authorizer } from '../tenants/authorizer.js';
import { checkNamespace } from './namespace-param.js';

type ReplayRequest = FastifyRequest<{ Params: { namespace: string }; Body: { trigger?: string; from?: string | number } | undefined }>;

/** `POST …/namespaces/{ns}/replays {trigger, from}`: delivers a trigger's retained events again from a time or offset. */
export async function registerReplayRoutes(app: FastifyInstance, resources: ResourceService, plane: BrokerPlane, authorizer: Authorizer): Promise<void> {
  app.post('/apis/junction.dev/v1/namespaces/:namespace/replays', async (request: ReplayRequest, reply) => {
    const { namespace } = request.params;
    authorizer.check(request.headers.authorization, namespace, 'write');
    checkNamespace(namespace);
    const { trigger: name, from } = request.body ?? {};
    if (typeof name !== 'string' || name === '') throw createError('JUNCTION_REPLAY_INVALID', 'trigger is required');
    const trigger = resources.store.get(resources.keyOf(triggerKind, namespace, name));
    if (!trigger) throw createError('JUNCTION_REPLAY_INVALID', `trigger ${namespace}/${name} does not exist`);
    const brokerName = (trigger.spec as unknown as TriggerSpec).broker;
    const broker = plane.get(namespace, brokerName);
    const worker = broker?.dispatcher?.worker(trigger.metadata.uid ?? '');
    if (!broker?.channel || !worker) throw createError('JUNCTION_REPLAY_INVALID', `trigger ${namespace}/${name} is not ready`);
    const isOffset = typeof from === 'number' || (typeof from === 'string' && /^\d+$/.test(from));
    const isTime = typeof from === 'string' && !Number.isNaN(Date.parse(from)) && /^\d{4}-\d{2}-\d{2}T/.test(from);
    if (!isOffset && !isTime) throw createError('JUNCTION_REPLAY_INVALID', 'from must be an RFC 3339 time or an offset');

    if (worker instanceof GroupTriggerWorker) {
      // The engine keeps the trigger's consumer group: move it (the engine checks the position).
      await worker.seek(isOffset ? { offset: Number(from) } : { time: Date.parse(from as string) });
      return reply.code(202).send({ trigger: name, broker: brokerName, ...(isOffset ? { fromOffset: Number(from) } : { fromTime: from }) });
    }
    const log = broker.channel;
    if (!hasLogAccess(log)) throw createError('JUNCTION_REPLAY_INVALID', `trigger ${namespace}/${name} is not ready`);
    let offset: number;
    if (isOffset) {
      offset = Number(from);
      if (offset < log.tail()) throw createError('JUNCTION_REPLAY_INVALID', `offset ${offset} is older than the oldest retained event (${log.tail()})`);
      if (offset > log.head()) throw createError('JUNCTION_REPLAY_INVALID', `offset ${offset} is past the newest event (${log.head() - 1})`);
    } else {
      offset = log.offsetAt(Date.parse(from as string));
    }
    worker.replay(offset);
    return reply.code(202).send({ trigger: name, broker: brokerName, fromOffset: offset, headOffset: log.head(), events: log.head() - offset });
  });
}
