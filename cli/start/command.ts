import type { Command } from 'commander';
import { loadConfig } from '../../core/config/index.js';
import { listenFailure, parsePort } from '../listening.js';
import { tolerateLostReader } from './log-stream.js';

/** `junction start`: runs Junction in the foreground until SIGTERM/SIGINT, then shuts down gracefully. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run Junction (broker, control API, dashboard) in the foreground; data stays in --data-dir')
    .option('--http-port <port>', 'HTTP port (0 picks a free one)', parsePort)
    .option('--http-host <host>', 'HTTP listen address (auth turns on automatically off loopback)')
    .option('--grpc-port <port>', 'gRPC port of the KEDA external scaler (0 picks a free one)', parsePort)
    .option('--data-dir <dir>', 'where resources and event logs are stored (default ./.junction)')
    .option('--config <file>', 'junction.yaml to read (default ./junction.yaml when present; env JUNCTION_CONFIG)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug, trace or silent')
    .addHelpText(
      'after',
      '\nPrecedence: flags > JUNCTION_* environment variables > config file > defaults.\nExample:\n  junction start --http-port 0 --data-dir /tmp/junction',
    )
    .action(async (options: { httpPort?: number; httpHost?: string; grpcPort?: number; dataDir?: string; config?: string; logLevel?: string }) => {
      const { existsSync } = await import('node:fs');
      const file = options.config ?? process.env.JUNCTION_CONFIG ?? (existsSync('junction.yaml') ? 'junction.yaml' : undefined);
      const config = loadConfig({
        file,
        env: process.env,
        overrides: {
          'http.port': options.httpPort,
          'http.host': options.httpHost,
          'grpc.port': options.grpcPort,
          dataDir: options.dataDir,
          'log.level': options.logLevel,
        },
      });
      // Loaded here so client commands do not pay for the whole server at start-up.
      const { startJunction } = await import('./app.js');
      const running = await startJunction(config).catch((error: unknown) => {
        throw listenFailure(error, `${config.http.host}:${config.http.port}`);
      });
      // Whoever reads our output may be gone (`| head -1`, a dead parent): that must not stop the server.
      tolerateLostReader(process.stdout).write(`Junction listening on ${running.url}\n`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        running.logger.info({ signal }, 'shutting down: draining in-flight deliveries');
        running.close().then(
          () => process.exit(0),
          (error: Error) => {
            running.logger.error({ err: error.message }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    });
}
