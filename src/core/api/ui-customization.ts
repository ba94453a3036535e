import type { ClientRecord, PoolRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { issuerOf } from '../context.js';
import { toBase64 } from '../crypto.js';
import {
  checkCss, checkLogo, MAX_CSS_LENGTH, UI_CUSTOMIZATION_KEY, uiCustomizationOf, type UiCustomization,
} from '../directory/ui-customization.js';
import { loadClient } from './clients.js';
import { CLIENT_ID, optionalString, poolIdOf, type Input } from './input.js';
import { loadPool } from './pools.js';

/** Cognito names the pool-wide branding with the client id `ALL`. */
const ALL = 'ALL';

interface Target {
  pool: PoolRecord;
  client?: ClientRecord;
}

async function targetOf(core: Core, input: Input): Promise<Target> {
  const pool = await loadPool(core, poolIdOf(input));
  const clientId = optionalString(input, 'ClientId', { min: 1, max: 128, pattern: CLIENT_ID });
  if (clientId === undefined || clientId === ALL) return { pool };
  return { pool, client: await loadClient(core, pool.id, clientId) };
}

/** UICustomizationType; `ImageUrl` is served by the hosted UI at `/{poolId}/ui/logo`. */
function shape(core: Core, pool: PoolRecord, clientId: string, value: UiCustomization | undefined) {
  if (!value) return { UserPoolId: pool.id, ClientId: clientId };
  const logo = new URL(`${issuerOf(core, pool.id)}/ui/logo`);
  if (clientId !== ALL) logo.searchParams.set('client_id', clientId);
  logo.searchParams.set('v', String(value.LastModifiedDate));
  return {
    UserPoolId: pool.id,
    ClientId: clientId,
    ...(value.ImageFile ? { ImageUrl: logo.toString() } : {}),
    ...(value.CSS !== undefined ? { CSS: value.CSS, CSSVersion: String(value.LastModifiedDate) } : {}),
    CreationDate: value.CreationDate / 1000,
    LastModifiedDate: value.LastModifiedDate / 1000,
  };
}

/** A client's own branding, else the pool's (reported with ClientId `ALL`), else an empty shape. */
export async function getUICustomization(core: Core, input: Input) {
  const { pool, client } = await targetOf(core, input);
  const own = client && uiCustomizationOf(client.config);
  if (client && own) return { UICustomization: shape(core, pool, client.id, own) };
  const poolWide = uiCustomizationOf(pool.config);
  if (poolWide) return { UICustomization: shape(core, pool, ALL, poolWide) };
  return { UICustomization: shape(core, pool, client?.id ?? ALL, undefined) };
}

/** Replaces the branding of the pool or of one client; neither CSS nor image clears it. */
export async function setUICustomization(core: Core, input: Input) {
  const { pool, client } = await targetOf(core, input);
  const css = optionalString(input, 'CSS', { max: MAX_CSS_LENGTH });
  if (css !== undefined) checkCss(css);
  const image = optionalString(input, 'ImageFile');
  const logo = image === undefined || image === '' ? undefined : checkLogo(image);
  const now = core.clock.now();
  const config = client ? client.config : pool.config;
  const previous = uiCustomizationOf(config);
  const value: UiCustomization | undefined =
    css === undefined && logo === undefined
      ? undefined
      : {
          ...(css !== undefined ? { CSS: css } : {}),
          ...(logo ? { ImageFile: toBase64(logo.bytes), ImageType: logo.type } : {}),
          CreationDate: previous?.CreationDate ?? now,
          LastModifiedDate: now,
        };
  const { [UI_CUSTOMIZATION_KEY]: _old, ...rest } = config;
  const next = value ? { ...rest, [UI_CUSTOMIZATION_KEY]: value } : rest;
  // Branding has its own dates; the pool's and client's LastModifiedDate stay as they were.
  if (client) await core.store.clients.update({ ...client, config: next });
  else await core.store.pools.update({ ...pool, config: next });
  return { UICustomization: shape(core, pool, client?.id ?? ALL, value) };
}
