/** The KPA autoscaler's math: pure (observations and time in, replica counts out), no I/O. */
export { DEFAULT_AUTOSCALER_SETTINGS, type AutoscalerSettings } from './settings.js';
export { deciderSpec, goDuration, type DeciderSpec } from './annotations.js';
export { KpaDecider, type Observation, type ScaleDecision } from './kpa.js';
export { ScaleBounds, type ScaleBoundsSettings } from './bounds.js';
export { TimedBuckets, MaxWindow } from './timed-buckets.js';
