/**
 * String formats of the CloudEvents type system (spec.md "Type System"), as ajv format checks.
 * Every pattern is compiled once at load; each check is a few regex tests and no allocation
 * beyond a short slice.
 */

const ATTRIBUTE_NAME = /^[a-z0-9]+$/;
// Characters RFC 3986 allows anywhere in a URI (unreserved, reserved) plus %XX escapes.
const URI_CHARACTERS = /^(?:[\w\-.~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*$/;
const BRACKET = /[[\]]/;
const IP_LITERAL_AUTHORITY = /^(?:[^@[\]]*@)?\[[0-9A-Za-z:.\-~!$&'()*+,;=]+\](?::\d*)?$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;
const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED_STRING = '"(?:[^"\\\\]|\\\\.)*"';
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:[ \\t]*;(?:[ \\t]*${TOKEN}=(?:${TOKEN}|${QUOTED_STRING}))?)*[ \\t]*$`);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// Characters the String type forbids: controls, lone surrogates (the u flag matches only unpaired
// ones) and the Unicode noncharacters U+FDD0-U+FDEF and U+xFFFE/U+xFFFF of every plane.
const FORBIDDEN_STRING_CHARACTER = new RegExp(
  `[\\u0000-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF\\uFDD0-\\uFDEF${Array.from({ length: 17 }, (_, plane) => {
    const base = (plane * 0x10000).toString(16);
    return `\\u{${base.slice(0, -4)}FFFE}\\u{${base.slice(0, -4)}FFFF}`;
  }).join('')}]`,
  'u',
);
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True for a valid attribute name (a-z, 0-9) or one of the JSON format's payload members. */
export function isAttributeNameOrPayload(name: string): boolean {
  return ATTRIBUTE_NAME.test(name) || name === 'data' || name === 'data_base64';
}

/** True for a valid CloudEvents attribute name: lower-case ASCII letters and digits, at least one. */
export function isAttributeName(name: string): boolean {
  return ATTRIBUTE_NAME.test(name);
}

/** True for an RFC 3986 URI-reference (absolute URI or relative reference). */
export function isUriReference(value: string): boolean {
  return checkUri(value, false);
}

/** True for an RFC 3986 URI with a scheme (a fragment is allowed, as JSON Schema's `uri`). */
export function isAbsoluteUri(value: string): boolean {
  return checkUri(value, true);
}

function checkUri(value: string, requireScheme: boolean): boolean {
  if (!URI_CHARACTERS.test(value)) return false;
  const hash = value.indexOf('#');
  if (hash !== -1 && value.indexOf('#', hash + 1) !== -1) return false;
  const firstSegmentEnd = endOfComponent(value, 0, '/?#');
  const colon = value.indexOf(':');
  let hierarchyStart = 0;
  if (colon !== -1 && colon < firstSegmentEnd) {
    // A colon in the first segment makes it a scheme (RFC 3986 §4.2), so it must be a valid one.
    if (!SCHEME.test(value.slice(0, colon))) return false;
    hierarchyStart = colon + 1;
  } else if (requireScheme) {
    return false;
  }
  if (!BRACKET.test(value)) return true;
  // Brackets are only allowed around an IP literal host in the authority.
  if (!value.startsWith('//', hierarchyStart)) return false;
  const authorityEnd = endOfComponent(value, hierarchyStart + 2, '/?#');
  if (!IP_LITERAL_AUTHORITY.test(value.slice(hierarchyStart + 2, authorityEnd))) return false;
  return !BRACKET.test(value.slice(authorityEnd));
}

function endOfComponent(value: string, from: number, delimiters: string): number {
  for (let index = from; index < value.length; index++) {
    if (delimiters.includes(value[index])) return index;
  }
  return value.length;
}

/** True for an RFC 3339 date-time whose date and time exist (leap years; second 60 for leap seconds). */
export function isRfc3339(value: string): boolean {
  const match = RFC3339.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1])) return false;
  if (Number(match[4]) > 23 || Number(match[5]) > 59 || Number(match[6]) > 60) return false;
  return match[7] === undefined || (Number(match[7]) <= 23 && Number(match[8]) <= 59);
}

/** True for an RFC 2045/2046 media type: `type/subtype` with optional `;name=value` parameters. */
export function isMediaType(value: string): boolean {
  return MEDIA_TYPE.test(value);
}

/** True for RFC 4648 base64 (standard alphabet, padded). */
export function isBase64(value: string): boolean {
  return BASE64.test(value);
}

/** True when a String-typed value has none of the characters the CloudEvents String type forbids. */
export function isCloudEventString(value: string): boolean {
  return !FORBIDDEN_STRING_CHARACTER.test(value);
}
