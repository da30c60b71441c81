import { execSync } from 'node:child_process';
import { connect } from 'node:net';
import { readdirSync } from 'node:fs';

/** A real server the suite talks to on loopback, with the command that starts it (shared/SERVICES.md). */
export interface ServiceSpec {
  name: string;
  port: number;
  start: () => string;
}

/** The servers on the project's machines; tests use them, never mocks of them. */
export const services: ServiceSpec[] = [
  { name: 'NATS JetStream', port: 4222, start: () => 'start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log' },
  { name: 'RabbitMQ', port: 5672, start: () => 'rabbitmq-server -detached' },
  { name: 'Redis', port: 6379, start: () => 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log' },
  { name: 'PostgreSQL', port: 5432, start: () => `pg_ctlcluster --skip-systemctl-redirect ${readdirSync('/etc/postgresql')[0]} main start` },
  { name: 'MariaDB', port: 3306, start: () => 'start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd' },
  { name: 'Mosquitto MQTT', port: 1883, start: () => 'mosquitto -d -c /etc/mosquitto/mosquitto.conf' },
];

/** Resolves true when something accepts TCP connections on 127.0.0.1:port. */
export function isListening(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Starts every service that is down and waits for it; throws naming each one that stays down. */
export async function ensureServices(list: ServiceSpec[] = services, waitMs = 60_000): Promise<void> {
  const down: ServiceSpec[] = [];
  for (const service of list) if (!(await isListening(service.port))) down.push(service);
  for (const service of down) {
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
    for (const service of missing) if (!(await isListening(service.port))) still.push(service);
    missing = still;
  }
  if (missing.length > 0) {
    const names = missing.map((s) => `${s.name} (127.0.0.1:${s.port})`).join(', ');
    throw new Error(`required test services are down and could not be started: ${names} — see shared/SERVICES.md`);
  }
}
