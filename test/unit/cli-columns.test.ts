import { describe, expect, it } from 'vitest';
import { columnsFor, rowsOf } from '../../cli/output/columns.js';
import type { Resource } from '../../core/resources/index.js';

const trigger: Resource = {
  apiVersion: 'eventing.knative.dev/v1',
  kind: 'Trigger',
  metadata: { name: 'notify', namespace: 'shop' },
  spec: { broker: 'orders', filter: { attributes: { type: 'order.created' } }, subscriber: { uri: 'http://sink/' } },
  status: {
    subscriberUri: 'http://sink/',
    conditions: [{ type: 'Ready', status: 'True' }],
    annotations: { 'junction.dev/kafka-consumer-group': 'junction.shop.notify' },
  },
};

describe('junction get columns', () => {
  it('shows a trigger with -o wide: its filter and its consumer group on the engine', () => {
    const columns = columnsFor('Trigger', { wide: true, allNamespaces: false });
    const headers = columns.map((column) => column.header);
    expect(headers).toEqual(expect.arrayContaining(['BROKER', 'SUBSCRIBER_URI', 'FILTER', 'GROUP']));
    const [row] = rowsOf([trigger], columns);
    expect(row?.[headers.indexOf('GROUP')]).toBe('junction.shop.notify');
    expect(row?.[headers.indexOf('FILTER')]).toBe('type=order.created');
    // Without -o wide, no GROUP.
    expect(columnsFor('Trigger', { wide: false, allNamespaces: false }).map((column) => column.header)).not.toContain('GROUP');
  });

  it("shows where a broker's events are, and nothing for an embedded engine", () => {
    const columns = columnsFor('Broker', { wide: true, allNamespaces: false });
    const headers = columns.map((column) => column.header);
    const broker = (annotations: Record<string, string>): Resource => ({ apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', metadata: { name: 'orders', namespace: 'shop' }, spec: {}, status: { annotations } });
    const [nats, sqlite] = rowsOf([broker({ 'junction.dev/channel': 'nats', 'junction.dev/nats-stream': 'JUNCTION_shop_orders', 'junction.dev/nats-subject': 'junction.shop_orders' }), broker({ 'junction.dev/channel': 'sqlite' })], columns);
    expect(nats?.[headers.indexOf('CHANNEL')]).toBe('nats');
    expect(nats?.[headers.indexOf('LOCATION')]).toBe('JUNCTION_shop_orders,junction.shop_orders');
    expect(sqlite?.[headers.indexOf('LOCATION')]).toBe('');
  });

  it('shows where a source sends (SINK), a PingSource its schedule, and a push source its URL with -o wide', () => {
    const status = { sinkUri: 'http://127.0.0.1:8080/shop/default', url: 'http://127.0.0.1:8080/sources/shop/repo', conditions: [{ type: 'Ready', status: 'True' as const }] };
    const github: Resource = { apiVersion: 'sources.knative.dev/v1alpha1', kind: 'GitHubSource', metadata: { name: 'repo', namespace: 'shop' }, spec: {}, status };
    const wide = columnsFor('GitHubSource', { wide: true, allNamespaces: false });
    expect(wide.map((c) => c.header)).toEqual(['NAME', 'SINK', 'READY', 'REASON', 'AGE', 'URL']);
    expect(rowsOf([github], wide)[0]).toEqual(['repo', status.sinkUri, 'True', '', expect.any(String), status.url]);
    expect(columnsFor('PingSource', { wide: false, allNamespaces: false }).map((c) => c.header)).toEqual(['NAME', 'SINK', 'SCHEDULE', 'READY', 'REASON', 'AGE']);
  });
});
