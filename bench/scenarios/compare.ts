import { closedLoop, type ClosedLoopSpec, type RunFigures } from '../load/closed-loop.js';
import type { ServerName } from '../setup/targets.js';
import { median, spread } from '../stats.js';
import type { BenchContext, Comparison, SideSummary } from './types.js';

/** Server CPU over wall time above which its core counts as saturated. */
const SATURATED = 0.85;

/** Builds one run's load; `warmup` runs are short and not reported. */
export type SpecFor = (run: 'warmup' | 'round') => Promise<ClosedLoopSpec>;

export function summarise(rounds: RunFigures[]): SideSummary {
  return {
    rps: spread(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    cpuMsPerRequest: median(rounds.map((r) => r.cpuMsPerRequest)),
    serverBusy: median(rounds.map((r) => r.serverBusy)),
    rssMiB: Math.max(...rounds.map((r) => r.rssMiB)),
    otherCores: Math.max(...rounds.map((r) => r.otherCores)),
    failed: rounds.reduce((sum, r) => sum + r.requests - r.ok, 0),
    rounds,
  };
}

export const describe = (r: RunFigures) =>
  `${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.cpuMsPerRequest.toFixed(3)} ms CPU/req, busy ${(r.serverBusy * 100).toFixed(0)}%, other load ${r.otherCores.toFixed(2)} cores` +
  (r.requests > r.ok ? `, ${r.requests - r.ok} failed ${JSON.stringify(r.statuses)}` : '');

/**
 * Measures Cognate and the peer on the same load, warm-up first, then rounds that
 * alternate which server goes first, so slow drift (thermal, page cache) hits both alike.
 */
export async function compare(ctx: BenchContext, scenario: string, sides: Record<ServerName, SpecFor>): Promise<Comparison> {
  const { targets } = await ctx.servers();
  const rounds: Record<ServerName, RunFigures[]> = { cognate: [], peer: [] };
  for (const name of ['cognate', 'peer'] as const) await closedLoop(await sides[name]('warmup'), targets[name].pid);
  for (let round = 0; round < ctx.options.rounds; round++) {
    const order: ServerName[] = round % 2 === 0 ? ['cognate', 'peer'] : ['peer', 'cognate'];
    for (const name of order) {
      const figures = await closedLoop({ quietWaitMs: ctx.options.quietWaitSeconds * 1000, ...(await sides[name]('round')) }, targets[name].pid);
      rounds[name].push(figures);
      ctx.log(`  ${scenario} round ${round + 1} ${name.padEnd(7)} ${describe(figures)}`);
    }
  }
  const cognate = summarise(rounds.cognate);
  const peer = summarise(rounds.peer);
  // Each round measures both servers back to back, so a ratio within a round sees the same
  // background load on both sides; the median over rounds then drops the disturbed ones.
  const perRound = (of: (c: RunFigures, p: RunFigures) => number) => median(rounds.cognate.map((c, i) => of(c, rounds.peer[i]!)));
  return {
    scenario,
    cognate,
    peer,
    ratio: perRound((c, p) => c.rps / p.rps),
    cpuRatio: perRound((c, p) => p.cpuMsPerRequest / c.cpuMsPerRequest),
    saturated: cognate.serverBusy >= SATURATED && peer.serverBusy >= SATURATED,
  };
}

/** One server alone (no peer does this): a warm-up, then the rounds. */
export async function measure(ctx: BenchContext, scenario: string, pid: number, specFor: SpecFor): Promise<SideSummary> {
  await closedLoop(await specFor('warmup'), pid);
  const rounds: RunFigures[] = [];
  for (let round = 0; round < ctx.options.rounds; round++) {
    rounds.push(await closedLoop({ quietWaitMs: ctx.options.quietWaitSeconds * 1000, ...(await specFor('round')) }, pid));
    ctx.log(`  ${scenario} round ${round + 1} ${describe(rounds[rounds.length - 1]!)}`);
  }
  return summarise(rounds);
}
