import type { ClosedLoopSpec } from '../load/closed-loop.js';
import { PKCE_VERIFIER } from '../setup/authorize.js';
import { FORM, type Alg, type OAuthTarget } from '../setup/targets.js';
import { PEER } from '../peer/fixtures.js';
import { compare, type SpecFor } from './compare.js';
import { checked, throughputRatio, type BenchContext, type Scenario, type ScenarioResult } from './types.js';

export interface TokenResponse {
  access_token: string;
  id_token?: string;
  refresh_token?: string;
}

const codeExchangeBody = (code: string) =>
  `grant_type=authorization_code&code=${encodeURIComponent(code)}&redirect_uri=${encodeURIComponent(PEER.redirectUri)}&code_verifier=${PKCE_VERIFIER}`;

/** One code exchange outside any timed run, to get tokens to start from. */
export async function exchangeCode(target: OAuthTarget, code: string): Promise<TokenResponse> {
  const response = await fetch(target.app.tokenUrl, {
    method: 'POST',
    headers: { authorization: target.app.authorization, 'content-type': FORM },
    body: codeExchangeBody(code),
  });
  const body = (await response.json()) as TokenResponse & { error?: string; error_description?: string };
  if (!response.ok) throw new Error(`${target.server} code exchange failed: ${body.error} ${body.error_description}`);
  return body;
}

function clientCredentials(alg: Alg): Scenario {
  const name = `client-credentials-${alg.toLowerCase()}`;
  return {
    name,
    async run(ctx: BenchContext): Promise<ScenarioResult> {
      const { targets } = await ctx.servers();
      const side = (target: OAuthTarget): SpecFor => async (run) => ({
        ...target.clientCredentials(alg),
        method: 'POST',
        connections: ctx.options.connections,
        seconds: run === 'warmup' ? ctx.options.warmupSeconds : ctx.options.seconds,
      });
      const comparison = await compare(ctx, name, { cognate: side(targets.cognate), peer: side(targets.peer) });
      return {
        comparisons: [comparison],
        figures: [
          throughputRatio(comparison, alg === 'ES256' ? 2 : 1.2),
          checked(name, `Cognate p99 at ${ctx.options.connections} connections`, comparison.cognate.p99, 'ms', '<=', 15),
        ],
        notes: [],
      };
    },
  };
}

/**
 * Refresh with rotation: every answer carries the next refresh token, which goes back into
 * the shared stock the next request takes from, as a client that rotates would do.
 */
const refreshGrant: Scenario = {
  name: 'refresh-token',
  async run(ctx) {
    const { targets } = await ctx.servers();
    const side = (target: OAuthTarget): SpecFor => async (run) => {
      const codes = await target.codes(ctx.options.connections);
      const stock: string[] = [];
      for (const code of codes) stock.push((await exchangeCode(target, code)).refresh_token!);
      return {
        url: target.app.tokenUrl,
        method: 'POST',
        headers: { authorization: target.app.authorization, 'content-type': FORM },
        next: () => ({ body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(stock.pop() ?? 'stock-ran-out')}` }),
        onBody: (status, body) => {
          if (status === 200) stock.push((JSON.parse(body) as TokenResponse).refresh_token!);
        },
        connections: ctx.options.connections,
        seconds: run === 'warmup' ? ctx.options.warmupSeconds : ctx.options.seconds,
      } satisfies ClosedLoopSpec;
    };
    const comparison = await compare(ctx, 'refresh-token', { cognate: side(targets.cognate), peer: side(targets.peer) });
    return { comparisons: [comparison], figures: [throughputRatio(comparison, 1.5)], notes: [] };
  },
};

/** Code exchange with PKCE; each round redeems codes prepared just before it, each once. */
const authorizationCode: Scenario = {
  name: 'authorization-code',
  async run(ctx) {
    const { targets } = await ctx.servers();
    const side = (target: OAuthTarget): SpecFor => async (run) => {
      const codes = await target.codes(run === 'warmup' ? 500 : ctx.options.codesPerRound);
      return {
        url: target.app.tokenUrl,
        method: 'POST',
        headers: { authorization: target.app.authorization, 'content-type': FORM },
        next: () => ({ body: codeExchangeBody(codes.pop() ?? 'codes-ran-out') }),
        connections: ctx.options.connections,
        amount: codes.length,
      };
    };
    const comparison = await compare(ctx, 'authorization-code', { cognate: side(targets.cognate), peer: side(targets.peer) });
    return { comparisons: [comparison], figures: [throughputRatio(comparison)], notes: [] };
  },
};

export const tokenScenarios: Scenario[] = [clientCredentials('ES256'), clientCredentials('RS256'), refreshGrant, authorizationCode];
