/** The process serving backend: revisions as supervised local processes. */
export { ProcessBackend, type ProcessBackendOptions } from './process-backend.js';
