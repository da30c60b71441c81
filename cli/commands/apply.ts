import type { Command } from 'commander';
import { createError, isJunctionError } from '../../core/errors.js';
import { REDACTED_ANNOTATION, type Resource } from '../../core/resources/index.js';
import type { JunctionClient } from '../client.js';
import { errorLine } from '../output/format.js';
import { connect, withConnectionOptions, withNamespaceOption, type ConnectionOptions } from './connection.js';
import { readManifests } from './documents.js';
import { refOf } from './object-ref.js';
import { qualifiedName } from './resource-types.js';

type ApplyOptions = ConnectionOptions & { filename: string[]; namespace: string; fieldValidation?: string };

/** Collects a repeatable option into a list. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `junction apply -f`: creates or replaces every document (PUT), reporting created / configured / unchanged like kubectl. */
export function registerApply(program: Command): void {
  const command = program
    .command('apply')
    .description('create or update resources from YAML/JSON manifests (multi-document, Knative YAML as is)')
    .requiredOption('-f, --filename <path>', 'manifest file, directory (*.yaml, *.yml, *.json) or - for stdin; repeatable', collect)
    .option('--field-validation <mode>', 'unknown fields: Warn (prune them and print a warning, the default), Strict (refuse the document) or Ignore (prune silently)');
  withNamespaceOption(command, 'namespace for documents without metadata.namespace');
  withConnectionOptions(command)
    .addHelpText('after', '\nExamples:\n  junction apply -f examples/quickstart.yaml\n  junction apply -f config/ -n team-a\n  junction export -A | junction apply -f -')
    .action(async (options: ApplyOptions) => {
      const documents = readManifests(options.filename);
      const client = connect(options);
      for (const { document, source } of documents) {
        try {
          process.stdout.write(`${await applyOne(client, document, options.namespace, source, options.fieldValidation)}\n`);
        } catch (error) {
          if (isJunctionError(error, 'JUNCTION_SERVER_UNREACHABLE')) throw error;
          process.stderr.write(`junction: ${errorLine(error)}\n`);
          process.exitCode = 1;
        }
      }
    });
}

/** Applies one document; returns kubectl's line (`broker.eventing.knative.dev/default created`). */
export async function applyOne(
  client: JunctionClient,
  document: Record<string, unknown>,
  namespaceDefault: string,
  source: string,
  fieldValidation?: string,
): Promise<string> {
  const ref = refOf(document, namespaceDefault, source);
  const before = await client.call<Resource>('GET', ref.path).catch((error: unknown) => {
    if (isJunctionError(error, 'JUNCTION_RESOURCE_NOT_FOUND')) return undefined;
    // The server names the URL's plural; the user wrote a kind.
    if (isJunctionError(error, 'JUNCTION_KIND_UNKNOWN')) throw createError('JUNCTION_KIND_UNKNOWN', `unknown kind ${ref.type.kind} in ${String(document.apiVersion)} (${source})`);
    throw error;
  });
  const metadata: Record<string, unknown> = { ...(document.metadata as Record<string, unknown>), namespace: ref.namespace };
  // kubectl's form for what the server pruned: `Warning: unknown field "spec.foo"`.
  const onWarning = (text: string) => process.stderr.write(`Warning: ${text} (${qualifiedName(ref.type)}/${ref.name}, ${source})\n`);
  const after = await client.call<Resource>('PUT', ref.path, { body: { ...document, metadata }, query: { fieldValidation }, onWarning });
  let verdict = 'configured';
  if (!before) verdict = 'created';
  else if (before.metadata.generation === after.metadata.generation && JSON.stringify(before.metadata.labels ?? {}) === JSON.stringify(after.metadata.labels ?? {})) {
    verdict = 'unchanged';
  }
  const redacted = (metadata.annotations as Record<string, string> | undefined)?.[REDACTED_ANNOTATION];
  if (!before && redacted) {
    process.stderr.write(`warning: ${qualifiedName(ref.type)}/${ref.name} was created from a redacted copy: its values are empty; set them with stringData\n`);
  }
  return `${qualifiedName(ref.type)}/${ref.name} ${verdict}`;
}
