import { createError } from '../../core/errors.js';
import type { Resource } from '../../core/resources/index.js';
import type { JunctionClient } from '../client.js';
import { columnsFor } from '../output/columns.js';
import { toJson, toYaml } from '../output/format.js';
import { formatRow } from '../output/table.js';
import type { ListOptions } from './list-options.js';
import { resourcePath, type ResourceType } from './resource-types.js';

/** `get -w`: prints the current resources, then every change, until interrupted (the server streams NDJSON watch events). */
export async function watchResources(client: JunctionClient, types: ResourceType[], name: string | undefined, options: ListOptions): Promise<void> {
  if (types.length !== 1) throw createError('JUNCTION_BAD_REQUEST', 'watch one resource type at a time');
  const [type] = types;
  const columns = columnsFor(type.kind, { wide: options.output === 'wide', allNamespaces: Boolean(options.allNamespaces) });
  let widths: number[] | undefined;
  const path = resourcePath(type, options.allNamespaces ? undefined : options.namespace);
  await client.watch(path, { labelSelector: options.selector }, (line) => {
    const { object } = line as { type: string; object: Resource };
    if (name !== undefined && object.metadata.name !== name) return;
    if (options.output === 'yaml') return void process.stdout.write(`---\n${toYaml(object)}`);
    if (options.output === 'json') return void process.stdout.write(toJson(object));
    const cells = columns.map((c) => c.cell(object));
    if (!widths) {
      widths = columns.map((c, i) => Math.max(c.header.length, cells[i].length));
      process.stdout.write(`${formatRow(columns.map((c) => c.header), widths)}\n`);
    }
    widths = widths.map((width, i) => Math.max(width, cells[i].length));
    process.stdout.write(`${formatRow(cells, widths)}\n`);
  });
}
