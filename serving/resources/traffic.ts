import type { FieldProblem } from '../../core/errors.js';

/** One `spec.traffic[]` entry (Knative's TrafficTarget). */
export interface TrafficTarget {
  revisionName?: string;
  latestRevision?: boolean;
  configurationName?: string;
  percent?: number;
  tag?: string;
}

/** A traffic entry resolved to a Revision (Route and Service `status.traffic[]`). */
export interface ResolvedTraffic {
  revisionName: string;
  latestRevision: boolean;
  percent: number;
  tag?: string;
}

const TAG = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Knative's default: all traffic to the latest ready revision. */
export const DEFAULT_TRAFFIC: readonly TrafficTarget[] = [{ latestRevision: true, percent: 100 }];

/**
 * The problems of `spec.traffic` at `path`: each entry names a revision or `latestRevision: true`
 * (not both), percents are integers 0–100 summing to 100 (entries that only carry a tag may omit
 * theirs), tags are DNS labels and unique.
 */
export function validateTraffic(traffic: unknown, path = 'spec.traffic'): FieldProblem[] {
  if (traffic === undefined) return [];
  if (!Array.isArray(traffic)) return [{ path, message: 'must be a list' }];
  const problems: FieldProblem[] = [];
  let sum = 0;
  const tags = new Set<string>();
  traffic.forEach((entry: TrafficTarget, index: number) => {
    const at = `${path}[${index}]`;
    const named = typeof entry?.revisionName === 'string' && entry.revisionName !== '';
    if (named && entry.latestRevision === true) problems.push({ path: at, message: 'names a revisionName and latestRevision: true; choose one' });
    if (!named && entry?.latestRevision !== true) problems.push({ path: at, message: 'needs revisionName or latestRevision: true' });
    if (entry?.percent !== undefined) {
      if (!Number.isInteger(entry.percent) || entry.percent < 0 || entry.percent > 100) problems.push({ path: `${at}.percent`, message: 'must be an integer from 0 to 100' });
      else sum += entry.percent;
    }
    if (entry?.tag !== undefined) {
      if (typeof entry.tag !== 'string' || !TAG.test(entry.tag) || entry.tag.length > 63) problems.push({ path: `${at}.tag`, message: 'must be a DNS label (lower-case letters, digits, -)' });
      else if (tags.has(entry.tag)) problems.push({ path: `${at}.tag`, message: `tag "${entry.tag}" is used twice` });
      else tags.add(entry.tag);
    }
  });
  if (traffic.length > 0 && sum !== 100) problems.push({ path, message: `percents must add up to 100 (they add up to ${sum})` });
  return problems;
}

/**
 * Resolves traffic against what exists: `latestRevision` → the latest ready revision, named
 * revisions must exist. Returns the resolved entries, or the reason it cannot route yet.
 */
export function resolveTraffic(traffic: readonly TrafficTarget[], latestReady: string | undefined, exists: (revision: string) => boolean): { traffic: ResolvedTraffic[] } | { reason: string; message: string } {
  const resolved: ResolvedTraffic[] = [];
  for (const entry of traffic) {
    const revision = entry.latestRevision === true ? latestReady : entry.revisionName;
    if (revision === undefined) return { reason: 'RevisionMissing', message: 'no revision is ready yet for latestRevision traffic' };
    if (!exists(revision)) return { reason: 'RevisionMissing', message: `revision "${revision}" referenced in traffic not found` };
    resolved.push({ revisionName: revision, latestRevision: entry.latestRevision === true, percent: entry.percent ?? 0, ...(entry.tag !== undefined ? { tag: entry.tag } : {}) });
  }
  return { traffic: resolved };
}
