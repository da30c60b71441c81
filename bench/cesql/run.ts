/**
 * CESQL benchmark: nanoseconds per evaluation of typical filter expressions, compiled once versus
 * parsed and compiled again for every event. Run with `npm run bench:cesql` (or
 * `node dist/bench/cesql/run.js` after `npm run build`).
 */
import type { CloudEvent } from '../../core/cloudevent/types.js';
import { compileTriggerFilter } from '../../broker/filters/index.js';
import { compile, evaluate } from '../../broker/filters/cesql/index.js';

const expressions: Array<[string, string]> = [
  ['LIKE + equality', "type LIKE 'com.example.%' AND source = 'x'"],
  ['arithmetic', '(seq * 3 + 7) % 5 = 2 AND seq / 2 > 10 AND -seq < 0'],
  ['IN list of 20', `region IN (${Array.from({ length: 20 }, (_, i) => `'region-${i}'`).join(', ')})`],
  ['function calls', "LOWER(subject) LIKE '%urgent%' AND LENGTH(id) > 3 AND SUBSTRING(type, 1, 3) = 'com'"],
  ['missing attribute (error path)', "nothere = 'x' OR type LIKE 'com.%'"],
];

/** 1,000 distinct events, as the broker holds them (JSON-format attributes). */
function buildEvents(): Record<string, unknown>[] {
  return Array.from({ length: 1000 }, (_, i) => ({
    specversion: '1.0',
    id: `event-${i}`,
    source: i % 3 === 0 ? 'x' : `/source/${i % 7}`,
    type: i % 2 === 0 ? `com.example.order.${i % 5}` : `org.other.${i % 5}`,
    subject: i % 4 === 0 ? `URGENT order ${i}` : `order ${i}`,
    seq: i % 2 === 0 ? i : String(i),
    region: `region-${i % 40}`,
    data: { n: i },
  }));
}

/** Runs `iterations` evaluations; returns ns per evaluation and how many were true (so nothing is optimised away). */
function time(iterations: number, events: Record<string, unknown>[], once: (event: Record<string, unknown>) => unknown): { ns: number; hits: number } {
  let hits = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) if (once(events[i % events.length]) === true) hits++;
  return { ns: Number(process.hrtime.bigint() - started) / iterations, hits };
}

function main(): void {
  const events = buildEvents();
  const compiledIterations = 2_000_000;
  const reparseIterations = 100_000;
  const row = (cells: string[]): string => `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(30) : cell.padStart(12))).join(' | ')} |`;
  console.log(`cesql bench: ${events.length} distinct events, ${compiledIterations.toLocaleString('en')} compiled / ${reparseIterations.toLocaleString('en')} reparsed evaluations each, node ${process.version}\n`);
  console.log(row(['expression', 'compiled ns', 'reparse ns', 'ratio', 'matches %']));
  console.log(row(['-'.repeat(30), '-'.repeat(12), '-'.repeat(12), '-'.repeat(12), '-'.repeat(12)]));
  for (const [name, expression] of expressions) {
    const compiled = compile(expression);
    const viaCompiled = (event: Record<string, unknown>) => evaluate(compiled, event).value;
    const viaReparse = (event: Record<string, unknown>) => evaluate(compile(expression), event).value;
    time(200_000, events, viaCompiled);
    time(20_000, events, viaReparse);
    const fast = time(compiledIterations, events, viaCompiled);
    const slow = time(reparseIterations, events, viaReparse);
    if (fast.hits / compiledIterations !== slow.hits / reparseIterations) throw new Error(`${name}: compiled and reparsed disagree`);
    console.log(row([name, fast.ns.toFixed(0), slow.ns.toFixed(0), `${(slow.ns / fast.ns).toFixed(0)}x`, ((100 * fast.hits) / compiledIterations).toFixed(1)]));
    console.log(`  ${expression}`);
  }
  // What the broker runs per event and trigger: the cesql dialect's predicate (no result object).
  const predicate = compileTriggerFilter({ filters: [{ cesql: expressions[0][1] }] });
  const viaPredicate = (event: Record<string, unknown>) => predicate(event as CloudEvent);
  time(200_000, events, viaPredicate);
  console.log(`\ntrigger predicate (cesql dialect, ${expressions[0][0]}): ${time(compiledIterations, events, viaPredicate).ns.toFixed(0)} ns/event`);
}

main();
