import type { Deps } from '../ports.js';
import { hmac, importHmacKey, Sealer } from './crypto.js';
import { KeyRing } from './tokens/keys.js';

export interface CoreSettings {
  /** Every URL Cognate prints or signs derives from this, e.g. `http://localhost:8787`. */
  baseUrl: string;
  /** Pool ids are `<region>_<9 base62 chars>`. */
  region: string;
  /** 32 bytes that seal private keys and client secrets at rest. */
  kek: Uint8Array<ArrayBuffer>;
  /** Allow `http://` upstream identity providers on hosts other than loopback. */
  allowInsecureUpstreams: boolean;
}

/** Everything a domain operation needs; built once per process or isolate. */
export interface Core extends Deps {
  settings: Omit<CoreSettings, 'kek'>;
  sealer: Sealer;
  /** HMAC key for one-time codes and session handles: short codes must not be stored guessable. */
  codeKey: CryptoKey;
  keys: KeyRing;
}

export async function createCore(deps: Deps, settings: CoreSettings): Promise<Core> {
  const sealer = await Sealer.fromRaw(settings.kek);
  const kekMac = await importHmacKey(settings.kek);
  const codeKey = await importHmacKey((await hmac(kekMac, 'cognate/one-time-codes')) as Uint8Array<ArrayBuffer>);
  return {
    ...deps,
    settings: { baseUrl: settings.baseUrl.replace(/\/+$/, ''), region: settings.region, allowInsecureUpstreams: settings.allowInsecureUpstreams },
    sealer,
    codeKey,
    keys: new KeyRing(deps.store, sealer, () => deps.clock.now()),
  };
}

export function issuerOf(core: Core, poolId: string): string {
  return `${core.settings.baseUrl}/${poolId}`;
}
