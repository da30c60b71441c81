import type { FieldProblem } from '../../core/errors.js';
import type { KindDefinition } from '../../core/resources/index.js';
import { validateDeliverySpec, type DeliverySpec } from '../delivery/index.js';
import type { ChannelTemplate } from '../messaging/channel-kinds.js';
import { refNamespaceProblems, validateDestination, type Destination } from '../resources/destination.js';
import { deliverySchema, destinationSchema, openObjectSchema } from '../resources/duck-schemas.js';

/** One step of a Sequence: a destination (ref/uri) and its delivery spec. */
export interface SequenceStep extends Destination {
  delivery?: DeliverySpec;
}

/** `spec` of flows.knative.dev/v1 Sequence. */
export interface SequenceSpec {
  channelTemplate?: ChannelTemplate;
  steps: SequenceStep[];
  reply?: Destination;
}

/** One branch of a Parallel: an optional filter, the subscriber, an optional reply. */
export interface ParallelBranch {
  filter?: Destination;
  subscriber: Destination;
  reply?: Destination;
  delivery?: DeliverySpec;
}

/** `spec` of flows.knative.dev/v1 Parallel. */
export interface ParallelSpec {
  channelTemplate?: ChannelTemplate;
  branches: ParallelBranch[];
  reply?: Destination;
}

const template = { type: 'object', required: ['apiVersion', 'kind'], properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, spec: openObjectSchema } };
const step = { ...destinationSchema, properties: { ...destinationSchema.properties, delivery: deliverySchema } };
const branch = { type: 'object', required: ['subscriber'], properties: { filter: destinationSchema, subscriber: destinationSchema, reply: destinationSchema, delivery: deliverySchema } };

/** A step's or branch's delivery: Knative's checks, and a dead-letter ref kept in the flow's namespace. */
function deliveryProblems(delivery: DeliverySpec, path: string, namespace: string): FieldProblem[] {
  return [...validateDeliverySpec(delivery, path), ...refNamespaceProblems(delivery.deadLetterSink, `${path}.deadLetterSink`, namespace)];
}

/** flows.knative.dev/v1 Sequence: steps called in order, each step's reply going to the next. */
export const sequenceKind: KindDefinition = {
  group: 'flows.knative.dev',
  versions: ['v1'],
  kind: 'Sequence',
  plural: 'sequences',
  singular: 'sequence',
  shortNames: ['seq'],
  schema: {
    type: 'object',
    required: ['spec'],
    properties: {
      spec: {
        type: 'object',
        required: ['steps'],
        properties: { channelTemplate: template, steps: { type: 'array', minItems: 1, items: step }, reply: destinationSchema },
      },
    },
  },
  validate(resource) {
    const spec = resource.spec as unknown as SequenceSpec;
    const namespace = resource.metadata.namespace ?? 'default';
    const problems: FieldProblem[] = [];
    spec.steps.forEach((step, index) => {
      const { delivery, ...destination } = step;
      problems.push(...validateDestination(destination, `spec.steps[${index}]`, namespace));
      if (delivery !== undefined) problems.push(...deliveryProblems(delivery, `spec.steps[${index}].delivery`, namespace));
    });
    if (spec.reply !== undefined) problems.push(...validateDestination(spec.reply, 'spec.reply', namespace));
    return problems;
  },
};

/** flows.knative.dev/v1 Parallel: every event to each branch whose filter passes it. */
export const parallelKind: KindDefinition = {
  group: 'flows.knative.dev',
  versions: ['v1'],
  kind: 'Parallel',
  plural: 'parallels',
  singular: 'parallel',
  schema: {
    type: 'object',
    required: ['spec'],
    properties: {
      spec: {
        type: 'object',
        required: ['branches'],
        properties: {
          channelTemplate: template,
          branches: { type: 'array', minItems: 1, items: branch },
          reply: destinationSchema,
        },
      },
    },
  },
  validate(resource) {
    const spec = resource.spec as unknown as ParallelSpec;
    const namespace = resource.metadata.namespace ?? 'default';
    const problems: FieldProblem[] = [];
    spec.branches.forEach((branch, index) => {
      const path = `spec.branches[${index}]`;
      if (branch.filter !== undefined) problems.push(...validateDestination(branch.filter, `${path}.filter`, namespace));
      problems.push(...validateDestination(branch.subscriber, `${path}.subscriber`, namespace));
      if (branch.reply !== undefined) problems.push(...validateDestination(branch.reply, `${path}.reply`, namespace));
      if (branch.delivery !== undefined) problems.push(...deliveryProblems(branch.delivery, `${path}.delivery`, namespace));
    });
    if (spec.reply !== undefined) problems.push(...validateDestination(spec.reply, 'spec.reply', namespace));
    return problems;
  },
};
