import { Option, type Command } from 'commander';
import { isJunctionError } from '../../core/errors.js';
import type { Resource } from '../../core/resources/index.js';
import { toJson, toYaml } from '../output/format.js';
import { connect, withConnectionOptions, withNamespaceOption, type ConnectionOptions } from './connection.js';
import { listResources } from './get.js';
import { discoverTypes } from './discovery.js';

type ExportOptions = ConnectionOptions & { namespace: string; allNamespaces?: boolean; output: 'yaml' | 'json' };

const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink'];

/** `junction export`: every resource of every kind as apply-ready YAML (or a JSON List), without server-owned fields. */
export function registerExport(program: Command): void {
  const command = program
    .command('export')
    .description('write every resource (all kinds) as YAML that `junction apply -f` accepts back; Secrets stay redacted')
    .option('-A, --all-namespaces', 'export every namespace')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['yaml', 'json']).default('yaml'));
  withNamespaceOption(command);
  withConnectionOptions(command)
    .addHelpText('after', '\nExamples:\n  junction export -n default > backup.yaml\n  junction export -A -o json\n  junction export -n a | junction apply -f - --server http://other:8080')
    .action(async (options: ExportOptions) => {
      const client = connect(options);
      const resources: Resource[] = [];
      for (const type of await discoverTypes(client)) {
        const items = await listResources(client, type, options).catch((error: unknown) => {
          // A server without this kind (older or newer than the CLI) simply has none of it.
          if (isJunctionError(error, 'JUNCTION_KIND_UNKNOWN')) return [];
          throw error;
        });
        // Objects another resource created (a Channel's backing channel, a flow's channels and
        // subscriptions) come back when their owner is applied: exporting them would duplicate them.
        resources.push(...items.filter((item) => !Array.isArray(item.metadata.ownerReferences) || item.metadata.ownerReferences.length === 0).map(stripServerFields));
      }
      if (options.output === 'json') process.stdout.write(toJson({ apiVersion: 'v1', kind: 'List', items: resources }));
      else process.stdout.write(resources.map(toYaml).join('---\n'));
    });
}

/** The resource as its author would write it: no status, no server-assigned metadata. */
export function stripServerFields(resource: Resource): Resource {
  const { status: _status, ...rest } = resource;
  const metadata = { ...resource.metadata };
  for (const field of SERVER_METADATA) delete metadata[field];
  if (metadata.annotations && Object.keys(metadata.annotations).length === 0) delete metadata.annotations;
  if (metadata.labels && Object.keys(metadata.labels).length === 0) delete metadata.labels;
  // An empty spec is what admission filled in for a document written without one (`kind: Broker` alone).
  if (isEmptyObject(rest.spec)) delete rest.spec;
  return { ...rest, metadata };
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
