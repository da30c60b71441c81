/** How a Content-Type value is read by the codec: its essence (lower-cased `type/subtype`) and charset. */
export interface ContentType {
  essence: string;
  charset: string | undefined;
}

/** Which of the HTTP binding's content modes a Content-Type selects (§3: "prefixed with application/cloudevents"). */
export type ContentMode = 'binary' | 'structured' | 'batch' | 'unsupported';

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii']);
const TEXT_ESSENCES = new Set(['application/x-www-form-urlencoded', 'application/javascript', 'application/yaml']);

/** Splits a Content-Type header value into its essence and charset; undefined when absent or blank. */
export function parseContentType(value: string | undefined): ContentType | undefined {
  if (value === undefined) return undefined;
  const semicolon = value.indexOf(';');
  const essence = (semicolon === -1 ? value : value.slice(0, semicolon)).trim().toLowerCase();
  if (essence === '') return undefined;
  const charset = semicolon === -1 ? undefined : CHARSET.exec(value)?.[1].toLowerCase();
  return { essence, charset };
}

/** The content mode of a message whose Content-Type has this essence. */
export function contentModeOf(essence: string | undefined): ContentMode {
  if (essence === undefined || !essence.startsWith('application/cloudevents')) return 'binary';
  if (essence === 'application/cloudevents+json') return 'structured';
  if (essence === 'application/cloudevents-batch+json') return 'batch';
  return 'unsupported';
}

/** True when a media type declares JSON data (JSON format §3.1.1: subtype `json` or a `+json` suffix). */
export function isJsonEssence(essence: string): boolean {
  return essence.endsWith('/json') || essence.endsWith('+json');
}

/**
 * True when a binary-mode body of this type is kept as a text `data` string rather than
 * `data_base64`: text/*, XML, form posts, or any type with a charset, as long as that charset is UTF-8.
 */
export function isUtf8Text(contentType: ContentType): boolean {
  if (contentType.charset !== undefined) return UTF8_CHARSETS.has(contentType.charset);
  const { essence } = contentType;
  return essence.startsWith('text/') || essence.endsWith('/xml') || essence.endsWith('+xml') || TEXT_ESSENCES.has(essence);
}
