/**
 * Codec benchmark: the ingress hot path's parse + validate of one HTTP request (headers + body
 * bytes → validated event), Junction's core codec (`parseHttpEvents`, what ingress calls) against
 * the CloudEvents SDK (`HTTP.toEvent` + `validate()`), binary and structured mode, in the same run.
 * Several rounds, alternating which codec goes first; prints the median and spread of events/s.
 * Run with `npm run bench:codec` (or `node dist/bench/codec/run.js [rounds]` after `npm run build`).
 */
import { deepStrictEqual } from 'node:assert';
import { HTTP, type CloudEvent as SdkEvent } from 'cloudevents';
import { parseHttpEvents } from '../../core/cloudevent/index.js';
import { buildRequests, type IngressRequest } from './workload.js';

const distinctRequests = 1_000;
const eventsPerRound = 100_000;
const rounds = Number(process.argv[2] ?? 9);

type Codec = (request: IngressRequest) => { id: string };

const core: Codec = (request) => parseHttpEvents(request.headers, request.body).events[0];

const sdk: Codec = (request) => {
  // The SDK parses JSON only from a string (a Buffer body passes through as data), so decode first.
  const event = HTTP.toEvent({ headers: request.headers, body: request.body.toString('utf8') }) as SdkEvent<unknown>;
  event.validate();
  return event;
};

/** Decodes `count` requests (cycling the list); returns events/s. The id lengths are summed so nothing is optimised away. */
function time(codec: Codec, requests: IngressRequest[], count: number): number {
  let checksum = 0;
  const started = process.hrtime.bigint();
  for (let index = 0; index < count; index++) checksum += codec(requests[index % requests.length]).id.length;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (checksum === 0) throw new Error('no event decoded');
  return count / seconds;
}

/** Both codecs must read the same event from the same request, or the comparison means nothing. */
function checkAgreement(requests: IngressRequest[]): void {
  const ours = parseHttpEvents(requests[0].headers, requests[0].body).events[0];
  const theirs = sdk(requests[0]) as unknown as Record<string, unknown>;
  for (const name of ['id', 'source', 'type', 'subject', 'time', 'dataschema', 'datacontenttype', 'region', 'tenant', 'data']) {
    deepStrictEqual(theirs[name], ours[name], `${name} differs between the SDK and core`);
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const thousands = (value: number): string => Math.round(value).toLocaleString('en');

function main(): void {
  const workloads = buildRequests(distinctRequests);
  const codecs: Array<[string, Codec]> = [['core parseHttpEvents', core], ['SDK toEvent + validate', sdk]];
  const results = new Map<string, number[]>();
  for (const [mode, requests] of Object.entries(workloads)) {
    checkAgreement(requests);
    for (const [name, codec] of codecs) {
      time(codec, requests, 20_000); // warm-up: let the JIT settle on this path
      results.set(`${mode}|${name}`, []);
    }
  }
  for (let round = 0; round < rounds; round++) {
    process.stderr.write(`round ${round + 1}/${rounds}\n`);
    for (const [mode, requests] of Object.entries(workloads)) {
      const order = round % 2 === 0 ? codecs : [...codecs].reverse();
      for (const [name, codec] of order) results.get(`${mode}|${name}`)?.push(time(codec, requests, eventsPerRound));
    }
  }

  const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  console.log(`codec bench: ${rounds} rounds × ${eventsPerRound.toLocaleString('en')} requests per codec and mode (${distinctRequests} distinct), node ${process.version}\n`);
  console.log(row(['mode', 'codec', 'median events/s', 'min–max events/s', 'spread (max-min)/median']));
  console.log(row(['---', '---', '---', '---', '---']));
  for (const mode of Object.keys(workloads)) {
    const medians: number[] = [];
    for (const [name] of codecs) {
      const values = results.get(`${mode}|${name}`) ?? [];
      const middle = median(values);
      medians.push(middle);
      const spread = (Math.max(...values) - Math.min(...values)) / middle;
      console.log(row([mode, name, thousands(middle), `${thousands(Math.min(...values))}–${thousands(Math.max(...values))}`, `${(spread * 100).toFixed(0)}%`]));
    }
    const core = results.get(`${mode}|${codecs[0][0]}`) ?? [];
    const sdk = results.get(`${mode}|${codecs[1][0]}`) ?? [];
    const perRound = sdk.map((value, index) => value / core[index]);
    console.log(row([mode, '**SDK / core**', `${(medians[1] / medians[0]).toFixed(2)} (of the medians)`, `per round: median ${median(perRound).toFixed(2)}, ${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}`, '']));
  }
}

main();
