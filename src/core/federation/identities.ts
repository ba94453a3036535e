import type { FederatedIdentityRecord, IdentityProviderRecord } from '../../ports.js';

/** Cognito's `identities` attribute entry; strings where Cognito writes strings. */
interface IdentityEntry {
  userId: string;
  providerName: string;
  providerType: string;
  issuer: string | null;
  primary: string;
  dateCreated: string;
}

/** The user's `identities` attribute value, as Cognito writes it (a JSON string). */
export function identitiesAttribute(
  links: FederatedIdentityRecord[], providers: Map<string, IdentityProviderRecord>,
): string {
  const entries: IdentityEntry[] = links.map((link, i) => {
    const type = providers.get(link.providerName)?.type ?? 'OIDC';
    return {
      userId: link.subject,
      providerName: link.providerName,
      providerType: type,
      // Cognito reports no issuer for the social providers.
      issuer: type === 'OIDC' || type === 'SAML' ? link.issuer : null,
      primary: String(i === 0),
      dateCreated: String(link.createdAt),
    };
  });
  return JSON.stringify(entries);
}
