import { InvalidParameterError } from '../../errors.js';
import type { PoolConfig } from '../../ports.js';
import { optionalEnum, optionalObject, optionalStringList, optionalString, type Input } from '../api/input.js';
import { signInPolicyProblems } from './first-factors.js';
import { DEFAULT_PASSWORD_POLICY } from './pool-config.js';
import { STANDARD_ATTRIBUTES, STANDARD_NAMES, type SchemaAttribute } from './schema-attributes.js';

const VERIFIABLE = ['phone_number', 'email'] as const;
const ALIASES = ['phone_number', 'email', 'preferred_username'] as const;
const DATA_TYPES = ['String', 'Number', 'DateTime', 'Boolean'] as const;

/** Settings UpdateUserPool may change; unspecified ones return to their defaults, as in Cognito. */
export function updatableSettings(input: Input, problems: string[]): PoolConfig {
  const policies = optionalObject(input, 'Policies') ?? {};
  const passwordPolicy = { ...DEFAULT_PASSWORD_POLICY, ...((policies.PasswordPolicy as object | undefined) ?? {}) };
  // Cognito treats TemporaryPasswordValidityDays 0 as unset: the default applies.
  if (passwordPolicy.TemporaryPasswordValidityDays === 0) passwordPolicy.TemporaryPasswordValidityDays = DEFAULT_PASSWORD_POLICY.TemporaryPasswordValidityDays;
  checkPasswordPolicy(passwordPolicy as unknown as Record<string, unknown>, problems);
  problems.push(...signInPolicyProblems(policies.SignInPolicy));
  const verification = {
    DefaultEmailOption: 'CONFIRM_WITH_CODE',
    ...((optionalObject(input, 'VerificationMessageTemplate') as object | undefined) ?? {}),
  } as Record<string, string | undefined>;
  for (const key of ['EmailMessage', 'SmsMessage'] as const) {
    if (verification[key] !== undefined && !verification[key]!.includes('{####}')) {
      problems.push(`VerificationMessageTemplate.${key} must contain {####}`);
    }
  }
  const admin = {
    AllowAdminCreateUserOnly: false,
    UnusedAccountValidityDays: 7,
    ...((optionalObject(input, 'AdminCreateUserConfig') as object | undefined) ?? {}),
  } as Record<string, unknown>;
  const invite = admin.InviteMessageTemplate as Record<string, string | undefined> | undefined;
  for (const key of ['EmailMessage', 'SMSMessage'] as const) {
    const message = invite?.[key];
    if (message !== undefined && !(message.includes('{####}') && message.includes('{username}'))) {
      problems.push(`AdminCreateUserConfig.InviteMessageTemplate.${key} must contain {username} and {####}`);
    }
  }
  const recovery = optionalObject(input, 'AccountRecoverySetting') ?? {
    RecoveryMechanisms: [
      { Priority: 1, Name: 'verified_email' },
      { Priority: 2, Name: 'verified_phone_number' },
    ],
  };
  return {
    Policies: { ...policies, PasswordPolicy: passwordPolicy, SignInPolicy: policies.SignInPolicy ?? { AllowedFirstAuthFactors: ['PASSWORD'] } },
    DeletionProtection: optionalEnum(input, 'DeletionProtection', ['ACTIVE', 'INACTIVE']) ?? 'INACTIVE',
    LambdaConfig: optionalObject(input, 'LambdaConfig') ?? {},
    AutoVerifiedAttributes: optionalStringList(input, 'AutoVerifiedAttributes', VERIFIABLE),
    SmsVerificationMessage: optionalString(input, 'SmsVerificationMessage', { min: 6, max: 140 }),
    EmailVerificationMessage: optionalString(input, 'EmailVerificationMessage', { min: 6, max: 20000 }),
    EmailVerificationSubject: optionalString(input, 'EmailVerificationSubject', { min: 1, max: 140 }),
    VerificationMessageTemplate: verification,
    SmsAuthenticationMessage: optionalString(input, 'SmsAuthenticationMessage', { min: 6, max: 140 }),
    UserAttributeUpdateSettings: optionalObject(input, 'UserAttributeUpdateSettings'),
    MfaConfiguration: optionalEnum(input, 'MfaConfiguration', ['OFF', 'ON', 'OPTIONAL']) ?? 'OFF',
    DeviceConfiguration: optionalObject(input, 'DeviceConfiguration'),
    EmailConfiguration: optionalObject(input, 'EmailConfiguration') ?? { EmailSendingAccount: 'COGNITO_DEFAULT' },
    SmsConfiguration: optionalObject(input, 'SmsConfiguration'),
    UserPoolTags: optionalObject(input, 'UserPoolTags') ?? {},
    AdminCreateUserConfig: admin,
    UserPoolAddOns: optionalObject(input, 'UserPoolAddOns'),
    AccountRecoverySetting: recovery,
    UserPoolTier: optionalEnum(input, 'UserPoolTier', ['LITE', 'ESSENTIALS', 'PLUS']) ?? 'ESSENTIALS',
  };
}

