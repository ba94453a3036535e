import { cpuMs, machineBusyMs, rssBytes } from '../servers/child.js';
import { LatencyRecorder } from '../stats.js';
import { waitForQuiet } from './quiet.js';
import { loadAutocannon, type AutocannonRequest } from './autocannon-api.js';

const autocannon = await loadAutocannon();

/** One request's varying part, for inputs that are good only once (codes, refresh tokens, signatures). */
export interface RequestParts {
  headers?: Record<string, string>;
  body?: string;
}

export interface ClosedLoopSpec {
  /** Full URL: origin and path. */
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Called for every request; its parts replace the fixed ones. */
  next?: () => RequestParts;
  /** Sees every response body (to collect a rotated refresh token, say). */
  onBody?: (status: number, body: string) => void;
  connections: number;
  /** Run for this long, or until `amount` requests were answered. */
  seconds?: number;
  amount?: number;
  /** How long to wait for other processes to quiet down before starting (default: no wait). */
  quietWaitMs?: number;
}

/** What one run measured; latencies are of successful (2xx) answers only. */
export interface RunFigures {
  requests: number;
  ok: number;
  statuses: Record<string, number>;
  rps: number;
  p50: number;
  p99: number;
  /** Server CPU (user + system, all threads) per answered request. */
  cpuMsPerRequest: number;
  /** Server CPU time over wall time: near 1 means the server's core was saturated. */
  serverBusy: number;
  rssMiB: number;
  elapsedMs: number;
  /**
   * Cores' worth of CPU used by processes other than the server and the bench while it ran:
   * other work on the machine that can skew the figures.
   */
  otherCores: number;
}

/**
 * Drives a server with autocannon, each connection sending its next request when the
 * previous answer arrives, and reads the server's CPU and RSS from /proc around the run.
 */
export async function closedLoop(spec: ClosedLoopSpec, serverPid: number): Promise<RunFigures> {
  const url = new URL(spec.url);
  const request: AutocannonRequest = {
    method: spec.method ?? 'GET',
    path: url.pathname + url.search,
    headers: spec.headers ?? {},
    ...(spec.body === undefined ? {} : { body: spec.body }),
  };
  if (spec.next) {
    const next = spec.next;
    request.setupRequest = (base) => {
      const parts = next();
      return { ...base, headers: { ...base.headers, ...parts.headers }, ...(parts.body === undefined ? {} : { body: parts.body }) };
    };
  }
  if (spec.onBody) {
    const onBody = spec.onBody;
    request.onResponse = (status, body) => onBody(status, body);
  }
  const latencies = new LatencyRecorder();
  const statuses: Record<string, number> = {};
  let requests = 0;
  if (spec.quietWaitMs) await waitForQuiet(spec.quietWaitMs);
  const cpuBefore = cpuMs(serverPid);
  const machineBefore = machineBusyMs();
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  await new Promise<void>((finished) => {
    const instance = autocannon({
      url: url.origin,
      connections: spec.connections,
      ...(spec.amount === undefined ? { duration: spec.seconds ?? 5 } : { amount: spec.amount }),
      timeout: 30,
      requests: [request],
    });
    instance.on('response', (_client, status, _bytes, ms) => {
      requests++;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) latencies.add(ms);
    });
    // Socket errors count as answers that failed; autocannon reconnects by itself.
    instance.on('reqError', () => {
      requests++;
      statuses.error = (statuses.error ?? 0) + 1;
    });
    instance.on('done', () => finished());
  });
  const elapsedMs = performance.now() - started;
  const cpu = cpuMs(serverPid) - cpuBefore;
  const own = process.cpuUsage(ownBefore);
  const other = machineBusyMs() - machineBefore - cpu - (own.user + own.system) / 1000;
  const { p50, p99 } = latencies.summary();
  return {
    requests,
    ok: latencies.size,
    statuses,
    rps: (latencies.size * 1000) / elapsedMs,
    p50,
    p99,
    cpuMsPerRequest: requests === 0 ? 0 : cpu / requests,
    serverBusy: cpu / elapsedMs,
    rssMiB: rssBytes(serverPid) / 2 ** 20,
    elapsedMs,
    otherCores: Math.max(0, other / elapsedMs),
  };
}
