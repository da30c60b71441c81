/** Knative's default domain for Junction: `http://hello.default.localhost:8080` resolves to loopback in browsers and curl. */
export const DEFAULT_DOMAIN = 'localhost';

/** The Revision a Configuration's generation creates: `<config>-00001` (or the template's own `metadata.name`). */
export function revisionName(configuration: string, generation: number, templateName?: string): string {
  if (templateName !== undefined && templateName !== '') return templateName;
  return `${configuration}-${String(generation).padStart(5, '0')}`;
}

/** `<service>.<namespace>.<domain>`, or `<tag>-<service>.<namespace>.<domain>` for a traffic tag. */
export function serviceHost(service: string, namespace: string, domain = DEFAULT_DOMAIN, tag?: string): string {
  return `${tag === undefined ? '' : `${tag}-`}${service}.${namespace}.${domain}`;
}

/** The Service (and tag) a Host header names, if it is one of this domain's: the router's first step. */
export function parseServiceHost(host: string, domain = DEFAULT_DOMAIN): { service: string; namespace: string } | undefined {
  const hostname = host.replace(/:\d+$/, '').toLowerCase();
  const suffix = `.${domain}`;
  if (!hostname.endsWith(suffix)) return undefined;
  const labels = hostname.slice(0, -suffix.length).split('.');
  if (labels.length !== 2 || labels.some((label) => label === '')) return undefined;
  return { service: labels[0]!, namespace: labels[1]! };
}
