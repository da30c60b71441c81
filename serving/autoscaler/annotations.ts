import { parseDurationMs } from '../../core/duration/index.js';
import type { FieldProblem } from '../../core/errors.js';
import type { AutoscalerSettings } from './settings.js';

const PREFIX = 'autoscaling.knative.dev/';
/** Knative's legacy camelCase spellings of some annotations, still accepted. */
const ALIASES: Record<string, string> = { minScale: 'min-scale', maxScale: 'max-scale', initialScale: 'initial-scale', panicWindowPercentage: 'panic-window-percentage', panicThresholdPercentage: 'panic-threshold-percentage', targetUtilizationPercentage: 'target-utilization-percentage', targetBurstCapacity: 'target-burst-capacity' };

/** The KPA's view of one revision: the metric, its targets and windows, after annotations and settings. */
export interface DeciderSpec {
  metric: 'concurrency' | 'rps';
  /** Per replica, after the utilization percentage (what the KPA divides by). */
  targetValue: number;
  /** Per replica, before utilization (a replica's whole capacity, for burst capacity). */
  totalValue: number;
  targetBurstCapacity: number;
  /** Panic threshold as a ratio (200% → 2). */
  panicThreshold: number;
  stableWindowMs: number;
  panicWindowMs: number;
  maxScaleUpRate: number;
  maxScaleDownRate: number;
  scaleDownDelayMs: number;
  activationScale: number;
  minScale: number;
  /** 0 = unbounded. */
  maxScale: number;
  initialScale: number;
  scaleToZeroPodRetentionPeriodMs: number;
}

/** The smallest target Knative allows (autoscaling.TargetMin). */
const TARGET_MIN = 0.01;

/** `autoscaling.knative.dev/<name>` from annotations (legacy camelCase too), or undefined. */
function annotation(annotations: Readonly<Record<string, string>>, name: string): string | undefined {
  const direct = annotations[`${PREFIX}${name}`];
  if (direct !== undefined) return direct;
  for (const [legacy, modern] of Object.entries(ALIASES)) if (modern === name && annotations[`${PREFIX}${legacy}`] !== undefined) return annotations[`${PREFIX}${legacy}`];
  return undefined;
}

/**
 * The DeciderSpec of a revision: its annotations over the global settings, as Knative resolves them
 * (ResolveMetricTarget: the target is the annotation, else containerConcurrency, else the default;
 * capped by containerConcurrency for the concurrency metric; times the utilization). Bad values are
 * returned as problems (field paths under metadata.annotations) and the setting is used instead.
 */
export function deciderSpec(annotations: Readonly<Record<string, string>>, containerConcurrency: number, settings: AutoscalerSettings): { spec: DeciderSpec; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const number = (name: string, fallback: number, check: (value: number) => boolean, rule: string): number => {
    const text = annotation(annotations, name);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || !check(value)) {
      problems.push({ path: `metadata.annotations.${PREFIX}${name}`, message: `must be ${rule} (got "${text}")` });
      return fallback;
    }
    return value;
  };
  const duration = (name: string, fallback: number, maxMs: number): number => {
    const text = annotation(annotations, name);
    if (text === undefined) return fallback;
    const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : goDuration(text) ?? parseDurationMs(text);
    if (value === undefined || value < 0 || value > maxMs) {
      problems.push({ path: `metadata.annotations.${PREFIX}${name}`, message: `must be a duration such as 30s or 2m, at most ${maxMs / 1000} s (got "${text}")` });
      return fallback;
    }
    return value;
  };
  const metricText = annotation(annotations, 'metric') ?? 'concurrency';
  let metric: DeciderSpec['metric'] = 'concurrency';
  if (metricText === 'rps') metric = 'rps';
  else if (metricText !== 'concurrency') problems.push({ path: `metadata.annotations.${PREFIX}metric`, message: `must be concurrency or rps for the KPA (got "${metricText}")` });

  let total = metric === 'rps' ? settings.requestsPerSecondTargetDefault : containerConcurrency > 0 ? containerConcurrency : settings.containerConcurrencyTargetDefault;
  const target = number('target', Number.NaN, (value) => value >= TARGET_MIN, `a number ≥ ${TARGET_MIN}`);
  if (!Number.isNaN(target)) total = metric === 'concurrency' && containerConcurrency > 0 ? Math.min(target, containerConcurrency) : target;
  const utilization = number('target-utilization-percentage', settings.containerConcurrencyTargetPercentage, (value) => value >= 1 && value <= 100, 'a percentage from 1 to 100') / 100;
  const stableWindowMs = duration('window', settings.stableWindowMs, 3_600_000);
  if (stableWindowMs < 6_000) problems.push({ path: `metadata.annotations.${PREFIX}window`, message: 'must be at least 6s' });
  const panicWindowPercentage = number('panic-window-percentage', settings.panicWindowPercentage, (value) => value >= 1 && value <= 100, 'a percentage from 1 to 100');
  const minScale = number('min-scale', settings.minScale, (value) => Number.isInteger(value) && value >= 0, 'an integer ≥ 0');
  const maxScale = number('max-scale', settings.maxScale, (value) => Number.isInteger(value) && value >= 0, 'an integer ≥ 0');
  if (maxScale > 0 && minScale > maxScale) problems.push({ path: `metadata.annotations.${PREFIX}min-scale`, message: `must not exceed max-scale (${maxScale})` });
  const spec: DeciderSpec = {
    metric,
    targetValue: Math.max(TARGET_MIN, total * utilization),
    totalValue: total,
    targetBurstCapacity: number('target-burst-capacity', settings.targetBurstCapacity, (value) => value >= -1, 'a number ≥ -1 (-1: the activator always stays in the path)'),
    panicThreshold: number('panic-threshold-percentage', settings.panicThresholdPercentage, (value) => value >= 110 && value <= 1000, 'a percentage from 110 to 1000') / 100,
    stableWindowMs: Math.max(6_000, stableWindowMs),
    panicWindowMs: Math.max(1_000, (Math.max(6_000, stableWindowMs) * panicWindowPercentage) / 100),
    maxScaleUpRate: settings.maxScaleUpRate,
    maxScaleDownRate: settings.maxScaleDownRate,
    scaleDownDelayMs: duration('scale-down-delay', 0, 3_600_000),
    activationScale: number('activation-scale', 1, (value) => Number.isInteger(value) && value >= 1, 'an integer ≥ 1'),
    minScale,
    maxScale,
    initialScale: number('initial-scale', settings.initialScale, (value) => Number.isInteger(value) && value >= 0 && (value > 0 || settings.allowZeroInitialScale), settings.allowZeroInitialScale ? 'an integer ≥ 0' : 'an integer ≥ 1 (allow-zero-initial-scale is off)'),
    scaleToZeroPodRetentionPeriodMs: duration('scale-to-zero-pod-retention-period', settings.scaleToZeroPodRetentionPeriodMs, 3_600_000),
  };
  return { spec, problems };
}

/** A Go duration (`30s`, `1m30s`, `500ms`, `1h`) in ms, as Knative's annotations write them. */
export function goDuration(text: string): number | undefined {
  const match = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/.exec(text.trim());
  if (!match || text.trim() === '' || match.slice(1).every((part) => part === undefined)) return undefined;
  const [, h, m, s, ms] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return h! * 3_600_000 + m! * 60_000 + s! * 1000 + ms!;
}
