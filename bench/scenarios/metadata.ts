import type { OAuthTarget } from '../setup/targets.js';
import { compare, type SpecFor } from './compare.js';
import { exchangeCode } from './tokens.js';
import { throughputRatio, type BenchContext, type Scenario } from './types.js';

function getScenario(name: string, urlOf: (target: OAuthTarget) => string, minRatio: number): Scenario {
  return {
    name,
    async run(ctx) {
      const { targets } = await ctx.servers();
      const side = (target: OAuthTarget): SpecFor => async (run) => ({
        url: urlOf(target),
        connections: ctx.options.connections,
        seconds: run === 'warmup' ? ctx.options.warmupSeconds : ctx.options.seconds,
      });
      const comparison = await compare(ctx, name, { cognate: side(targets.cognate), peer: side(targets.peer) });
      return { comparisons: [comparison], figures: [throughputRatio(comparison, minRatio)], notes: [] };
    },
  };
}

/** The same valid access token on every request: a resource server checking a user's token. */
const userinfo: Scenario = {
  name: 'userinfo',
  async run(ctx: BenchContext) {
    const { targets } = await ctx.servers();
    const side = (target: OAuthTarget): SpecFor => {
      let token: Promise<string> | undefined;
      return async (run) => {
        token ??= target.userinfoCodes(1).then(([code]) => exchangeCode(target, code!)).then((t) => t.access_token);
        return {
          url: target.userinfoUrl,
          headers: { authorization: `Bearer ${await token}` },
          connections: ctx.options.connections,
          seconds: run === 'warmup' ? ctx.options.warmupSeconds : ctx.options.seconds,
        };
      };
    };
    const comparison = await compare(ctx, 'userinfo', { cognate: side(targets.cognate), peer: side(targets.peer) });
    return { comparisons: [comparison], figures: [throughputRatio(comparison)], notes: [] };
  },
};

export const metadataScenarios: Scenario[] = [
  getScenario('jwks', (t) => t.jwksUrl, 3),
  getScenario('discovery', (t) => t.discoveryUrl, 3),
  userinfo,
];
