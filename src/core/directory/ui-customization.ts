import { InvalidParameterError } from '../../errors.js';
import type { ClientConfig, ClientRecord, PoolConfig, PoolRecord } from '../../ports.js';
import { fromBase64 } from '../crypto.js';

/**
 * Hosted-UI branding of a pool (Cognito's `ALL`) or of one client, kept under this key in
 * its Cognito-shaped config. Describe operations leave the key out.
 */
export const UI_CUSTOMIZATION_KEY = 'UICustomization';

export interface UiCustomization {
  CSS?: string;
  /** Base64 of the logo; PNG or JPEG. */
  ImageFile?: string;
  ImageType?: LogoType;
  /** Epoch milliseconds. */
  CreationDate: number;
  LastModifiedDate: number;
}

export type LogoType = 'image/png' | 'image/jpeg';

export const MAX_CSS_LENGTH = 131_072;
export const MAX_LOGO_BYTES = 100 * 1024;

export function uiCustomizationOf(config: PoolConfig | ClientConfig): UiCustomization | undefined {
  return config[UI_CUSTOMIZATION_KEY] as UiCustomization | undefined;
}

/** Cognito's precedence: a client's own branding replaces the pool's as a whole. */
export function effectiveUiCustomization(pool: PoolRecord, client?: ClientRecord): UiCustomization | undefined {
  return (client && uiCustomizationOf(client.config)) ?? uiCustomizationOf(pool.config);
}

/** A config as Describe* reports it: the branding (with its image) has its own operation. */
export function withoutUiCustomization<T extends Record<string, unknown>>(config: T): Omit<T, typeof UI_CUSTOMIZATION_KEY> {
  const { [UI_CUSTOMIZATION_KEY]: _ui, ...rest } = config;
  return rest;
}

const refuse = (why: string): never => {
  throw new InvalidParameterError(`CSS is not allowed: ${why}`);
};

/** Removes comments the way a CSS tokenizer does: never inside strings, never from escaped characters. */
function stripComments(css: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < css.length; i++) {
    const ch = css[i]!;
    if (ch === '\\') {
      out += ch + (css[i + 1] ?? '');
      i++;
    } else if (quote) {
      out += ch;
      if (ch === quote || ch === '\n') quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      out += ch;
    } else if (ch === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      i = end === -1 ? css.length : end + 1;
      out += ' ';
    } else {
      out += ch;
    }
  }
  return out;
}

/** Resolves `\75 rl(`-style escapes, so the checks see what the browser will. */
function decodeEscapes(css: string): string {
  return css.replace(/\\([0-9a-fA-F]{1,6})[ \t\n]?|\\([^\n0-9a-fA-F])/g, (_m, digits: string | undefined, ch: string | undefined) => {
    if (ch !== undefined) return ch;
    const point = parseInt(digits!, 16);
    return point === 0 || point > 0x10ffff ? '\ufffd' : String.fromCodePoint(point);
  });
}

const DATA_IMAGE = /data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]*/gi;
/** What a url() may hold besides an inline image: a path on our own origin, no scheme, no host. */
const RELATIVE_URL = /^[A-Za-z0-9._~\-/?&=%#@!$+,;]*$/;

/**
 * Accepts branding CSS only when it cannot load anything from another site or run code:
 * no `<`, `@import`, `expression(`, script URLs, bindings, protocol-relative or absolute
 * URLs; url() holds a same-origin path or an inline raster image.
 */
export function checkCss(css: string): void {
  if (css.length > MAX_CSS_LENGTH) refuse(`longer than ${MAX_CSS_LENGTH} characters`);
  if (css.includes('<')) refuse('"<" is not allowed');
  const text = decodeEscapes(stripComments(css)).replace(DATA_IMAGE, 'data-image');
  const lower = text.toLowerCase();
  if (/[<\\]/.test(text)) refuse('"<" and escaped backslashes are not allowed');
  if (lower.includes('@import')) refuse('@import is not allowed');
  if (/expression\s*\(/.test(lower)) refuse('expression() is not allowed');
  if (/(?:javascript|vbscript)\s*:/.test(lower)) refuse('script URLs are not allowed');
  if (/behavior\s*:|-moz-binding/.test(lower)) refuse('behaviors and bindings are not allowed');
  if (lower.includes('//')) refuse('URLs must stay on this site');
  if (/(?:^|[^a-z0-9+.-])(?:https?|ftp|file|wss?|blob|filesystem)\s*:/.test(lower)) refuse('URLs must stay on this site');
  for (const match of text.matchAll(/url\(\s*(["']?)([^"')]*)/gi)) {
    const value = match[2]!.trim();
    if (value !== 'data-image' && !RELATIVE_URL.test(value)) refuse(`url(${value}) must be a path on this site or an inline image`);
  }
}

/** The logo's bytes and type, from the base64 `ImageFile`: PNG or JPEG, at most 100 KB. */
export function checkLogo(base64: string): { bytes: Uint8Array; type: LogoType } {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(base64.replace(/\s+/g, ''));
  } catch {
    throw new InvalidParameterError('ImageFile must be base64');
  }
  if (bytes.length === 0) throw new InvalidParameterError('ImageFile is empty');
  if (bytes.length > MAX_LOGO_BYTES) throw new InvalidParameterError(`ImageFile must be at most ${MAX_LOGO_BYTES / 1024} KB`);
  const type = logoType(bytes);
  if (!type) throw new InvalidParameterError('ImageFile must be a PNG or JPEG image');
  return { bytes, type };
}

function logoType(bytes: Uint8Array): LogoType | undefined {
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.every((b, i) => bytes[i] === b)) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return undefined;
}
