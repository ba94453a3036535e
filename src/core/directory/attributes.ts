import { InvalidParameterError, NotAuthorizedError } from '../../errors.js';
import type { ClientRecord, PoolRecord, UserRecord } from '../../ports.js';
import { schemaOf } from './pool-config.js';
import type { SchemaAttribute } from './schema-attributes.js';

type AttributeInput = { Name: string; Value: string }[];

const EMAIL = /^[^\s@]+@[^\s@]+$/;
const PHONE = /^\+[0-9]{4,15}$/;

function conformError(detail: string): never {
  throw new InvalidParameterError(`Attributes did not conform to the schema: ${detail}`);
}

function checkValue(attr: SchemaAttribute, value: string): void {
  const name = attr.Name;
  if (attr.AttributeDataType === 'Boolean' && value !== 'true' && value !== 'false') conformError(`${name}: Value must be true or false`);
  if (attr.AttributeDataType === 'Number') {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) conformError(`${name}: Number expected`);
    const { MinValue, MaxValue } = attr.NumberAttributeConstraints ?? {};
    if (MinValue !== undefined && n < Number(MinValue)) conformError(`${name}: Number must be at least ${MinValue}`);
    if (MaxValue !== undefined && n > Number(MaxValue)) conformError(`${name}: Number must be at most ${MaxValue}`);
  }
  if (attr.AttributeDataType === 'String') {
    const { MinLength, MaxLength } = attr.StringAttributeConstraints ?? {};
    if (MinLength !== undefined && value.length < Number(MinLength)) conformError(`${name}: String must be at least ${MinLength} characters`);
    if (MaxLength !== undefined && value.length > Number(MaxLength)) conformError(`${name}: String must be at most ${MaxLength} characters`);
  }
  if (name === 'email' && !EMAIL.test(value)) throw new InvalidParameterError('Invalid email address format.');
  if (name === 'phone_number' && !PHONE.test(value)) throw new InvalidParameterError('Invalid phone number format.');
}

/**
 * Validates attributes a caller wants to write. `client` limits them to its
 * WriteAttributes; `admin` writes may also set the `_verified` flags.
 */
export function validateWrite(
  pool: PoolRecord,
  input: AttributeInput,
  options: { client?: ClientRecord; existing?: UserRecord; admin?: boolean },
): Record<string, string> {
  const schema = new Map(schemaOf(pool.config).map((a) => [a.Name, a]));
  const writable = options.client?.config.WriteAttributes as string[] | undefined;
  const out: Record<string, string> = {};
  for (const { Name, Value } of input) {
    const attr = schema.get(Name);
    if (!attr || Name === 'sub') conformError(`${Name}: Attribute does not exist in the schema.`);
    if (attr.DeveloperOnlyAttribute && !options.admin) conformError(`${Name}: Attribute does not exist in the schema.`);
    if (writable && writable.length > 0 && !writable.includes(Name)) {
      throw new NotAuthorizedError(`A client attempted to write unauthorized attribute`);
    }
    if (Name.endsWith('_verified') && !options.admin) {
      throw new NotAuthorizedError(`A client attempted to write unauthorized attribute`);
    }
    if (options.existing && !attr.Mutable && options.existing.attributes[Name] !== undefined && options.existing.attributes[Name] !== Value) {
      throw new InvalidParameterError(`Attributes did not conform to the schema: ${Name}: Attribute cannot be updated. (changing an immutable attribute)`);
    }
    checkValue(attr, Value);
    out[Name] = Value;
  }
  return out;
}

export function checkRequired(pool: PoolRecord, attributes: Record<string, string>): void {
  const missing = schemaOf(pool.config).filter((a) => a.Required && a.Name !== 'sub' && !attributes[a.Name]);
  if (missing.length > 0) conformError(missing.map((a) => `${a.Name}: The attribute ${a.Name} is required`).join(', '));
}

/** Cognito's `[{Name, Value}]` with `sub` first, filtered by a client's ReadAttributes. */
export function attributeList(user: UserRecord, readable?: string[]): { Name: string; Value: string }[] {
  const all = [{ Name: 'sub', Value: user.sub }, ...Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value }))];
  if (!readable || readable.length === 0) return all;
  return all.filter((a) => a.Name === 'sub' || readable.includes(a.Name));
}

export function userShape(user: UserRecord, attributesToGet?: string[]) {
  const attrs = attributeList(user);
  return {
    Username: user.username,
    Attributes: attributesToGet && attributesToGet.length > 0 ? attrs.filter((a) => attributesToGet.includes(a.Name)) : attrs,
    UserCreateDate: user.createdAt / 1000,
    UserLastModifiedDate: user.updatedAt / 1000,
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}
