import type { Command } from 'commander';
import { createError } from '../../core/errors.js';
import type { JunctionClient } from '../client.js';
import { connect, withConnectionOptions, withNamespaceOption, type ConnectionOptions } from './connection.js';
import { resolveType } from './discovery.js';

interface LogsOptions extends ConnectionOptions {
  namespace: string;
  follow?: boolean;
  tail?: string;
  timestamps?: boolean;
}

/** `junction logs`: the output of a process Junction runs for a resource (a ContainerSource; later a Service). */
export function registerLogs(program: Command): void {
  const command = program
    .command('logs')
    .description('print the output of the process a resource runs (ContainerSource), as kubectl logs does for a pod')
    .argument('<resource>', 'TYPE/NAME, or NAME when only one resource of that name has logs')
    .argument('[name]', 'NAME, when the first argument is the TYPE')
    .option('-f, --follow', 'keep printing new lines until interrupted')
    .option('--tail <lines>', 'print only the last N lines first')
    .option('--timestamps', 'prefix each line with its time and stream (stdout, stderr, junction)')
    .addHelpText('after', '\nExamples:\n  junction logs containersource heartbeat -f\n  junction logs containersources/heartbeat --tail 20\n  junction logs heartbeat -n team-a');
  withNamespaceOption(withConnectionOptions(command)).action(async (resource: string, name: string | undefined, options: LogsOptions) => {
    const client = connect(options);
    const target = await logTarget(client, options.namespace, resource, name);
    if (options.tail !== undefined && !/^\d+$/.test(options.tail)) throw createError('JUNCTION_CLI_USAGE', `--tail must be a number of lines (got "${options.tail}")`);
    const query = { tailLines: options.tail, follow: options.follow ? 'true' : undefined, timestamps: options.timestamps ? 'true' : undefined };
    await client.stream(`/apis/junction.dev/v1/namespaces/${encodeURIComponent(options.namespace)}/logs/${target}`, query, (text) => process.stdout.write(text));
  });
}

/** `<plural>/<name>` of what the user named: TYPE NAME, TYPE/NAME, or a NAME that only one resource with logs has. */
async function logTarget(client: JunctionClient, namespace: string, first: string, second: string | undefined): Promise<string> {
  const [type, name] = second !== undefined ? [first, second] : first.includes('/') ? (first.split('/', 2) as [string, string]) : [undefined, first];
  if (type !== undefined) return `${(await resolveType(client, type)).plural}/${encodeURIComponent(name)}`;
  const { items } = await client.call<{ items: Array<{ resource: string }> }>('GET', `/apis/junction.dev/v1/namespaces/${encodeURIComponent(namespace)}/logs`);
  const matching = items.map((item) => item.resource).filter((resource) => resource.endsWith(`/${name}`));
  if (matching.length === 1) return matching[0]!;
  if (matching.length === 0) throw createError('JUNCTION_RESOURCE_NOT_FOUND', `nothing named ${name} has logs in namespace ${namespace}`);
  throw createError('JUNCTION_CLI_USAGE', `several resources named ${name} have logs (${matching.join(', ')}): name the type, e.g. junction logs ${matching[0]}`);
}
