import { randomBytes } from 'node:crypto';
import { BENCH_PASSWORD } from '../setup/cognate-fixture.js';
import { measure } from './compare.js';
import { cognitoHeaders, rawHashRate } from './password.js';
import type { Scenario } from './types.js';

const SCENARIO = 'sign-up';

/**
 * SignUp with a fresh username each time, in a pool that sends a verification code (to the
 * outbox): an argon2id hash, an SRP verifier, the user row and the message.
 */
export const signUp: Scenario = {
  name: SCENARIO,
  async run(ctx) {
    const { cognate, fixture } = await ctx.servers();
    const runId = randomBytes(4).toString('hex');
    let n = 0;
    const body = () => {
      const username = `signup-${runId}-${n++}`;
      return JSON.stringify({
        ClientId: fixture.rs256.publicClientId,
        Username: username,
        Password: BENCH_PASSWORD,
        UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
      });
    };
    const summary = await measure(ctx, SCENARIO, cognate.pid, async (run) => ({
      url: `${cognate.url}/`,
      method: 'POST',
      headers: cognitoHeaders('SignUp'),
      next: () => ({ body: body() }),
      connections: ctx.options.connections,
      seconds: run === 'warmup' ? ctx.options.warmupSeconds : ctx.options.seconds,
    }));
    const raw = await rawHashRate(ctx);
    return {
      comparisons: [],
      figures: [
        { scenario: SCENARIO, name: `SignUp throughput (${ctx.options.connections} conn)`, value: `${summary.rps.median.toFixed(1)}/s (${summary.rps.min.toFixed(1)}–${summary.rps.max.toFixed(1)})` },
        { scenario: SCENARIO, name: 'SignUp p50 / p99', value: `${summary.p50.toFixed(0)} / ${summary.p99.toFixed(0)} ms` },
        { scenario: SCENARIO, name: 'SignUp CPU per request', value: summary.cpuMsPerRequest, unit: 'ms' },
        { scenario: SCENARIO, name: 'SignUp rate / raw hash rate', value: summary.rps.median / raw.rate },
        ...(summary.failed > 0 ? [{ scenario: SCENARIO, name: 'SignUp answers that failed', value: summary.failed }] : []),
      ],
      notes: [],
    };
  },
};
