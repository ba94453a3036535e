import { CreateIdentityProviderCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createHash, randomBytes } from 'node:crypto';
import { Browser } from '../../test/support/browser.js';
import { startOidcUpstream } from '../../test/support/oidc-upstream.js';
import { waitForQuiet } from '../load/quiet.js';
import { cpuMs, rssBytes } from '../servers/child.js';
import { REDIRECT_URI } from '../setup/cognate-fixture.js';
import { basic, FORM } from '../setup/targets.js';
import { LatencyRecorder, median, spread } from '../stats.js';
import type { Scenario } from './types.js';

const SCENARIO = 'federated-sign-in';
const ACCOUNTS = 200;
/** Browsers signing in at once: each flow is six round trips, two of them to the upstream. */
const CONCURRENCY = 8;

/**
 * A federated OIDC sign-in end to end, as a browser and an app do it: Cognate's
 * /oauth2/authorize with identity_provider → the upstream (oidc-provider on loopback, code +
 * PKCE + nonce, signs in at once) → /oauth2/idpresponse (Cognate redeems the upstream code,
 * checks the ID token, maps attributes, creates or updates the user) → the app's code
 * exchange at Cognate. No peer brokers, so Cognate's figures stand alone. The upstream runs
 * in the bench process, on the load generator's core.
 */
export const federatedSignIn: Scenario = {
  name: SCENARIO,
  async run(ctx) {
    const { cognate } = await ctx.servers();
    const { UserPool } = await cognate.admin.send(new CreateUserPoolCommand({ PoolName: 'bench-federation' }));
    const poolId = UserPool!.Id!;
    const issuer = `${cognate.url}/${poolId}`;
    const accounts = Object.fromEntries(Array.from({ length: ACCOUNTS }, (_, i) => [`account-${i}`, { email: `fed-${i}@example.com`, email_verified: true, name: `Federated ${i}` }]));
    const upstream = await startOidcUpstream([`${issuer}/oauth2/idpresponse`], accounts);
    try {
      await cognate.admin.send(
        new CreateIdentityProviderCommand({
          UserPoolId: poolId, ProviderName: 'Upstream', ProviderType: 'OIDC',
          ProviderDetails: { client_id: upstream.clientId, client_secret: upstream.clientSecret, oidc_issuer: upstream.issuer, authorize_scopes: 'openid email profile', attributes_request_method: 'GET' },
          AttributeMapping: { email: 'email', email_verified: 'email_verified', name: 'name' },
        }),
      );
      const { UserPoolClient } = await cognate.admin.send(
        new CreateUserPoolClientCommand({
          UserPoolId: poolId, ClientName: 'app', GenerateSecret: true, AllowedOAuthFlows: ['code'], AllowedOAuthFlowsUserPoolClient: true,
          AllowedOAuthScopes: ['openid', 'email'], CallbackURLs: [REDIRECT_URI], SupportedIdentityProviders: ['Upstream'],
        }),
      );
      const app = { id: UserPoolClient!.ClientId!, secret: UserPoolClient!.ClientSecret! };
      const signIn = async (): Promise<void> => {
        upstream.nextLogin = `account-${Math.floor(Math.random() * ACCOUNTS)}`;
        await oneSignIn(issuer, app);
      };
      const rounds = [];
      await drive(signIn, ctx.options.warmupSeconds, cognate.pid);
      for (let round = 0; round < ctx.options.rounds; round++) {
        await waitForQuiet(ctx.options.quietWaitSeconds * 1000);
        const figures = await drive(signIn, ctx.options.seconds, cognate.pid);
        rounds.push(figures);
        ctx.log(`  ${SCENARIO} round ${round + 1} ${figures.rate.toFixed(1)} sign-ins/s, p50 ${figures.p50.toFixed(1)} ms, p99 ${figures.p99.toFixed(1)} ms, Cognate ${figures.cpuMsPerSignIn.toFixed(2)} ms CPU/sign-in, ${figures.failed} failed`);
      }
      const users = (await cognate.admin.send(new ListUsersCommand({ UserPoolId: poolId, Limit: 60 }))).Users ?? [];
      const rate = spread(rounds.map((r) => r.rate));
      const failed = rounds.reduce((sum, r) => sum + r.failed, 0);
      return {
        comparisons: [],
        figures: [
          { scenario: SCENARIO, name: `federated OIDC sign-ins end to end (${CONCURRENCY} browsers)`, value: `${rate.median.toFixed(1)}/s (${rate.min.toFixed(1)}–${rate.max.toFixed(1)})` },
          { scenario: SCENARIO, name: 'sign-in p50 / p99 (6 round trips)', value: `${median(rounds.map((r) => r.p50)).toFixed(1)} / ${median(rounds.map((r) => r.p99)).toFixed(1)} ms` },
          { scenario: SCENARIO, name: 'Cognate CPU per federated sign-in', value: median(rounds.map((r) => r.cpuMsPerSignIn)), unit: 'ms' },
          { scenario: SCENARIO, name: 'Cognate RSS', value: Math.max(...rounds.map((r) => r.rssMiB)), unit: 'MiB' },
          { scenario: SCENARIO, name: 'sign-ins that failed', value: failed, unit: '', target: { op: '<=', value: 0 }, met: failed === 0 },
        ],
        notes: [`${users.length >= 60 ? '60+' : users.length} federated users in the pool after the run (first sign-ins create them, later ones update their attributes).`],
      };
    } finally {
      await upstream.close();
    }
  },
};

