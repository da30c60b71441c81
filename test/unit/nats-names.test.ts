import { describe, expect, it } from 'vitest';
import { channelNames, durableName, safeToken } from '../../channels/nats/names.js';

describe('NATS names', () => {
  it("names a broker's stream JUNCTION_<namespace>_<name> and a trigger's durable <namespace>_<trigger>", () => {
    expect(channelNames('shop.orders', 'JUNCTION', 'junction')).toEqual({ stream: 'JUNCTION_shop_orders', subject: 'junction.shop_orders' });
    expect(channelNames('shop.orders.v2', 'JUNCTION', 'junction').stream).toBe('JUNCTION_shop_orders_v2');
    expect(durableName('shop.notify-me')).toBe('shop_notify-me');
    expect(safeToken('orders')).toBe('orders');
  });

  it('never gives two names one token', () => {
    const names = ['a.b', 'a_b', 'a.b_c', 'a_b.c', 'a..b', 'a._b', 'a_.b', 'shop.channel_orders', 'shop.channel.orders', 'a/b', 'a b', 'a*b', 'x.1234abcd', 'x_1234abcd', 'x'.repeat(121), 'x'.repeat(122)];
    const tokens = names.map(safeToken);
    expect(new Set(tokens).size).toBe(names.length);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    // Names a Kubernetes name never has (`_`, anything unsafe, a hash-like end) carry a hash of the original.
    expect(safeToken('a_b')).toMatch(/^a_b_[0-9a-f]{8}$/);
    expect(safeToken('x.1234abcd')).toMatch(/^x_1234abcd_[0-9a-f]{8}$/);
    expect(safeToken('x'.repeat(121))).toHaveLength(129);
  });
});
