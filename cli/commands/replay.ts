import type { Command } from 'commander';
import { connect, withConnectionOptions, withNamespaceOption, type ConnectionOptions } from './connection.js';

/** What the server answers to a replay request. */
interface ReplayAnswer {
  trigger: string;
  broker: string;
  fromOffset: number;
  headOffset: number;
  events: number;
}

/** `junction replay`: redelivers a trigger's retained events from a time or an offset. */
export function registerReplay(program: Command): void {
  const command = program
    .command('replay')
    .description("deliver a trigger's retained events again, from an RFC 3339 time or a log offset")
    .requiredOption('--trigger <name>', 'trigger whose events to redeliver')
    .requiredOption('--from <time|offset>', 'RFC 3339 time (2024-05-01T10:00:00Z) or log offset (0 = oldest retained)');
  withNamespaceOption(command);
  withConnectionOptions(command)
    .addHelpText('after', '\nExamples:\n  junction replay --trigger greetings --from 2024-05-01T10:00:00Z\n  junction replay --trigger greetings -n shop --from 0')
    .action(async (options: ConnectionOptions & { namespace: string; trigger: string; from: string }) => {
      const answer = await connect(options).call<ReplayAnswer>('POST', `/apis/junction.dev/v1/namespaces/${encodeURIComponent(options.namespace)}/replays`, {
        body: { trigger: options.trigger, from: options.from },
      });
      const noun = answer.events === 1 ? 'event' : 'events';
      process.stdout.write(
        `${answer.events} ${noun} will be redelivered to trigger ${options.namespace}/${answer.trigger} (broker ${answer.broker}, from offset ${answer.fromOffset})\n`,
      );
    });
}
