/** CloudEvents 1.0: the event model, its validation and the HTTP protocol binding (binary, structured, batch). */
export { CORE_ATTRIBUTES, type CloudEvent } from './types.js';
export { validateEvent } from './validate.js';
export { parseHttpEvents, type HttpEventMode, type ParsedHttpEvents } from './http-parse.js';
export { toBinaryHttp, toStructuredJson, type BinaryHttpMessage } from './http-encode.js';
export { dataJson, eventJson } from './received-data.js';
export { parseReply, type ReplyResult } from './reply.js';
export { addTraceHeaders, adoptTraceContext, inheritTraceContext, isTraceparent } from './trace-context.js';
export type { HttpHeaders } from './http-headers.js';
export { isJsonEssence, isUtf8Text, parseContentType, type ContentType } from './media-type.js';
export { decodeHeaderValue, encodeHeaderValue } from './percent.js';
