const TOKEN_KEY = 'junction.dashboard.token';

/** An answer other than 2xx, with the problem document (RFC 9457) when the server sent one. */
export class ApiError extends Error {
  constructor(status, problem) {
    const code = problem?.code ?? (status === 0 ? 'UNREACHABLE' : `HTTP ${status}`);
    super(`${code}: ${problem?.detail ?? problem?.title ?? 'no details'}`);
    this.status = status;
    this.code = code;
    this.detail = problem?.detail ?? '';
  }
}

/** The token of this tab (sessionStorage), or '' when there is none. */
export function savedToken() {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** Keeps `token` for this tab only. */
export function saveToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

/** Forgets the token (sign out, or the server stopped accepting it). */
export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** GETs JSON from this Junction with the tab's bearer token; throws ApiError on any failure. */
export async function getJson(path) {
  const headers = { accept: 'application/json' };
  const token = savedToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, { headers, cache: 'no-store' });
  } catch {
    throw new ApiError(0, { detail: 'Junction cannot be reached' });
  }
  const text = await response.text();
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}
