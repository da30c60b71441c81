import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { request } from 'undici';
import { loadConfig } from '../../core/config/index.js';
import type { Resource } from '../../core/resources/index.js';
import { startJunction, type RunningJunction } from '../../cli/start/app.js';
import type { EngineOverrides } from '../../cli/start/engines.js';

/** A Junction started in-process on a random port with its own temporary data dir. */
export interface TestJunction extends RunningJunction {
  dataDir: string;
  /** Stops it (gracefully) and removes the data dir unless `keepData`. */
  stop(keepData?: boolean): Promise<void>;
  /** PUTs a resource through the control API; returns the stored object (throws on non-2xx). */
  apply(resource: Resource, token?: string): Promise<Resource>;
  /** Waits until a resource's Ready condition is True (bounded). */
  waitReady(plural: string, namespace: string, name: string, group?: string, timeoutMs?: number): Promise<Resource>;
  /** POSTs raw bytes to a path; returns status, headers and parsed JSON body when there is one. */
  post(path: string, body: string | Buffer, headers?: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; text: string; json: any }>;
  /** Sends any request; returns status, headers and parsed JSON body when there is one. */
  call(method: HttpMethod, path: string, body?: string | Buffer, headers?: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; text: string; json: any }>;
}

/** The methods `TestJunction.call` sends. */
export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/** How a test Junction starts besides its config: engine options, and a logger to read its log. */
export interface TestJunctionOptions {
  engineOverrides?: EngineOverrides;
  logger?: Logger;
}

/** Starts Junction for a test; `overrides` are config paths (`'broker.defaultChannel': 'memory'`). */
export async function startTestJunction(
  overrides: Record<string, unknown> = {},
  dataDir?: string,
  engineOverrides?: EngineOverrides,
  options: Omit<TestJunctionOptions, 'engineOverrides'> = {},
): Promise<TestJunction> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'junction-test-'));
  const config = loadConfig({ overrides: { 'http.port': 0, dataDir: dir, 'log.level': 'silent', 'shutdown.drainTimeout': 'PT2S', ...overrides } });
  const running = await startJunction(config, { engineOverrides, logger: options.logger });
  const call = async (method: HttpMethod, path: string, body?: string | Buffer, headers: Record<string, string> = {}) => {
    const response = await request(`${running.url}${path}`, { method, body, headers });
    const text = await response.body.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, headers: response.headers as Record<string, unknown>, text, json };
  };
  const pathOf = (apiVersion: string, namespace: string, plural: string, name?: string) =>
    `${apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`}/namespaces/${namespace}/${plural}${name ? `/${name}` : ''}`;
  return {
    ...running,
    dataDir: dir,
    async stop(keepData = false) {
      await running.close();
      if (!keepData) rmSync(dir, { recursive: true, force: true });
    },
    async apply(resource, token) {
      const namespace = resource.metadata.namespace ?? 'default';
      const plural = `${resource.kind.toLowerCase()}s`;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const answer = await call('PUT', pathOf(resource.apiVersion, namespace, plural, resource.metadata.name), JSON.stringify(resource), headers);
      if (answer.status >= 300) throw new Error(`apply ${resource.kind} ${resource.metadata.name}: ${answer.status} ${JSON.stringify(answer.json)}`);
      return answer.json as Resource;
    },
    async waitReady(plural, namespace, name, group = 'eventing.knative.dev/v1', timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      let last: any;
      while (Date.now() < deadline) {
        const answer = await call('GET', pathOf(group, namespace, plural, name));
        last = answer.json;
        if (answer.status === 200 && last?.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True')) return last;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`${plural} ${namespace}/${name} not Ready in ${timeoutMs} ms: ${JSON.stringify(last?.status)}`);
    },
    post(path, body, headers = {}) {
      return call('POST', path, body, headers);
    },
    call,
  };
}

/** A minimal valid structured-mode CloudEvent body. */
export function structuredEvent(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ specversion: '1.0', id: `id-${Math.random().toString(36).slice(2)}`, source: '/test', type: 'com.example.test', ...overrides });
}

/** Broker + Trigger documents pointing at `subscriberUrl`. */
export function brokerWithTrigger(options: {
  namespace?: string;
  broker?: string;
  trigger?: string;
  subscriberUrl: string;
  filter?: Record<string, unknown>;
  delivery?: Record<string, unknown>;
  /** The trigger's annotations. */
  annotations?: Record<string, string>;
  brokerAnnotations?: Record<string, string>;
}): Resource[] {
  const namespace = options.namespace ?? 'default';
  const broker = options.broker ?? 'default';
  return [
    { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: broker, namespace, ...(options.brokerAnnotations ? { annotations: options.brokerAnnotations } : {}) }, spec: {} },
    {
      apiVersion: 'eventing.knative.dev/v1',
      kind: 'Trigger',
      metadata: { name: options.trigger ?? 'trigger', namespace, annotations: options.annotations },
      spec: { broker, subscriber: { uri: options.subscriberUrl }, ...(options.filter ?? {}), ...(options.delivery ? { delivery: options.delivery } : {}) },
    },
  ];
}
