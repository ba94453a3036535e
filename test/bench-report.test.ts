import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatReport, newReport } from '../bench/report.js';
import { parseOptions } from '../bench/options.js';
import { throughputRatio, type Comparison, type SideSummary } from '../bench/scenarios/types.js';
import { median, percentile } from '../bench/stats.js';

const side = (rps: number, cpuMsPerRequest: number, serverBusy: number): SideSummary => ({
  rps: { median: rps, min: rps, max: rps },
  p50: 1,
  p99: 2,
  cpuMsPerRequest,
  serverBusy,
  rssMiB: 100,
  otherCores: 0,
  failed: 0,
  rounds: [],
});

describe('bench report (deterministic parts)', () => {
  it('takes percentiles by nearest rank and medians of even counts as the middle mean', () => {
    assert.equal(percentile([1, 2, 3, 4], 50), 2);
    assert.equal(percentile([1, 2, 3, 4], 99), 4);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it('checks throughput by req/s when both servers were saturated, by CPU per request otherwise', () => {
    const saturated: Comparison = { scenario: 'jwks', cognate: side(3000, 0.1, 0.95), peer: side(1000, 0.3, 0.95), ratio: 3, cpuRatio: 3, saturated: true };
    assert.deepEqual([throughputRatio(saturated, 3).value, throughputRatio(saturated, 3).met], [3, true]);
    const limited = { ...saturated, ratio: 1.5, cpuRatio: 2.5, saturated: false };
    const figure = throughputRatio(limited, 3);
    assert.equal(figure.value, 2.5);
    assert.equal(figure.met, false);
    assert.match(figure.name, /CPU per request/);
  });

  it('prints each comparison with both servers and its ratios', () => {
    const report = newReport(parseOptions(['--quick']), { server: '0', load: '1', nice: null });
    report.comparisons.push({ scenario: 'jwks', cognate: side(3000, 0.1, 0.95), peer: side(1000, 0.3, 0.95), ratio: 3, cpuRatio: 3, saturated: true });
    const text = formatReport(report);
    assert.match(text, /jwks\s+cognate\s+3000 \(3000–3000\)/);
    assert.match(text, /peer\s+1000/);
    assert.match(text, /3\.00×/);
  });
});
