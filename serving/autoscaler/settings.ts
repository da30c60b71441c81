/**
 * The autoscaler's global settings (Knative's config-autoscaler), with Knative's defaults. Durations
 * in ms, percentages as Knative writes them (70 = 70%).
 */
export interface AutoscalerSettings {
  containerConcurrencyTargetPercentage: number;
  containerConcurrencyTargetDefault: number;
  requestsPerSecondTargetDefault: number;
  targetBurstCapacity: number;
  stableWindowMs: number;
  panicWindowPercentage: number;
  panicThresholdPercentage: number;
  maxScaleUpRate: number;
  maxScaleDownRate: number;
  scaleToZeroGracePeriodMs: number;
  scaleToZeroPodRetentionPeriodMs: number;
  initialScale: number;
  allowZeroInitialScale: boolean;
  enableScaleToZero: boolean;
  minScale: number;
  maxScale: number;
  tickIntervalMs: number;
}

/** Knative's defaults (serving's config-autoscaler ConfigMap). */
export const DEFAULT_AUTOSCALER_SETTINGS: Readonly<AutoscalerSettings> = Object.freeze({
  containerConcurrencyTargetPercentage: 70,
  containerConcurrencyTargetDefault: 100,
  requestsPerSecondTargetDefault: 200,
  targetBurstCapacity: 211,
  stableWindowMs: 60_000,
  panicWindowPercentage: 10,
  panicThresholdPercentage: 200,
  maxScaleUpRate: 1000,
  maxScaleDownRate: 2,
  scaleToZeroGracePeriodMs: 30_000,
  scaleToZeroPodRetentionPeriodMs: 0,
  initialScale: 1,
  allowZeroInitialScale: false,
  enableScaleToZero: true,
  minScale: 0,
  maxScale: 0,
  tickIntervalMs: 2_000,
});
