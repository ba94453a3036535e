import { aliasAttributes, autoVerifiedAttributes, schemaOf, usernameAttributes } from '../../core/directory/pool-config.js';
import type { PoolRecord, UserRecord } from '../../ports.js';
import { attributeLabel, type Messages } from '../../ui/i18n.js';
import type { SignUpField } from '../../ui/pages/sign-up.js';

type Input = Pick<SignUpField, 'type' | 'autocomplete' | 'inputmode'>;

/** HTML input types and autofill tokens for the standard attributes. */
const INPUTS: Record<string, Input> = {
  email: { type: 'email', autocomplete: 'email' },
  phone_number: { type: 'tel', autocomplete: 'tel' },
  name: { type: 'text', autocomplete: 'name' },
  given_name: { type: 'text', autocomplete: 'given-name' },
  family_name: { type: 'text', autocomplete: 'family-name' },
  middle_name: { type: 'text', autocomplete: 'additional-name' },
  nickname: { type: 'text', autocomplete: 'nickname' },
  birthdate: { type: 'date', autocomplete: 'bday' },
  gender: { type: 'text', autocomplete: 'sex' },
  address: { type: 'text', autocomplete: 'street-address' },
  locale: { type: 'text', autocomplete: 'language' },
  picture: { type: 'url', autocomplete: 'photo' },
  profile: { type: 'url', autocomplete: 'url' },
  website: { type: 'url', autocomplete: 'url' },
};

function attributeField(pool: PoolRecord, t: Messages, name: string): SignUpField {
  const numeric = schemaOf(pool.config).find((a) => a.Name === name)?.AttributeDataType === 'Number';
  const input = INPUTS[name] ?? (numeric ? { type: 'text', inputmode: 'numeric' } : { type: 'text' });
  return { name, label: attributeLabel(t, name), ...input, hint: name === 'phone_number' ? t.hint_phone_number : undefined };
}

/** Attributes a person may be asked for: required by the schema, not the verified flags, not developer-only. */
function requiredAttributes(pool: PoolRecord): string[] {
  return schemaOf(pool.config)
    .filter((a) => a.Required && a.Name !== 'sub' && !a.Name.endsWith('_verified') && !a.DeveloperOnlyAttribute)
    .map((a) => a.Name);
}

/**
 * The sign-up form of a pool: the username (an email or phone number when the pool signs
 * in with those), the addresses codes go to, and every required attribute.
 */
export function signUpFields(pool: PoolRecord, t: Messages): SignUpField[] {
  const asUsername = usernameAttributes(pool.config);
  const email = asUsername.includes('email');
  const phone = asUsername.includes('phone_number');
  const username: SignUpField =
    email && phone ? { name: 'username', label: t.emailOrPhoneAsUsername, type: 'text', autocomplete: 'username' }
    : email ? { name: 'username', label: t.emailAsUsername, type: 'email', autocomplete: 'username' }
    : phone ? { name: 'username', label: t.phoneAsUsername, type: 'tel', autocomplete: 'username', hint: t.hint_phone_number }
    : { name: 'username', label: t.newUsername, type: 'text', autocomplete: 'username' };
  const contact = ['email', 'phone_number'].filter((a) => autoVerifiedAttributes(pool.config).includes(a) || aliasAttributes(pool.config).includes(a));
  const names = [...new Set([...contact, ...requiredAttributes(pool)])].filter((name) => !asUsername.includes(name));
  return [username, ...names.map((name) => attributeField(pool, t, name))];
}

/** Required attributes an account still lacks, asked for when it replaces a temporary password. */
export function missingAttributeFields(pool: PoolRecord, t: Messages, user: Pick<UserRecord, 'attributes'>): SignUpField[] {
  return requiredAttributes(pool).filter((name) => !user.attributes[name]).map((name) => attributeField(pool, t, name));
}

/** The fields among `names` that are required attributes (a form's own names, sent back to it). */
export function requiredAttributeFields(pool: PoolRecord, t: Messages, names: Iterable<string>): SignUpField[] {
  const wanted = new Set(names);
  return requiredAttributes(pool).filter((name) => wanted.has(name)).map((name) => attributeField(pool, t, name));
}