function checkPasswordPolicy(policy: Record<string, unknown>, problems: string[]): void {
  const min = policy.MinimumLength;
  if (typeof min !== 'number' || !Number.isInteger(min) || min < 6 || min > 99) {
    problems.push('Policies.PasswordPolicy.MinimumLength must be an integer from 6 to 99');
  }
  const days = policy.TemporaryPasswordValidityDays;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 0 || days > 365) {
    problems.push('Policies.PasswordPolicy.TemporaryPasswordValidityDays must be an integer from 0 to 365');
  }
  const history = policy.PasswordHistorySize;
  if (history !== undefined && (typeof history !== 'number' || !Number.isInteger(history) || history < 0 || history > 24)) {
    problems.push('Policies.PasswordPolicy.PasswordHistorySize must be an integer from 0 to 24');
  }
}

/** Settings fixed at creation: schema, sign-in identifiers and case sensitivity. */
export function creationOnlySettings(input: Input, problems: string[]): PoolConfig {
  const aliasAttributes = optionalStringList(input, 'AliasAttributes', ALIASES);
  const usernameAttributes = optionalStringList(input, 'UsernameAttributes', VERIFIABLE);
  if (aliasAttributes?.length && usernameAttributes?.length) {
    problems.push('AliasAttributes and UsernameAttributes cannot be set together');
  }
  const usernameConfiguration = optionalObject(input, 'UsernameConfiguration') ?? { CaseSensitive: false };
  if (typeof usernameConfiguration.CaseSensitive !== 'boolean') problems.push('UsernameConfiguration.CaseSensitive must be a boolean');
  return {
    AliasAttributes: aliasAttributes,
    UsernameAttributes: usernameAttributes,
    UsernameConfiguration: usernameConfiguration,
    SchemaAttributes: buildSchema(input.Schema, problems),
  };
}

function buildSchema(raw: unknown, problems: string[]): SchemaAttribute[] {
  const schema = STANDARD_ATTRIBUTES.map((a) => ({ ...a }));
  if (raw === undefined || raw === null) return schema;
  if (!Array.isArray(raw)) {
    problems.push('Schema must be a list');
    return schema;
  }
  for (const [i, entry] of raw.entries()) {
    const item = entry as Record<string, unknown>;
    const name = typeof item?.Name === 'string' ? item.Name.replace(/^custom:/, '') : '';
    if (!name) {
      problems.push(`Schema.${i + 1}.Name is required`);
      continue;
    }
    const standard = schema.find((a) => a.Name === name);
    if (standard && STANDARD_NAMES.has(name)) {
      if (name === 'sub') continue;
      if (typeof item.Required === 'boolean') standard.Required = item.Required;
      if (typeof item.Mutable === 'boolean') standard.Mutable = item.Mutable;
      continue;
    }
    if (schema.some((a) => a.Name === `custom:${name}`)) {
      problems.push(`Schema.${i + 1}: duplicate attribute custom:${name}`);
      continue;
    }
    problems.push(...customAttributeProblems(item, name, i + 1));
    schema.push(customAttribute(item, name));
  }
  return schema;
}

export function customAttributeProblems(item: Record<string, unknown>, name: string, position: number): string[] {
  const problems: string[] = [];
  if (!/^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,20}$/u.test(name)) problems.push(`Schema.${position}.Name must be 1 to 20 characters`);
  const type = item.AttributeDataType ?? 'String';
  if (!DATA_TYPES.includes(type as (typeof DATA_TYPES)[number])) problems.push(`Schema.${position}.AttributeDataType must be one of ${DATA_TYPES.join(', ')}`);
  if (item.Required === true) problems.push(`Schema.${position}: custom attributes cannot be required`);
  return problems;
}

export function customAttribute(item: Record<string, unknown>, name: string): SchemaAttribute {
  const type = (item.AttributeDataType ?? 'String') as SchemaAttribute['AttributeDataType'];
  const attribute: SchemaAttribute = {
    Name: `custom:${name}`,
    AttributeDataType: type,
    DeveloperOnlyAttribute: item.DeveloperOnlyAttribute === true,
    Mutable: item.Mutable !== false,
    Required: false,
  };
  if (type === 'String') {
    attribute.StringAttributeConstraints = (item.StringAttributeConstraints as SchemaAttribute['StringAttributeConstraints']) ?? {
      MinLength: '0',
      MaxLength: '2048',
    };
  }
  if (type === 'Number' && item.NumberAttributeConstraints) {
    attribute.NumberAttributeConstraints = item.NumberAttributeConstraints as SchemaAttribute['NumberAttributeConstraints'];
  }
  return attribute;
}

export function throwIfProblems(problems: string[]): void {
  if (problems.length > 0) throw new InvalidParameterError(problems.join('; '));
}
