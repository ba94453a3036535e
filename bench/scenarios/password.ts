import { spawn } from 'node:child_process';
import { openLoop, type OpenLoopResult } from '../load/open-loop.js';
import { waitForQuiet } from '../load/quiet.js';
import { pinned } from '../servers/child.js';
import { BENCH_PASSWORD } from '../setup/cognate-fixture.js';
import type { HttpRequestSpec } from '../setup/targets.js';
import { measure } from './compare.js';
import { checked, type BenchContext, type Figure, type Scenario } from './types.js';

const AMZ_JSON = 'application/x-amz-json-1.1';
const SCENARIO = 'password-sign-in';
/** Light and steady: the token endpoint as another app would call it during the overload. */
const PROBE_RATE = 50;

export function cognitoHeaders(operation: string): Record<string, string> {
  return { 'content-type': AMZ_JSON, 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` };
}

/** 200, or the Cognito error name (`TooManyRequestsException`, ...). */
export function cognitoOutcome(status: number, body: string): string {
  if (status === 200) return 'ok';
  try {
    return String((JSON.parse(body) as { __type?: string }).__type ?? `HTTP ${status}`);
  } catch {
    return `HTTP ${status}`;
  }
}

let measuredHashRate: Promise<{ rate: number; inFlight: number }> | undefined;

/** argon2id verifications per second on the servers' core, measured once per run in a child pinned there. */
export function rawHashRate(ctx: BenchContext): Promise<{ rate: number; inFlight: number }> {
  measuredHashRate ??= measureHashRate(ctx, ctx.options.seconds * 2);
  return measuredHashRate;
}

async function measureHashRate(ctx: BenchContext, seconds: number): Promise<{ rate: number; inFlight: number }> {
  await waitForQuiet(ctx.options.quietWaitSeconds * 1000);
  const [command, args] = pinned(ctx.cores, process.execPath, ['--import', 'tsx', 'bench/hash-rate-main.ts']);
  const child = spawn(command, args, { env: { ...process.env, HASH_SECONDS: String(seconds) }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`hash-rate-main exited with ${code}`);
  return JSON.parse(output) as { rate: number; inFlight: number };
}

const outcome = (result: OpenLoopResult, name: string) => result.outcomes[name] ?? { count: 0, p50: 0, p99: 0, max: 0 };

/**
 * Password sign-in against the hash it cannot avoid: InitiateAuth at saturation as a
 * fraction of the raw argon2id rate, then twice that load with a token client beside it.
 */
export const passwordSignIn: Scenario = {
  name: SCENARIO,
  async run(ctx) {
    const { cognate, fixture } = await ctx.servers();
    const raw = await rawHashRate(ctx);
    ctx.log(`  raw argon2id verify: ${raw.rate.toFixed(1)}/s with ${raw.inFlight} in flight`);
    let user = 0;
    const signInBody = () => {
      const username = fixture.rs256.users[user++ % fixture.rs256.users.length]!;
      return JSON.stringify({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: fixture.rs256.publicClientId, AuthParameters: { USERNAME: username, PASSWORD: BENCH_PASSWORD } });
    };
    const signIn = { url: `${cognate.url}/`, method: 'POST' as const, headers: cognitoHeaders('InitiateAuth') };
    const saturated = await measure(ctx, SCENARIO, cognate.pid, async (run) => ({
      ...signIn,
      next: () => ({ body: signInBody() }),
      connections: ctx.options.connections,
      seconds: run === 'warmup' ? ctx.options.warmupSeconds : ctx.options.seconds,
    }));

    const probe: HttpRequestSpec = (await ctx.servers()).targets.cognate.clientCredentials('RS256');
    const seconds = ctx.options.seconds * 2;
    const probeRun = () => openLoop({ url: probe.url, headers: probe.headers, next: () => ({ body: probe.body }), rate: PROBE_RATE, seconds });
    const quietWaitMs = ctx.options.quietWaitSeconds * 1000;
    await waitForQuiet(quietWaitMs);
    const unloaded = outcome(await probeRun(), 'ok');
    await waitForQuiet(quietWaitMs);
    const overloadRate = Math.round(saturated.rps.median * 2);
    const [overload, loadedProbe] = await Promise.all([
      openLoop({ ...signIn, next: () => ({ body: signInBody() }), rate: overloadRate, seconds, classify: cognitoOutcome }),
      probeRun(),
    ]);
    const loaded = outcome(loadedProbe, 'ok');
    const accepted = outcome(overload, 'ok');
    const throttled = outcome(overload, 'TooManyRequestsException');
    const offered = overloadRate * seconds;
    const others = Object.entries(overload.outcomes).filter(([name]) => name !== 'ok' && name !== 'TooManyRequestsException');
    ctx.log(`  overload at ${overloadRate}/s: ${JSON.stringify(overload.outcomes)}; token probe unloaded ${JSON.stringify(unloaded)} loaded ${JSON.stringify(loaded)}`);

    const figures: Figure[] = [
      { scenario: SCENARIO, name: `raw argon2id verify rate (${raw.inFlight} in flight, same core)`, value: raw.rate, unit: '/s' },
      { scenario: SCENARIO, name: `InitiateAuth at saturation (${ctx.options.connections} conn)`, value: saturated.rps.median, unit: 'req/s' },
      { scenario: SCENARIO, name: 'InitiateAuth p50 / p99 at saturation', value: `${saturated.p50.toFixed(0)} / ${saturated.p99.toFixed(0)} ms` },
      { scenario: SCENARIO, name: 'InitiateAuth CPU per sign-in', value: saturated.cpuMsPerRequest, unit: 'ms' },
      checked(SCENARIO, 'sign-in rate / raw hash rate', saturated.rps.median / raw.rate, '', '>=', 0.7),
      { scenario: SCENARIO, name: `2× overload (${overloadRate}/s): accepted`, value: `${(accepted.count / seconds).toFixed(1)}/s, p50 ${accepted.p50.toFixed(0)} ms, p99 ${accepted.p99.toFixed(0)} ms` },
      {
        scenario: SCENARIO,
        name: '2× overload: TooManyRequestsException',
        value: `${((throttled.count / offered) * 100).toFixed(0)}% of requests, p50 ${throttled.p50.toFixed(1)} ms, p99 ${throttled.p99.toFixed(1)} ms`,
      },
      ...(others.length > 0 ? [{ scenario: SCENARIO, name: '2× overload: other answers', value: JSON.stringify(Object.fromEntries(others.map(([n, o]) => [n, o.count]))) }] : []),
      { scenario: SCENARIO, name: `/oauth2/token p99 at ${PROBE_RATE}/s, unloaded → overloaded`, value: `${unloaded.p99.toFixed(2)} → ${loaded.p99.toFixed(2)} ms` },
      checked(SCENARIO, '/oauth2/token p99 overloaded / unloaded', loaded.p99 / unloaded.p99, '×', '<=', 2),
    ];
    return { comparisons: [], figures, notes: [] };
  },
};
