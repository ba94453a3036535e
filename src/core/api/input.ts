import { InvalidParameterError } from '../../errors.js';

/** A request body after JSON parsing. */
export type Input = Record<string, unknown>;

interface StringRule {
  min?: number;
  max?: number;
  pattern?: RegExp;
}

function fail(name: string, problem: string): never {
  throw new InvalidParameterError(`1 validation error detected: Value at '${name}' failed to satisfy constraint: ${problem}`);
}

export function requiredString(input: Input, name: string, rule: StringRule = {}): string {
  const value = input[name];
  if (value === undefined || value === null) fail(name, 'Member must not be null');
  return checkString(name, value, rule);
}

export function optionalString(input: Input, name: string, rule: StringRule = {}): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  return checkString(name, value, rule);
}

function checkString(name: string, value: unknown, rule: StringRule): string {
  if (typeof value !== 'string') fail(name, 'Member must be a string');
  if (rule.min !== undefined && value.length < rule.min) fail(name, `Member must have length greater than or equal to ${rule.min}`);
  if (rule.max !== undefined && value.length > rule.max) fail(name, `Member must have length less than or equal to ${rule.max}`);
  if (rule.pattern && !rule.pattern.test(value)) fail(name, `Member must satisfy regular expression pattern: ${rule.pattern.source}`);
  return value;
}

export function optionalInt(input: Input, name: string, min: number, max: number): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(name, 'Member must be an integer');
  if (value < min) fail(name, `Member must have value greater than or equal to ${min}`);
  if (value > max) fail(name, `Member must have value less than or equal to ${max}`);
  return value;
}

export function optionalBool(input: Input, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') fail(name, 'Member must be a boolean');
  return value;
}

export function optionalEnum<T extends string>(input: Input, name: string, values: readonly T[]): T | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !values.includes(value as T)) fail(name, `Member must satisfy enum value set: [${values.join(', ')}]`);
  return value as T;
}

export function optionalObject(input: Input, name: string): Input | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) fail(name, 'Member must be an object');
  return value as Input;
}

export function optionalStringList(input: Input, name: string, allowed?: readonly string[]): string[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(name, 'Member must be a list of strings');
  if (allowed) {
    for (const v of value as string[]) if (!allowed.includes(v)) fail(name, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return value as string[];
}

/** Cognito's `[{Name, Value}]` attribute lists. */
export function attributeList(input: Input, name: string): { Name: string; Value: string }[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fail(name, 'Member must be a list');
  return value.map((item, i) => {
    if (typeof item !== 'object' || item === null) fail(`${name}.${i + 1}`, 'Member must be an object');
    const entry = item as Input;
    const attrName = requiredString(entry, 'Name', { min: 1, max: 32 });
    const attrValue = optionalString(entry, 'Value', { max: 2048 }) ?? '';
    return { Name: attrName, Value: attrValue };
  });
}

export const POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;
export const CLIENT_ID = /^[\w+]+$/;
export const USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;

export function poolIdOf(input: Input): string {
  return requiredString(input, 'UserPoolId', { min: 1, max: 55, pattern: POOL_ID });
}

export function clientIdOf(input: Input): string {
  return requiredString(input, 'ClientId', { min: 1, max: 128, pattern: CLIENT_ID });
}

export function epochSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}
