/** What the peer is configured with; the bench driver uses the same values to call it. */
export const PEER = {
  ccClient: { id: 'bench-machine', secret: 'bench-machine-secret-0123456789abcdef0123456789' },
  codeClient: { id: 'bench-app', secret: 'bench-app-secret-0123456789abcdef0123456789abcd' },
  redirectUri: 'http://127.0.0.1:9/callback',
  account: { sub: 'bench-user', email: 'bench-user@example.com' },
  /** Resource indicators whose access tokens are JWTs signed with the named algorithm. */
  resources: { ES256: 'urn:bench:es256', RS256: 'urn:bench:rs256' },
  resourceScope: 'read',
} as const;
