/** A broker or channel of this Junction, named by the URL of its ingress. */
export interface IngressTarget {
  kind: 'broker' | 'channel';
  namespace: string;
  name: string;
}

/**
 * The broker (`/<ns>/<broker>`) or channel (`/channels/<ns>/<name>`) that `url` addresses on this
 * Junction's ingress at `ownOrigin`, or undefined for any other URL (another host, another
 * route such as `/sources/…`, a path HTTP ingress would not route). The query is ignored, as the
 * router ignores it.
 */
export function ownIngressTarget(url: URL | string, ownOrigin: string): IngressTarget | undefined {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return undefined;
  }
  if (parsed.origin !== ownOrigin) return undefined;
  const segments = parsed.pathname.split('/').slice(1).map(decodeSegment);
  if (segments.some((segment) => segment === undefined || segment === '')) return undefined;
  const [first, second, third] = segments as string[];
  if (segments.length === 2) return { kind: 'broker', namespace: first, name: second };
  if (segments.length === 3 && first === 'channels') return { kind: 'channel', namespace: second, name: third };
  return undefined;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
