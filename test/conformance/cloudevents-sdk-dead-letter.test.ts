import { describe, expect, it } from 'vitest';
import { CloudEvent, emitterFor, httpTransport, Mode } from 'cloudevents';
import { expectSameEvent } from '../support/sdk-compare.js';
import { deliveredTo, FAILURE_BODY, useSdkMesh } from '../support/sdk-mesh.js';

// A trigger whose subscriber always answers 500 (retry 0) parks each event in its dead-letter sink;
// the CloudEvents SDK must read the parked event as valid, equal to what was sent plus Knative's
// error extensions.

const payloads: Array<[string, string, unknown]> = [
  ['a JSON object', 'application/json', { order: 42, total: 9.5 }],
  ['binary bytes', 'application/octet-stream', Buffer.from([0, 1, 2, 0x80, 0xff])],
];

describe('dead-lettered events, as the CloudEvents SDK reads them', () => {
  const mesh = useSdkMesh();

  for (const mode of [Mode.BINARY, Mode.STRUCTURED]) {
    for (const [index, [what, datacontenttype, data]] of payloads.entries()) {
      it(`keep every attribute and ${what} of an event sent in ${mode} mode and add the error extensions`, async () => {
        const sent = new CloudEvent<unknown>({
          id: `parked-${mode}-${index}`,
          source: 'https://example.com/shop',
          type: 'com.example.order.created',
          subject: 'orders/42',
          time: '2026-12-04T10:00:00.000Z',
          dataschema: 'https://example.com/schemas/order.json',
          datacontenttype,
          exstring: 'kept',
          exinteger: 7,
          exboolean: false,
          data,
        });
        await emitterFor(httpTransport(mesh.ingress), { mode })(sent);
        const errors = { knativeerrordest: mesh.failing.url, knativeerrordata: Buffer.from(FAILURE_BODY).toString('base64') };

        const binary = await deliveredTo(mesh.deadBinary, sent.id);
        expectSameEvent(binary.event, sent, { typed: false, binaryDelivery: true, extra: { ...errors, knativeerrorcode: '500' } });
        const structured = await deliveredTo(mesh.deadStructured, sent.id);
        expectSameEvent(structured.event, sent, { typed: mode === Mode.STRUCTURED, binaryDelivery: false, extra: { ...errors, knativeerrorcode: 500 } });
        expect(Buffer.from(String(structured.event.knativeerrordata), 'base64').toString()).toBe(FAILURE_BODY);
      });
    }
  }
});
