import { Agent, request } from 'node:http';
import { LatencyRecorder } from '../stats.js';
import type { RequestParts } from './closed-loop.js';

/**
 * A constant arrival rate, whatever the server's answers take. autocannon's rate limit
 * releases each connection's quota for the second in one burst at the second's start; an
 * overload test needs arrivals spread evenly, so this small driver sends them on a 1 ms tick.
 */
export interface OpenLoopSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  next: () => RequestParts;
  /** Requests per second. */
  rate: number;
  seconds: number;
  /** Names the outcome of an answer; answers are grouped by it. */
  classify?: (status: number, body: string) => string;
}

export interface OutcomeFigures {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface OpenLoopResult {
  offeredRate: number;
  elapsedMs: number;
  outcomes: Record<string, OutcomeFigures>;
}

const defaultClassify = (status: number) => (status >= 200 && status < 300 ? 'ok' : `HTTP ${status}`);

export async function openLoop(spec: OpenLoopSpec): Promise<OpenLoopResult> {
  const url = new URL(spec.url);
  const agent = new Agent({ keepAlive: true, maxSockets: 4096 });
  const classify = spec.classify ?? defaultClassify;
  const recorders = new Map<string, LatencyRecorder>();
  const record = (outcome: string, ms: number) => {
    const recorder = recorders.get(outcome) ?? new LatencyRecorder();
    recorder.add(ms);
    recorders.set(outcome, recorder);
  };
  let pending = 0;
  const send = () => {
    const parts = spec.next();
    const started = performance.now();
    pending++;
    const req = request(
      { agent, host: url.hostname, port: url.port, path: url.pathname + url.search, method: spec.method ?? 'POST', headers: { ...spec.headers, ...parts.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          pending--;
          record(classify(res.statusCode ?? 0, body), performance.now() - started);
        });
      },
    );
    req.on('error', () => {
      pending--;
      record('connection error', performance.now() - started);
    });
    req.end(parts.body);
  };
  const total = Math.round(spec.rate * spec.seconds);
  const started = performance.now();
  let sent = 0;
  await new Promise<void>((done) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * spec.rate));
      while (sent < due) {
        sent++;
        send();
      }
      if (sent === total) {
        clearInterval(tick);
        done();
      }
    }, 1);
  });
  while (pending > 0) await new Promise((r) => setTimeout(r, 5));
  const elapsedMs = performance.now() - started;
  agent.destroy();
  const outcomes: Record<string, OutcomeFigures> = {};
  for (const [outcome, recorder] of recorders) outcomes[outcome] = { count: recorder.size, ...recorder.summary() };
  return { offeredRate: spec.rate, elapsedMs, outcomes };
}
