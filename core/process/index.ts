/** Supervised local processes: spawn, logs, readiness, restart with backoff, graceful stop. */
export { ProcessSupervisor, describeExit, type ProcessSpec, type ProcessExit, type ProcessPhase, type ProcessState, type SupervisorOptions } from './supervisor.js';
export { LogBuffer, ProcessLogs, MAX_LINE_BYTES, type LogLine, type LogBufferLimits } from './log-buffer.js';
export { probeOnce, type ReadinessProbe } from './readiness.js';
