import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createError } from '../../core/errors.js';

/** One document read from a manifest, with where it came from (for messages). */
export interface ManifestDocument {
  document: Record<string, unknown>;
  source: string;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Reads every document of the given files, directories (their *.yaml, *.yml, *.json, sorted) or `-`
 * (stdin): multi-document YAML, empty documents skipped, `kind: List` flattened into its items.
 * A file that cannot be read or parsed fails the whole read, before anything is applied.
 */
export function readManifests(paths: string[], stdin: () => string = () => readFileSync(0, 'utf8')): ManifestDocument[] {
  const documents: ManifestDocument[] = [];
  for (const path of paths) {
    for (const file of expand(path)) documents.push(...parseManifest(file === '-' ? stdin() : readText(file), file === '-' ? '<stdin>' : file));
  }
  return documents;
}

/** Parses one manifest text; `source` names it in messages. */
export function parseManifest(text: string, source: string): ManifestDocument[] {
  const documents: ManifestDocument[] = [];
  parseAllDocuments(text).forEach((parsed, index) => {
    const error = parsed.errors[0];
    if (error) {
      const where = error.linePos?.[0] ? `${source}:${error.linePos[0].line}:${error.linePos[0].col}` : source;
      throw createError('JUNCTION_BAD_REQUEST', `cannot parse ${source}`, { problems: [{ path: where, message: error.message.split('\n')[0] }] });
    }
    flatten(toJs(parsed, source, `${source}#${index + 1}`), `${source}#${index + 1}`, documents);
  });
  return documents;
}

/** The document's value; a document the yaml library refuses to expand (an alias bomb) is a parse error too. */
function toJs(parsed: ReturnType<typeof parseAllDocuments>[number], source: string, where: string): unknown {
  try {
    return parsed.toJS() as unknown;
  } catch (error) {
    throw createError('JUNCTION_BAD_REQUEST', `cannot parse ${source}`, { problems: [{ path: where, message: (error as Error).message.split('\n')[0] }] });
  }
}

function flatten(value: unknown, source: string, into: ManifestDocument[]): void {
  if (value === null || value === undefined) return;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw createError('JUNCTION_RESOURCE_INVALID', `${source} is not a resource`, { problems: [{ path: '(root)', message: 'must be a mapping with apiVersion, kind and metadata' }] });
  }
  const document = value as Record<string, unknown>;
  if (typeof document.kind === 'string' && document.kind.endsWith('List') && Array.isArray(document.items)) {
    document.items.forEach((item, index) => flatten(item, `${source}.items[${index}]`, into));
    return;
  }
  into.push({ document, source });
}

function expand(path: string): string[] {
  if (path === '-') return [path];
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (error) {
    throw createError('JUNCTION_BAD_REQUEST', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!isDirectory) return [path];
  return readdirSync(path)
    .filter((name) => MANIFEST_EXTENSIONS.has(extname(name).toLowerCase()))
    .sort()
    .map((name) => join(path, name))
    .filter((file) => statSync(file).isFile());
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw createError('JUNCTION_BAD_REQUEST', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
