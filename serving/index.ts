/** The serving module's public API (so far: the autoscaler's math, the resource shapes, the backend and router contracts). */
export * from './autoscaler/index.js';
export * from './resources/index.js';
export type { ServingBackend, RevisionWorkload, Replica, RevisionState } from './backends/backend.js';
export * from './router/index.js';
export { ProcessBackend, type ProcessBackendOptions } from './backends/process/index.js';
