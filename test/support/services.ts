import { execSync } from 'node:child_process';
import { connect } from 'node:net';
import { readdirSync } from 'node:fs';

/**
 * A real server the suite talks to, with the command that starts it on the project's machines.
 * `env` names the variable that points the suite at another instance (docs/testing.md).
 */
export interface ServiceSpec {
  name: string;
  env: string;
  defaultUrl: string;
  start: () => string;
}

/** The servers on the project's machines; tests use them, never mocks of them. */
export const services: ServiceSpec[] = [
  { name: 'NATS JetStream', env: 'NATS_URL', defaultUrl: 'nats://127.0.0.1:4222', start: () => 'start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log' },
  { name: 'RabbitMQ', env: 'RABBITMQ_URL', defaultUrl: 'amqp://guest:guest@127.0.0.1:5672', start: () => 'rabbitmq-server -detached' },
  { name: 'Redis', env: 'REDIS_URL', defaultUrl: 'redis://127.0.0.1:6379', start: () => 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log' },
  { name: 'PostgreSQL', env: 'POSTGRES_URL', defaultUrl: 'postgres://postgres@127.0.0.1:5432/test', start: () => `pg_ctlcluster --skip-systemctl-redirect ${readdirSync('/etc/postgresql')[0]} main start` },
  { name: 'MariaDB', env: 'MARIADB_URL', defaultUrl: 'mysql://root@127.0.0.1:3306/test', start: () => 'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd' },
  { name: 'Mosquitto MQTT', env: 'MQTT_URL', defaultUrl: 'mqtt://127.0.0.1:1883', start: () => 'mosquitto -d -c /etc/mosquitto/mosquitto.conf' },
];

/** The URL the suite uses for a service: its environment variable when set, else the loopback default. */
export function serviceUrl(name: string): string {
  const service = services.find((s) => s.name === name);
  if (!service) throw new Error(`unknown test service ${name}`);
  return process.env[service.env]?.trim() || service.defaultUrl;
}

/** NATS servers the suite connects to (`NATS_URL`, default nats://127.0.0.1:4222). */
export const NATS_URL = serviceUrl('NATS JetStream');

/** Host and port of a service URL. */
function endpoint(url: string): { host: string; port: number } {
  const parsed = new URL(url.split(',')[0]!);
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port) };
}

/** Resolves true when something accepts TCP connections on host:port (default host 127.0.0.1). */
export function isListening(port: number, timeoutMs = 1000, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

const reachable = (service: ServiceSpec) => {
  const { host, port } = endpoint(serviceUrl(service.name));
  return isListening(port, 1000, host);
};

/**
 * Starts every local service that is down and waits for it; throws naming each one that stays down.
 * A service pointed elsewhere by its environment variable is only checked, never started.
 */
export async function ensureServices(list: ServiceSpec[] = services, waitMs = 60_000): Promise<void> {
  const down: ServiceSpec[] = [];
  for (const service of list) if (!(await reachable(service))) down.push(service);
  for (const service of down) {
    if (process.env[service.env]?.trim()) continue;
    try {
      execSync(service.start(), { stdio: 'ignore', timeout: 60_000 });
    } catch {
      // Reported below if the port stays closed.
    }
  }
  const deadline = Date.now() + waitMs;
  let missing = down;
  while (missing.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const still: ServiceSpec[] = [];
    for (const service of missing) if (!(await reachable(service))) still.push(service);
    missing = still;
  }
  if (missing.length > 0) {
    const names = missing.map((s) => {
      const { host, port } = endpoint(serviceUrl(s.name));
      return `${s.name} (${host}:${port}, set ${s.env} to use another)`;
    }).join(', ');
    throw new Error(`required test services are down and could not be started: ${names} — see docs/testing.md`);
  }
}
