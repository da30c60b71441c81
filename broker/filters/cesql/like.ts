/** One `%`-free piece of a LIKE pattern: code points, with null standing for `_` (any one character). */
type Segment = (string | null)[];

const surrogates = /[\uD800-\uDFFF]/;

/**
 * Splits a LIKE pattern (spec 3.4.3) at its unescaped `%`: `_` is any one character, `\%` and `\_`
 * are the characters themselves, and every other character (a lone `\` included) is itself.
 */
function segmentsOf(pattern: string): Segment[] {
  const segments: Segment[] = [[]];
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i];
    const current = segments[segments.length - 1];
    if (char === '\\' && (chars[i + 1] === '%' || chars[i + 1] === '_')) current.push(chars[++i]);
    else if (char === '%') segments.push([]);
    else current.push(char === '_' ? null : char);
  }
  return segments;
}

/** True when `segment` matches `text` (a string or an array of code points) at `at`. */
function matchesAt(text: ArrayLike<string>, at: number, segment: Segment): boolean {
  if (at < 0 || at + segment.length > text.length) return false;
  for (let j = 0; j < segment.length; j++) {
    const expected = segment[j];
    if (expected !== null && text[at + j] !== expected) return false;
  }
  return true;
}

/**
 * Wildcard match without backtracking blow-up: the first piece anchors at the start, the last at
 * the end, and each middle piece takes its leftmost place (optimal for `%`-only wildcards), so the
 * cost is at most text length × pattern length whatever the pattern.
 */
function matchSegments(text: ArrayLike<string>, segments: Segment[]): boolean {
  const first = segments[0];
  if (segments.length === 1) return text.length === first.length && matchesAt(text, 0, first);
  const last = segments[segments.length - 1];
  let start = first.length;
  const end = text.length - last.length;
  if (end < start || !matchesAt(text, 0, first) || !matchesAt(text, end, last)) return false;
  for (let s = 1; s < segments.length - 1; s++) {
    const segment = segments[s];
    let at = start;
    while (at + segment.length <= end && !matchesAt(text, at, segment)) at++;
    if (at + segment.length > end) return false;
    start = at + segment.length;
  }
  return true;
}

/**
 * Compiles a LIKE pattern once into a matcher. Patterns without `_` (the common `prefix%`,
 * `%suffix`, `%part%`) become plain string searches; patterns with `_` count Unicode characters,
 * so `_` matches one character even outside the Basic Multilingual Plane.
 */
export function compileLike(pattern: string): (text: string) => boolean {
  const segments = segmentsOf(pattern);
  if (segments.every((segment) => !segment.includes(null))) {
    const pieces = segments.map((segment) => segment.join(''));
    if (pieces.length === 1) return (text) => text === pieces[0];
    const [first, last] = [pieces[0], pieces[pieces.length - 1]];
    const middle = pieces.slice(1, -1).filter((piece) => piece !== '');
    const minimum = first.length + last.length;
    if (middle.length === 0) {
      if (last === '') return (text) => text.startsWith(first);
      if (first === '') return (text) => text.endsWith(last);
      return (text) => text.length >= minimum && text.startsWith(first) && text.endsWith(last);
    }
    return (text) => {
      if (text.length < minimum || !text.startsWith(first) || !text.endsWith(last)) return false;
      let start = first.length;
      const end = text.length - last.length;
      for (const piece of middle) {
        const found = text.indexOf(piece, start);
        if (found < 0 || found + piece.length > end) return false;
        start = found + piece.length;
      }
      return true;
    };
  }
  return (text) => matchSegments(surrogates.test(text) ? Array.from(text) : text, segments);
}
