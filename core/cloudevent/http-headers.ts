/** HTTP headers as Node and undici hand them over: lower-cased names; repeated headers may be arrays. */
export type HttpHeaders = Record<string, string | string[] | undefined>;

/** The Content-Type header's value (the first, if repeated); looked up case-insensitively. */
export function contentTypeHeader(headers: HttpHeaders): string | undefined {
  const value = headers['content-type'] ?? findCaseInsensitive(headers, 'content-type');
  return Array.isArray(value) ? value[0] : value;
}

/** True when a header name starts with the binding's `ce-` prefix, in any letter case. */
export function isCeHeader(name: string): boolean {
  return (
    name.length > 3 &&
    (name.charCodeAt(0) | 0x20) === 0x63 && // c
    (name.charCodeAt(1) | 0x20) === 0x65 && // e
    name.charCodeAt(2) === 0x2d // -
  );
}

/** True when any header carries a CloudEvents attribute (`ce-*`). */
export function hasCeHeader(headers: HttpHeaders): boolean {
  for (const name in headers) {
    if (isCeHeader(name) && headers[name] !== undefined) return true;
  }
  return false;
}

function findCaseInsensitive(headers: HttpHeaders, lowerCaseName: string): string | string[] | undefined {
  for (const name in headers) {
    if (name.length === lowerCaseName.length && name.toLowerCase() === lowerCaseName) return headers[name];
  }
  return undefined;
}