/** The whole trip, checked at each hop; throws when any hop is not what a browser expects. */
async function oneSignIn(issuer: string, app: { id: string; secret: string }): Promise<void> {
  const browser = new Browser();
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const authorize = new URL(`${issuer}/oauth2/authorize`);
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: app.id, redirect_uri: REDIRECT_URI, scope: 'openid email', state: randomBytes(8).toString('hex'), code_challenge: challenge, code_challenge_method: 'S256', identity_provider: 'Upstream' })) {
    authorize.searchParams.set(k, v);
  }
  let response = await browser.get(authorize.href);
  for (let hop = 0; hop < 6 && !response.headers.get('location')?.startsWith(REDIRECT_URI); hop++) {
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) throw new Error(`hop ${hop}: HTTP ${response.status} ${await response.text()}`);
    await response.body?.cancel();
    response = await browser.get(new URL(location, response.url).href);
  }
  const code = new URL(response.headers.get('location') ?? '', REDIRECT_URI).searchParams.get('code');
  if (!code) throw new Error(`no code at the app: ${response.headers.get('location')}`);
  const tokens = await fetch(`${issuer}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: basic(app), 'content-type': FORM },
    body: `grant_type=authorization_code&code=${code}&redirect_uri=${encodeURIComponent(REDIRECT_URI)}&code_verifier=${verifier}`,
  });
  const body = (await tokens.json()) as { id_token?: string };
  if (!tokens.ok || !body.id_token) throw new Error(`code exchange: HTTP ${tokens.status} ${JSON.stringify(body)}`);
}

interface DriveFigures {
  rate: number;
  p50: number;
  p99: number;
  cpuMsPerSignIn: number;
  rssMiB: number;
  failed: number;
}

/** CONCURRENCY browsers signing in back to back for `seconds`. */
async function drive(signIn: () => Promise<void>, seconds: number, pid: number): Promise<DriveFigures> {
  const latencies = new LatencyRecorder();
  let failed = 0;
  let firstError: unknown;
  const cpuBefore = cpuMs(pid);
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await signIn();
          latencies.add(performance.now() - t);
        } catch (error) {
          failed++;
          firstError ??= error;
        }
      }
    }),
  );
  const elapsed = performance.now() - started;
  if (failed > 0 && latencies.size === 0) throw new Error(`every federated sign-in failed: ${String(firstError)}`);
  const { p50, p99 } = latencies.summary();
  return { rate: (latencies.size / elapsed) * 1000, p50, p99, cpuMsPerSignIn: (cpuMs(pid) - cpuBefore) / Math.max(1, latencies.size), rssMiB: rssBytes(pid) / 2 ** 20, failed };
}
