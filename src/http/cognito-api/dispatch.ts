import type { Context } from 'hono';
import type { Core } from '../../core/context.js';
import { EXTENSION_OPERATIONS, OPERATIONS, type Operation } from '../../core/api/operations.js';
import { SerializationError, UnknownOperationError } from '../../errors.js';
import { AMZ_JSON, cognitoErrorResponse } from '../respond-error.js';
import { verifySigV4 } from './sigv4.js';

export interface AdminCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const EXTENSION_PREFIX = 'CognateAdmin.';

function operationFor(target: string): Operation | undefined {
  const [table, name] = target.startsWith(TARGET_PREFIX)
    ? [OPERATIONS, target.slice(TARGET_PREFIX.length)]
    : target.startsWith(EXTENSION_PREFIX)
      ? [EXTENSION_OPERATIONS, target.slice(EXTENSION_PREFIX.length)]
      : [undefined, ''];
  return table && Object.hasOwn(table, name) ? table[name] : undefined;
}
const MAX_BODY = 256 * 1024;

/** SDKs correct their clock skew from this header, so it must be the clock signatures are checked against. */
function httpDate(core: Core): string {
  return new Date(core.clock.now()).toUTCString();
}

/** `POST /`: one dispatcher for the whole Cognito JSON API. */
export function cognitoApi(core: Core, admin: AdminCredentials) {
  return async (c: Context): Promise<Response> => {
    try {
      const target = c.req.header('x-amz-target') ?? '';
      const operation = operationFor(target);
      if (!operation) throw new UnknownOperationError(`Unknown operation ${target}`);
      const body = await c.req.text();
      if (body.length > MAX_BODY) throw new SerializationError('Request body too large');
      if (operation.signed) {
        await verifySigV4(
          { method: c.req.method, url: c.req.url, headers: c.req.raw.headers, body },
          { now: core.clock.now(), secretFor: (id) => (id === admin.accessKeyId ? admin.secretAccessKey : undefined) },
        );
      }
      let input: unknown;
      try {
        input = body.trim() === '' ? {} : JSON.parse(body);
      } catch {
        throw new SerializationError('Request body is not valid JSON');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new SerializationError('Request body must be a JSON object');
      const output = await operation.handler(core, input as Record<string, unknown>);
      return c.body(JSON.stringify(output ?? {}), 200, { 'content-type': AMZ_JSON, date: httpDate(core) });
    } catch (error) {
      c.header('date', httpDate(core));
      return cognitoErrorResponse(c, error, core.logger);
    }
  };
}
