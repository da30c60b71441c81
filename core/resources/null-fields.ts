/**
 * Removes every field whose value is null, at any depth, in place: in a Kubernetes manifest a null
 * field (`schema:` with nothing after it) means "not set", exactly like an absent one. Null items
 * of a list are kept (a list item is not an optional field; validation reports it).
 */
export function dropNullFields(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) dropNullFields(item);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const fields = value as Record<string, unknown>;
  for (const [key, field] of Object.entries(fields)) {
    if (field === null) delete fields[key];
    else dropNullFields(field);
  }
}
