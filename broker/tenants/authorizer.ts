import { createError } from '../../core/errors.js';
import { ALL_NAMESPACES, type Role, type TokenInfo, type TokenStore } from './tokens.js';

/** What a request wants to do, mapped to the role it needs. */
export type Action = 'ingest' | 'read' | 'write';

const allowed: Record<Role, Action[]> = { ingest: ['ingest'], read: ['read'], admin: ['ingest', 'read', 'write'] };

/**
 * Decides per request: with auth on, a bearer token of the namespace (or a cluster admin token)
 * with a role that allows the action; a token never reaches another namespace.
 */
export class Authorizer {
  constructor(
    private readonly tokens: TokenStore,
    readonly enabled: boolean,
  ) {}

  /** Throws 401/403 catalog errors unless `authorization` allows `action` in `namespace` (undefined: all namespaces). */
  check(authorization: string | undefined, namespace: string | undefined, action: Action): TokenInfo | undefined {
    if (!this.enabled) return undefined;
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    const info = token ? this.tokens.verify(token) : undefined;
    if (!info) {
      throw createError('JUNCTION_UNAUTHENTICATED', 'a valid bearer token is required (Authorization: Bearer …)', { headers: { 'www-authenticate': 'Bearer realm="junction"' } });
    }
    const scopeOk = info.namespace === ALL_NAMESPACES || (namespace !== undefined && info.namespace === namespace);
    if (!scopeOk) throw createError('JUNCTION_FORBIDDEN', namespace === undefined ? 'this token cannot act across namespaces' : `this token is not valid for namespace ${namespace}`);
    if (!allowed[info.role].includes(action)) throw createError('JUNCTION_FORBIDDEN', `role ${info.role} does not allow ${action}`);
    return info;
  }
}
