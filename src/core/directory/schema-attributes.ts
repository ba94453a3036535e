/** Cognito's standard attribute schema, as DescribeUserPool reports it. */
export interface SchemaAttribute {
  Name: string;
  AttributeDataType: 'String' | 'Number' | 'DateTime' | 'Boolean';
  DeveloperOnlyAttribute: boolean;
  Mutable: boolean;
  Required: boolean;
  StringAttributeConstraints?: { MinLength?: string; MaxLength?: string };
  NumberAttributeConstraints?: { MinValue?: string; MaxValue?: string };
}

const text = (Name: string, MaxLength = '2048', MinLength = '0'): SchemaAttribute => ({
  Name,
  AttributeDataType: 'String',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
  StringAttributeConstraints: { MinLength, MaxLength },
});

const flag = (Name: string): SchemaAttribute => ({
  Name,
  AttributeDataType: 'Boolean',
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
});

export const STANDARD_ATTRIBUTES: readonly SchemaAttribute[] = [
  { ...text('sub', '2048', '1'), Mutable: false, Required: true },
  text('name'),
  text('given_name'),
  text('family_name'),
  text('middle_name'),
  text('nickname'),
  text('preferred_username'),
  text('profile'),
  text('picture'),
  text('website'),
  text('email'),
  flag('email_verified'),
  text('gender'),
  text('birthdate', '10', '10'),
  text('zoneinfo'),
  text('locale'),
  text('phone_number'),
  flag('phone_number_verified'),
  text('address'),
  {
    Name: 'updated_at',
    AttributeDataType: 'Number',
    DeveloperOnlyAttribute: false,
    Mutable: true,
    Required: false,
    NumberAttributeConstraints: { MinValue: '0' },
  },
];

export const STANDARD_NAMES = new Set(STANDARD_ATTRIBUTES.map((a) => a.Name));
