import { createError, type FieldProblem } from '../../core/errors.js';
import { resourcePath, typeOfDocument, type ResourceType } from './resource-types.js';

/** Where one document lives in the API: its type, namespace, name and URL path. */
export interface ObjectRef {
  type: ResourceType;
  namespace: string;
  name: string;
  path: string;
}

/** The object a document names; its own metadata.namespace wins over `namespaceDefault` (the -n flag). */
export function refOf(document: Record<string, unknown>, namespaceDefault: string, source: string): ObjectRef {
  const metadata = (typeof document.metadata === 'object' && document.metadata !== null ? document.metadata : {}) as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  if (typeof document.apiVersion !== 'string' || document.apiVersion === '') problems.push({ path: 'apiVersion', message: 'required field is missing' });
  if (typeof document.kind !== 'string' || document.kind === '') problems.push({ path: 'kind', message: 'required field is missing' });
  if (typeof metadata.name !== 'string' || metadata.name === '') problems.push({ path: 'metadata.name', message: 'required field is missing' });
  if (problems.length > 0) throw createError('JUNCTION_RESOURCE_INVALID', `${source} is invalid`, { problems });
  const type = typeOfDocument(document.apiVersion as string, document.kind as string);
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : namespaceDefault;
  const name = metadata.name as string;
  return { type, namespace, name, path: resourcePath(type, namespace, name) };
}
