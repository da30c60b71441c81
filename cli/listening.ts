import { InvalidArgumentError } from 'commander';
import { createError, type JunctionError } from '../core/errors.js';

/** Commander parser of a `--…-port` value (0–65535, 0 picks a free port); a bad one is a usage error. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError(`invalid port "${value}" (0-65535)`);
  return port;
}

/**
 * The catalog error for a server that could not listen (address in use, not allowed, not local):
 * JUNCTION_CONFIG_INVALID naming the address, since a flag or setting chose it; other errors unchanged.
 */
export function listenFailure(error: unknown, address: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') return error;
  const why = code === 'EADDRINUSE' ? 'the address is in use' : code === 'EACCES' ? 'permission denied' : 'not an address of this machine';
  const failure: JunctionError = createError('JUNCTION_CONFIG_INVALID', `cannot listen on ${address}: ${why} (${code})`, { cause: error });
  return failure;
}
