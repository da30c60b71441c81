import { Ajv } from 'ajv';
import {
  isAbsoluteUri,
  isAttributeNameOrPayload,
  isBase64,
  isCloudEventString,
  isMediaType,
  isRfc3339,
  isUriReference,
} from './formats.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * JSON Schema of one event in the CloudEvents 1.0 JSON format: the core attributes, extension
 * values (String, Integer, Boolean; null means unset), attribute names, and data vs data_base64.
 */
export const cloudEventSchema = {
  type: 'object',
  required: ['specversion', 'id', 'source', 'type'],
  propertyNames: { format: 'ce-attribute-name' },
  properties: {
    specversion: { const: '1.0' },
    id: { type: 'string', minLength: 1, format: 'ce-string' },
    source: { type: 'string', minLength: 1, format: 'uri-reference' },
    type: { type: 'string', minLength: 1, format: 'ce-string' },
    datacontenttype: { type: ['string', 'null'], format: 'media-type' },
    dataschema: { type: ['string', 'null'], format: 'uri' },
    subject: { type: ['string', 'null'], minLength: 1, format: 'ce-string' },
    time: { type: ['string', 'null'], format: 'rfc3339' },
    data: {},
    data_base64: { type: ['string', 'null'], format: 'base64' },
  },
  additionalProperties: {
    type: ['string', 'integer', 'boolean', 'null'],
    minimum: INT32_MIN,
    maximum: INT32_MAX,
    format: 'ce-string',
  },
  not: { required: ['data', 'data_base64'] },
} as const;

/** The message a user sees for each failed format, by format name. */
export const formatMessages: Record<string, string> = {
  'ce-attribute-name': 'attribute names must consist of lower-case letters a-z and digits 0-9',
  'ce-string': 'must not contain control characters, unpaired surrogates or Unicode noncharacters',
  'uri-reference': 'must be a URI-reference (RFC 3986): no spaces, non-ASCII characters percent-encoded',
  uri: 'must be an absolute URI (RFC 3986) with a scheme, e.g. https://example.com/schema',
  'media-type': 'must be a media type (RFC 2046), e.g. application/json',
  rfc3339: 'must be an RFC 3339 timestamp, e.g. 2018-04-05T17:31:00Z',
  base64: 'must be base64 (RFC 4648, standard alphabet, padded)',
};

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
ajv.addFormat('ce-attribute-name', isAttributeNameOrPayload);
ajv.addFormat('ce-string', isCloudEventString);
ajv.addFormat('uri-reference', isUriReference);
ajv.addFormat('uri', isAbsoluteUri);
ajv.addFormat('media-type', isMediaType);
ajv.addFormat('rfc3339', isRfc3339);
ajv.addFormat('base64', isBase64);

/** The compiled validator of {@link cloudEventSchema}; its `errors` are overwritten by each call. */
export const validateCloudEventSchema = ajv.compile(cloudEventSchema);
