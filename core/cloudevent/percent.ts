/**
 * Percent-encoding of attribute values in HTTP headers (HTTP binding §3.1.3.2): UTF-8 bytes of
 * space, double-quote, percent and everything outside printable ASCII become `%XY`.
 */

// Printable ASCII except space (0x20), double-quote (0x22) and percent (0x25) passes unchanged.
const NEEDS_ENCODING = /[^\x21\x23\x24\x26-\x7E]/;
// Header values that can be used as they are: no quoting, no escapes, no raw non-ASCII bytes.
const NEEDS_DECODING = /["%\x80-\uFFFF]/;
const HEX = '0123456789ABCDEF';
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Percent-encodes an attribute's canonical string for an HTTP header value. */
export function encodeHeaderValue(value: string): string {
  if (!NEEDS_ENCODING.test(value)) return value;
  let encoded = '';
  for (const character of value) {
    let code = character.codePointAt(0) as number;
    if (code >= 0x21 && code <= 0x7e && code !== 0x22 && code !== 0x25) {
      encoded += character;
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) code = 0xfffd; // an unpaired surrogate has no UTF-8 form
    if (code < 0x80) encoded += escapeByte(code);
    else if (code < 0x800) encoded += escapeByte(0xc0 | (code >> 6)) + escapeByte(0x80 | (code & 0x3f));
    else if (code < 0x10000) {
      encoded += escapeByte(0xe0 | (code >> 12)) + escapeByte(0x80 | ((code >> 6) & 0x3f)) + escapeByte(0x80 | (code & 0x3f));
    } else {
      encoded +=
        escapeByte(0xf0 | (code >> 18)) +
        escapeByte(0x80 | ((code >> 12) & 0x3f)) +
        escapeByte(0x80 | ((code >> 6) & 0x3f)) +
        escapeByte(0x80 | (code & 0x3f));
    }
  }
  return encoded;
}

function escapeByte(byte: number): string {
  return `%${HEX[byte >> 4]}${HEX[byte & 0x0f]}`;
}

/**
 * Decodes an HTTP header value into the attribute's string: unquotes RFC 7230 quoted strings,
 * then performs one round of percent-decoding of UTF-8. Throws a RangeError (its message says
 * what is wrong) for an unterminated quote, a `%` without two hex digits, or invalid UTF-8.
 * Raw bytes above 0x7F (Node reads header bytes as latin1) are taken as UTF-8 too.
 */
export function decodeHeaderValue(value: string): string {
  if (!NEEDS_DECODING.test(value)) return value;
  const unquoted = value.includes('"') ? unquote(value) : value;
  const bytes = Buffer.allocUnsafe(unquoted.length * 3);
  let length = 0;
  for (let index = 0; index < unquoted.length; index++) {
    const code = unquoted.charCodeAt(index);
    if (code === 0x25) {
      const high = hexValue(unquoted.charCodeAt(index + 1));
      const low = hexValue(unquoted.charCodeAt(index + 2));
      if (high < 0 || low < 0) throw new RangeError('"%" must be followed by two hex digits (percent-encoding)');
      bytes[length++] = (high << 4) | low;
      index += 2;
    } else if (code < 0x100) {
      bytes[length++] = code;
    } else {
      // Characters beyond latin1 only come from callers that pass real strings: take their UTF-8.
      const character = String.fromCodePoint(unquoted.codePointAt(index) as number);
      length += bytes.write(character, length, 'utf8');
      index += character.length - 1;
    }
  }
  try {
    return STRICT_UTF8.decode(bytes.subarray(0, length));
  } catch {
    throw new RangeError('is not valid UTF-8 after percent-decoding');
  }
}

function unquote(value: string): string {
  let result = '';
  let quoted = false;
  for (let index = 0; index < value.length; index++) {
    const character = value[index];
    if (!quoted) {
      if (character === '"') quoted = true;
      else result += character;
    } else if (character === '\\') {
      index++;
      if (index === value.length) break;
      result += value[index];
    } else if (character === '"') {
      quoted = false;
    } else {
      result += character;
    }
  }
  if (quoted) throw new RangeError('has an unterminated quoted string');
  return result;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}
