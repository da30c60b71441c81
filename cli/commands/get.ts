import { Option, type Command } from 'commander';
import { createError } from '../../core/errors.js';
import type { Resource } from '../../core/resources/index.js';
import type { JunctionClient } from '../client.js';
import { columnsFor, rowsOf } from '../output/columns.js';
import { toJson, toYaml } from '../output/format.js';
import { renderTable } from '../output/table.js';
import { connect, withConnectionOptions, withNamespaceOption, type ConnectionOptions } from './connection.js';
import type { ListOptions } from './list-options.js';
import { resolveType } from './discovery.js';
import { resourcePath, resourceTypes, type ResourceType } from './resource-types.js';
import { watchResources } from './watch.js';

/** What `get` reads from the command line. */
export type GetOptions = ConnectionOptions & ListOptions & { watch?: boolean };

/** `junction get TYPE [NAME]`: lists resources as a table (kubectl/kn columns), YAML or JSON. */
export function registerGet(program: Command): void {
  const command = program
    .command('get')
    .description('list resources, or show one, as a table, YAML or JSON')
    .argument('<type>', `resource type, or several comma-separated (${resourceTypes.map((t) => t.plural).join(', ')}, and every kind the server serves, e.g. pingsources; singular and short names work)`)
    .argument('[name]', 'show only this resource')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'wide', 'yaml', 'json']).default('table'))
    .option('-l, --selector <selector>', 'label selector (app=shop,tier!=test,env in (a,b))')
    .option('-A, --all-namespaces', 'list across every namespace (adds a NAMESPACE column)')
    .option('-w, --watch', 'after listing, keep printing changes until interrupted');
  withNamespaceOption(command);
  withConnectionOptions(command)
    .addHelpText('after', '\nExamples:\n  junction get triggers -n default\n  junction get broker default -o yaml\n  junction get brokers,triggers -A -l app=shop')
    .action(async (typeArgument: string, name: string | undefined, options: GetOptions) => {
      const client = connect(options);
      const types = await Promise.all(typeArgument.split(',').filter(Boolean).map((typeName) => resolveType(client, typeName)));
      if (name !== undefined && types.length > 1) throw createError('JUNCTION_BAD_REQUEST', 'a name can only be given with a single resource type');
      if (name !== undefined && options.allNamespaces) throw createError('JUNCTION_BAD_REQUEST', 'a resource cannot be fetched by name across all namespaces; use -n');
      if (options.watch) return watchResources(client, types, name, options);
      if (name !== undefined) return printOne(await client.call<Resource>('GET', resourcePath(types[0], options.namespace, name)), options);
      const lists = await Promise.all(types.map(async (type) => ({ type, items: await listResources(client, type, options) })));
      printLists(lists, options);
    });
}

/** Every resource of a type in the namespace (or all namespaces), filtered by the label selector. */
export async function listResources(client: JunctionClient, type: ResourceType, options: { namespace: string; allNamespaces?: boolean; selector?: string }): Promise<Resource[]> {
  const path = resourcePath(type, options.allNamespaces ? undefined : options.namespace);
  return (await client.call<{ items: Resource[] }>('GET', path, { query: { labelSelector: options.selector } })).items;
}

function printOne(resource: Resource, options: GetOptions): void {
  if (options.output === 'yaml') process.stdout.write(toYaml(resource));
  else if (options.output === 'json') process.stdout.write(toJson(resource));
  else printLists([{ items: [resource] }], options);
}

function printLists(lists: Array<{ items: Resource[] }>, options: GetOptions): void {
  const items = lists.flatMap((list) => list.items);
  if (options.output === 'yaml' || options.output === 'json') {
    const document = { apiVersion: 'v1', kind: 'List', items };
    process.stdout.write(options.output === 'yaml' ? toYaml(document) : toJson(document));
    return;
  }
  if (items.length === 0) {
    process.stderr.write(options.allNamespaces ? 'No resources found\n' : `No resources found in ${options.namespace} namespace.\n`);
    return;
  }
  const tables = lists
    .filter((list) => list.items.length > 0)
    .map((list) => {
      const columns = columnsFor(list.items[0].kind, { wide: options.output === 'wide', allNamespaces: Boolean(options.allNamespaces) });
      return renderTable(
        columns.map((c) => c.header),
        rowsOf(list.items, columns),
      );
    });
  process.stdout.write(`${tables.join('\n\n')}\n`);
}
