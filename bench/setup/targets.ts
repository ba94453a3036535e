import type { ServerProcess } from '../servers/child.js';
import type { CognateServer } from '../servers/cognate.js';
import { PEER } from '../peer/fixtures.js';
import { codeSource, hostedSignIn, noForm } from './authorize.js';
import { BENCH_PASSWORD, type CognateFixture, type Confidential } from './cognate-fixture.js';

export type Alg = 'ES256' | 'RS256';
export type ServerName = 'cognate' | 'peer';

export interface HttpRequestSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Each server's endpoints and credentials, so a scenario treats both alike. */
export interface OAuthTarget {
  server: ServerName;
  pid: number;
  jwksUrl: string;
  discoveryUrl: string;
  userinfoUrl: string;
  clientCredentials(alg: Alg): HttpRequestSpec;
  /** The app client (code flow, rotated refresh tokens): its token endpoint and Basic header. */
  app: { tokenUrl: string; authorization: string };
  /** Codes whose exchange yields a JWT access token (RS256), an ID token and a refresh token. */
  codes(count: number): Promise<string[]>;
  /** Codes whose access token the userinfo endpoint accepts. */
  userinfoCodes(count: number): Promise<string[]>;
}

export const FORM = 'application/x-www-form-urlencoded';

/** RFC 6749 §2.3.1: id and secret are form-encoded before base64. */
export function basic({ id, secret }: Confidential): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

export function cognateTarget(cognate: CognateServer, fixture: CognateFixture): OAuthTarget {
  const { rs256 } = fixture;
  const codes = codeSource({
    authorizeUrl: `${rs256.issuer}/oauth2/authorize`,
    clientId: rs256.app.id,
    signIn: hostedSignIn(`${rs256.issuer}/login`, rs256.users[0]!, BENCH_PASSWORD),
  });
  return {
    server: 'cognate',
    pid: cognate.pid,
    jwksUrl: `${rs256.issuer}/.well-known/jwks.json`,
    discoveryUrl: `${rs256.issuer}/.well-known/openid-configuration`,
    userinfoUrl: `${rs256.issuer}/oauth2/userInfo`,
    clientCredentials: (alg) => {
      const pool = alg === 'ES256' ? fixture.es256 : fixture.rs256;
      return {
        url: `${pool.issuer}/oauth2/token`,
        headers: { authorization: basic(pool.machine), 'content-type': FORM },
        body: 'grant_type=client_credentials&scope=bench%2Fread',
      };
    },
    app: { tokenUrl: `${rs256.issuer}/oauth2/token`, authorization: basic(rs256.app) },
    codes,
    userinfoCodes: codes,
  };
}

export function peerTarget(peer: ServerProcess): OAuthTarget {
  const source = (extra: Record<string, string>) =>
    codeSource({ authorizeUrl: `${peer.url}/auth`, clientId: PEER.codeClient.id, extra, signIn: noForm });
  return {
    server: 'peer',
    pid: peer.pid,
    jwksUrl: `${peer.url}/jwks`,
    discoveryUrl: `${peer.url}/.well-known/openid-configuration`,
    userinfoUrl: `${peer.url}/me`,
    clientCredentials: (alg) => ({
      url: `${peer.url}/token`,
      headers: { authorization: basic(PEER.ccClient), 'content-type': FORM },
      body: `grant_type=client_credentials&scope=${PEER.resourceScope}&resource=${encodeURIComponent(PEER.resources[alg])}`,
    }),
    app: { tokenUrl: `${peer.url}/token`, authorization: basic(PEER.codeClient) },
    // With a resource indicator the peer issues a JWT access token, as Cognate does; without
    // one it issues the opaque token its userinfo endpoint requires.
    codes: source({ resource: PEER.resources.RS256 }),
    userinfoCodes: source({}),
  };
}
