import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Core } from '../../core/context.js';
import { rememberBrowser, rememberedBrowser } from '../../core/devices/browser.js';
import type { DeviceRecord, PoolRecord, UserRecord } from '../../ports.js';
import { secureCookies } from './page.js';

export const DEVICE_COOKIE = 'cognate_device';
const DEVICE_COOKIE_MAX_AGE_S = 365 * 86_400;

/** "Chrome on Linux": what AdminListDevices shows as the device_name of a remembered browser. */
export function deviceNameOf(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const browser =
    /Edg\//.test(ua) ? 'Edge'
    : /OPR\/|Opera/.test(ua) ? 'Opera'
    : /Firefox\//.test(ua) ? 'Firefox'
    : /Chrom(e|ium)\//.test(ua) ? 'Chrome'
    : /Safari\//.test(ua) ? 'Safari'
    : undefined;
  const system =
    /Android/.test(ua) ? 'Android'
    : /iPhone|iPad|iPod/.test(ua) ? 'iOS'
    : /Windows/.test(ua) ? 'Windows'
    : /Mac OS X|Macintosh/.test(ua) ? 'macOS'
    : /CrOS/.test(ua) ? 'ChromeOS'
    : /Linux/.test(ua) ? 'Linux'
    : undefined;
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? (system ? `Web browser on ${system}` : 'Web browser');
}

/** The user's remembered browser, when this browser's cookie proves it. */
export function browserDeviceOf(c: Context, core: Core, pool: PoolRecord, user: UserRecord): Promise<DeviceRecord | undefined> {
  return rememberedBrowser(core, pool, user, getCookie(c, DEVICE_COOKIE));
}

/** Remembers this browser for the user: a device row keeps the secret's hash, an HttpOnly cookie the secret. */
export async function rememberThisBrowser(c: Context, core: Core, pool: PoolRecord, user: UserRecord): Promise<void> {
  const value = await rememberBrowser(core, pool, user, deviceNameOf(c.req.header('user-agent')));
  setCookie(c, DEVICE_COOKIE, value, {
    path: `/${pool.id}`, httpOnly: true, sameSite: 'Lax', secure: secureCookies(core), maxAge: DEVICE_COOKIE_MAX_AGE_S,
  });
}
