import type { RunFigures } from '../load/closed-loop.js';
import type { BenchOptions } from '../options.js';
import type { CognateFixture } from '../setup/cognate-fixture.js';
import type { OAuthTarget, ServerName } from '../setup/targets.js';
import type { Cores, ServerProcess } from '../servers/child.js';
import type { CognateServer } from '../servers/cognate.js';
import type { Spread } from '../stats.js';

/** One server's rounds of one scenario, summarised. Latencies and CPU are medians of the rounds. */
export interface SideSummary {
  rps: Spread;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  /** Server CPU over wall time while loaded (1 = its core was saturated). */
  serverBusy: number;
  rssMiB: number;
  /** Highest CPU load (in cores) other processes put on the machine during a round. */
  otherCores: number;
  /** Answers that were not 2xx, over all rounds. */
  failed: number;
  rounds: RunFigures[];
}

export interface Comparison {
  scenario: string;
  cognate: SideSummary;
  peer: SideSummary;
  /** Cognate's req/s over the peer's: the median of the rounds' ratios. */
  ratio: number;
  /** The peer's CPU per request over Cognate's (what one core of each serves), median of the rounds' ratios. */
  cpuRatio: number;
  /** Both servers' cores were saturated, so req/s measured capacity, not the load generator. */
  saturated: boolean;
}

/** A single figure; with a target it is checked and reported as met or missed. */
export interface Figure {
  scenario: string;
  name: string;
  value: number | string;
  unit?: string;
  target?: { op: '>=' | '<='; value: number };
  met?: boolean;
}

export interface ScenarioResult {
  comparisons: Comparison[];
  figures: Figure[];
  notes: string[];
}

export interface Servers {
  cognate: CognateServer;
  peer: ServerProcess;
  fixture: CognateFixture;
  targets: Record<ServerName, OAuthTarget>;
}

export interface BenchContext {
  options: BenchOptions;
  cores: Cores;
  /** Scratch space for databases and server logs. */
  workDir: string;
  /** Starts Cognate and the peer on first use; later calls get the same pair. */
  servers(): Promise<Servers>;
  log(message: string): void;
}

export interface Scenario {
  name: string;
  run(ctx: BenchContext): Promise<ScenarioResult>;
}

/**
 * Throughput ratio checked against its target: measured req/s when both servers were
 * saturated, otherwise CPU per request (the load generator, on one core, ran out first).
 */
export function throughputRatio(comparison: Comparison, minimum?: number): Figure {
  const name = comparison.saturated ? 'throughput ratio to the peer (req/s)' : 'throughput ratio to the peer (CPU per request; load generator bound)';
  const value = comparison.saturated ? comparison.ratio : comparison.cpuRatio;
  return minimum === undefined ? { scenario: comparison.scenario, name, value, unit: '×' } : checked(comparison.scenario, name, value, '×', '>=', minimum);
}

/** A figure checked against its target. */
export function checked(scenario: string, name: string, value: number, unit: string, op: '>=' | '<=', target: number): Figure {
  return { scenario, name, value, unit, target: { op, value: target }, met: op === '>=' ? value >= target : value <= target };
}
