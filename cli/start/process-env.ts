/** What a process Junction runs (a ContainerSource, later a Service) inherits of Junction's own environment. */
const INHERITED = ['PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY'];

/**
 * The environment supervised processes start from, read once at start: enough to find commands and
 * run as the user (PATH, HOME, locale, proxies), none of Junction's own settings or secrets; the
 * resource's `env` is added on top.
 */
export function inheritedProcessEnv(environment: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = environment[name];
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}
