import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createError } from '../../core/errors.js';
import { ALL_NAMESPACES, type Role, type TokenInfo, type TokenStore } from './tokens.js';

/** What a request wants to do, mapped to the role it needs; `scrape` is reading `/metrics`. */
export type Action = 'ingest' | 'read' | 'write' | 'scrape';

const allowed: Record<Role, Action[]> = { ingest: ['ingest'], read: ['read'], admin: ['ingest', 'read', 'write', 'scrape'], metrics: ['scrape'] };

/**
 * Decides per request: with auth on, a bearer token of the namespace (or a cluster admin token)
 * with a role that allows the action; a token never reaches another namespace.
 */
export class Authorizer {
  /** Per-namespace ingest tokens Junction uses to deliver to its own ingress; in memory only. */
  private readonly internal = new Map<string, string>();
  private readonly internalByToken = new Map<string, string>();

  constructor(
    private readonly tokens: TokenStore,
    readonly enabled: boolean,
  ) {}

  /**
   * The token Junction itself sends when a delivery of `namespace` (a flow's step, a reply, a dead
   * letter) targets Junction's own ingress: it may only ingest into that same namespace, is never
   * stored and changes at every start. Undefined when auth is off.
   */
  internalToken(namespace: string): string | undefined {
    if (!this.enabled) return undefined;
    let token = this.internal.get(namespace);
    if (!token) {
      token = `internal.${randomBytes(32).toString('base64url')}`;
      this.internal.set(namespace, token);
      this.internalByToken.set(token, namespace);
    }
    return token;
  }

  /** Throws 401 unless `authorization` carries a valid token (any namespace, any role): what discovery needs. */
  authenticate(authorization: string | undefined): TokenInfo | undefined {
    if (!this.enabled) return undefined;
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    const info = token ? (this.verifyInternal(token) ?? this.tokens.verify(token)) : undefined;
    if (!info) throw createError('JUNCTION_UNAUTHENTICATED', 'a valid bearer token is required (Authorization: Bearer …)', { headers: { 'www-authenticate': 'Bearer realm="junction"' } });
    return info;
  }

  /** Throws 401/403 catalog errors unless `authorization` allows `action` in `namespace` (undefined: all namespaces). */
  check(authorization: string | undefined, namespace: string | undefined, action: Action): TokenInfo | undefined {
    const info = this.authenticate(authorization);
    if (!info) return undefined;
    const scopeOk = info.namespace === ALL_NAMESPACES || (namespace !== undefined && info.namespace === namespace);
    if (!scopeOk) throw createError('JUNCTION_FORBIDDEN', namespace === undefined ? 'this token cannot act across namespaces' : `this token is not valid for namespace ${namespace}`);
    if (!allowed[info.role].includes(action)) throw createError('JUNCTION_FORBIDDEN', `role ${info.role} does not allow ${action}`);
    return info;
  }

  /**
   * Calls `onRevoked` once when the token `info` stands for is revoked, so long-lived requests
   * (watches) end with it; nothing happens for auth off or Junction's internal tokens. Returns the unsubscribe.
   */
  whenRevoked(info: TokenInfo | undefined, onRevoked: () => void): () => void {
    if (!info || info.id === 'internal') return () => undefined;
    const unsubscribe = this.tokens.onRevoke((id) => {
      if (id !== info.id) return;
      unsubscribe();
      onRevoked();
    });
    return unsubscribe;
  }

  private verifyInternal(token: string): TokenInfo | undefined {
    const namespace = this.internalByToken.get(token);
    const expected = namespace === undefined ? undefined : this.internal.get(namespace);
    if (namespace === undefined || expected === undefined) return undefined;
    const a = Buffer.from(token);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
    return { id: 'internal', namespace, role: 'ingest', description: 'Junction delivering to its own ingress', createdAt: '' };
  }
}
