/** The segments of an ajv instance path (a JSON pointer such as `/spec/steps/0`), unescaped. */
export function pointerSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.split('/').slice(1).map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** Field path as users read it (`spec.steps[0].foo`, as Knative's apis.FieldError writes it) from path segments. */
export function fieldPath(segments: readonly string[]): string {
  return segments.reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment), '');
}
