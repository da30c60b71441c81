import { createError } from '../errors.js';

type Requirement =
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'in' | 'notin'; values: Set<string> };

/** A compiled Kubernetes label selector (`a=b,c!=d,e,!f,g in (x,y),h notin (z)`). */
export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

/** Parses a label selector; throws JUNCTION_BAD_REQUEST on a malformed one. */
export function parseLabelSelector(selector: string | undefined): LabelMatcher {
  if (!selector || selector.trim() === '') return () => true;
  const requirements: Requirement[] = [];
  for (const part of splitTopLevel(selector)) {
    const text = part.trim();
    let match: RegExpMatchArray | null;
    if ((match = text.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const values = new Set(match[3].split(',').map((v) => v.trim()).filter((v) => v !== ''));
      requirements.push({ key: match[1], op: match[2] as 'in' | 'notin', values });
    } else if ((match = text.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/))) {
      requirements.push({ key: match[1], op: match[2] === '!=' ? 'notin' : 'in', values: new Set([match[3]]) });
    } else if ((match = text.match(/^!\s*([\w./-]+)$/))) {
      requirements.push({ key: match[1], op: 'notexists' });
    } else if ((match = text.match(/^([\w./-]+)$/))) {
      requirements.push({ key: match[1], op: 'exists' });
    } else {
      throw createError('JUNCTION_BAD_REQUEST', `invalid label selector "${selector}" near "${text}"`);
    }
  }
  return (labels) => requirements.every((r) => matches(r, labels ?? {}));
}

function matches(requirement: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  switch (requirement.op) {
    case 'exists':
      return has;
    case 'notexists':
      return !has;
    case 'in':
      return has && requirement.values.has(labels[requirement.key]);
    case 'notin':
      return !has || !requirement.values.has(labels[requirement.key]);
  }
}

function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}
