import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import type { BenchOptions } from './options.js';
import type { Cores } from './servers/child.js';
import type { Comparison, Figure, SideSummary } from './scenarios/types.js';

export interface BenchReport {
  startedAt: string;
  machine: { cpu: string; cores: number; node: string; kernel: string; pinning: Cores };
  options: BenchOptions;
  comparisons: Comparison[];
  figures: Figure[];
  notes: string[];
}

export function newReport(options: BenchOptions, pinning: Cores): BenchReport {
  return {
    startedAt: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version, kernel: release(), pinning },
    options,
    comparisons: [],
    figures: [],
    notes: [],
  };
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const fixed = (n: number, digits: number) => n.toFixed(digits);
const rate = (n: number) => (n >= 100 ? fixed(n, 0) : fixed(n, 1));

function sideRow(scenario: string, server: string, s: SideSummary, ratio: string, cpuRatio: string): string[] {
  return [
    scenario,
    server,
    `${rate(s.rps.median)} (${rate(s.rps.min)}–${rate(s.rps.max)})`,
    fixed(s.p50, 2),
    fixed(s.p99, 2),
    fixed(s.cpuMsPerRequest, 3),
    `${fixed(s.serverBusy * 100, 0)}%`,
    fixed(s.rssMiB, 0),
    fixed(s.otherCores, 2),
    s.failed > 0 ? String(s.failed) : '',
    ratio,
    cpuRatio,
  ];
}

function formatValue(f: Figure): string {
  if (typeof f.value === 'string') return f.value;
  const digits = Math.abs(f.value) >= 100 ? 0 : Math.abs(f.value) >= 10 ? 1 : 2;
  return `${fixed(f.value, digits)}${f.unit ? ` ${f.unit}` : ''}`;
}

/** The report as printed: comparisons, then single figures with their targets, then notes. */
export function formatReport(report: BenchReport): string {
  const { machine } = report;
  const pinning =
    (machine.pinning.server === null ? 'not pinned (taskset missing or one core)' : `servers on core ${machine.pinning.server}, load on core ${machine.pinning.load}`) +
    (machine.pinning.nice === null ? '' : `, niceness ${machine.pinning.nice}`);
  const parts = [
    `Cognate bench, ${report.startedAt}: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, Linux ${machine.kernel}; ${pinning}.`,
    `${report.options.rounds} rounds of ${report.options.seconds} s at ${report.options.connections} connections; medians over rounds, req/s with min–max; ratios are medians of each round's ratio.`,
    'busy: server CPU over wall time (100% = its core saturated); other load: cores used by other processes during the worst round (noise);',
    'CPU ratio: peer CPU per request over Cognate\'s, i.e. what one core of each serves; it stands for throughput where the load generator could not saturate a server.',
  ];
  if (report.comparisons.length > 0) {
    const rows = report.comparisons.flatMap((c) => [
      sideRow(c.scenario, 'cognate', c.cognate, `${fixed(c.ratio, 2)}×`, `${fixed(c.cpuRatio, 2)}×`),
      sideRow('', 'peer', c.peer, '', ''),
    ]);
    parts.push(table(['scenario', 'server', 'req/s (min–max)', 'p50 ms', 'p99 ms', 'CPU ms/req', 'busy', 'RSS MiB', 'other load', 'failed', 'req/s ratio', 'CPU ratio'], rows));
  }
  if (report.figures.length > 0) {
    const rows = report.figures.map((f) => [
      f.scenario,
      f.name,
      formatValue(f),
      f.target ? `${f.target.op === '>=' ? '≥' : '≤'} ${f.target.value}${f.unit ? ` ${f.unit}` : ''}` : '',
      f.met === undefined ? '' : f.met ? 'met' : 'MISSED',
    ]);
    parts.push(table(['scenario', 'figure', 'value', 'target', ''], rows));
  }
  if (report.notes.length > 0) parts.push(report.notes.map((n) => `- ${n}`).join('\n'));
  return parts.join('\n\n');
}

/** Writes the report as JSON into `outDir` and answers the file's path. */
export function writeReport(report: BenchReport, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `bench-${report.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
