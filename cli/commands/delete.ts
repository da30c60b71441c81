import type { Command } from 'commander';
import { createError, isJunctionError } from '../../core/errors.js';
import type { JunctionClient } from '../client.js';
import { errorLine } from '../output/format.js';
import { collect } from './apply.js';
import { connect, withConnectionOptions, withNamespaceOption, type ConnectionOptions } from './connection.js';
import { readManifests } from './documents.js';
import { refOf, type ObjectRef } from './object-ref.js';
import { qualifiedName, resourcePath } from './resource-types.js';
import { resolveType } from './discovery.js';

type DeleteOptions = ConnectionOptions & { namespace: string; filename?: string[]; ignoreNotFound?: boolean };

/** `junction delete TYPE NAME…` or `delete -f FILE`: deletes each named resource, reporting each failure and exiting 1 if any. */
export function registerDelete(program: Command): void {
  const command = program
    .command('delete')
    .description('delete resources by type and name, or those named in manifests (-f)')
    .argument('[type]', 'resource type (brokers, triggers, eventtypes, secrets, configmaps, …)')
    .argument('[names...]', 'names of the resources to delete')
    .option('-f, --filename <path>', 'delete the resources of this manifest file, directory or - (stdin); repeatable', collect)
    .option('--ignore-not-found', 'do not fail when a resource is already gone');
  withNamespaceOption(command);
  withConnectionOptions(command)
    .addHelpText('after', '\nExamples:\n  junction delete trigger greetings -n default\n  junction delete triggers a b c\n  junction delete -f examples/quickstart.yaml')
    .action(async (typeName: string | undefined, names: string[], options: DeleteOptions) => {
      const client = connect(options);
      let refs: ObjectRef[];
      if (options.filename) {
        if (typeName !== undefined) throw createError('JUNCTION_BAD_REQUEST', 'give either -f or a type and names, not both');
        refs = readManifests(options.filename).map(({ document, source }) => refOf(document, options.namespace, source));
      } else {
        if (typeName === undefined || names.length === 0) throw createError('JUNCTION_BAD_REQUEST', 'name a type and at least one resource (junction delete trigger NAME), or use -f FILE');
        const type = await resolveType(client, typeName);
        refs = names.map((name) => ({ type, namespace: options.namespace, name, path: resourcePath(type, options.namespace, name) }));
      }
      for (const ref of refs) {
        try {
          if (await deleteOne(client, ref, Boolean(options.ignoreNotFound))) process.stdout.write(`${qualifiedName(ref.type)} "${ref.name}" deleted\n`);
        } catch (error) {
          if (isJunctionError(error, 'JUNCTION_SERVER_UNREACHABLE')) throw error;
          process.stderr.write(`junction: ${errorLine(error)}\n`);
          process.exitCode = 1;
        }
      }
    });
}

/** Deletes one resource; false when it was already gone and that is allowed. */
async function deleteOne(client: JunctionClient, ref: ObjectRef, ignoreNotFound: boolean): Promise<boolean> {
  try {
    await client.call('DELETE', ref.path);
    return true;
  } catch (error) {
    if (ignoreNotFound && isJunctionError(error, 'JUNCTION_RESOURCE_NOT_FOUND')) return false;
    throw error;
  }
}
