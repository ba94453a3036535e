import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Where the servers and the load generator run; null where `taskset` or `renice` cannot. */
export interface Cores {
  server: string | null;
  load: string | null;
  /** Niceness of the servers and the bench (negative: ahead of other processes), when raised. */
  nice: number | null;
}

const HAS_TASKSET = spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
const RAISED_NICE = -10;

/**
 * Servers on core 0, this process (and with it the load generator) on core 1, so a server
 * never competes with the load it is measured under. On one core, or without taskset,
 * nothing is pinned and the report says so. With `raisePriority` (root only) the servers and
 * the bench run at niceness -10, ahead of whatever else the machine is doing.
 */
export function pinCores(cpuCount: number, raisePriority: boolean): Cores {
  const nice = raisePriority && raisePriorityOfThisSession() ? RAISED_NICE : null;
  const none = { server: null, load: null, nice };
  if (!HAS_TASKSET || cpuCount < 2) return none;
  // -a: every thread of this process, including the ones already started (libuv, V8).
  if (spawnSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' }).status !== 0) return none;
  return { server: '0', load: '1', nice };
}

/**
 * With autogroup scheduling (Linux's default on desktops and many servers) the scheduler
 * shares CPU fairly between sessions first, so the session's group gets the niceness as well
 * as this process; the servers are started in the same session and inherit both.
 */
function raisePriorityOfThisSession(): boolean {
  if (spawnSync('renice', ['-n', String(RAISED_NICE), '-p', String(process.pid)], { stdio: 'ignore' }).status !== 0) return false;
  try {
    writeFileSync('/proc/self/autogroup', String(RAISED_NICE));
  } catch {
    // No autogroup scheduling here: the process niceness alone decides.
  }
  return true;
}

/** Prefixes a command with `nice` and `taskset -c <core>` where the bench uses them; both exec, so the pid stays the command's. */
export function pinned(cores: Cores, command: string, args: string[]): [string, string[]] {
  const onCore: [string, string[]] = cores.server === null ? [command, args] : ['taskset', ['-c', cores.server, command, ...args]];
  return cores.nice === null ? onCore : ['nice', ['-n', String(cores.nice), onCore[0], ...onCore[1]]];
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
  const address = probe.address();
  await new Promise((done) => probe.close(done));
  return typeof address === 'object' && address ? address.port : 0;
}

const running = new Set<number>();

/** Servers this bench started and has not stopped: their CPU is not noise. */
export function runningServerPids(): number[] {
  return [...running];
}

export interface ServerProcess {
  pid: number;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface StartOptions {
  cores: Cores;
  /** `node` arguments: the entry file and any flags. */
  nodeArgs: string[];
  env: Record<string, string>;
  port: number;
  /** A path that answers 200 once the server is ready. */
  readyPath: string;
  logFile: string;
  /** Folder for a V8 CPU profile written when the server exits. */
  profileDir?: string;
}

/**
 * Starts a Node server as a child process. `taskset` execs node, so the child's pid is the
 * server's own and /proc/<pid> describes the server, not a wrapper.
 */
export async function startServerProcess(options: StartOptions): Promise<ServerProcess> {
  const log = openSync(options.logFile, 'a');
  const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const [command, args] = pinned(options.cores, process.execPath, [...profile, ...options.nodeArgs]);
  const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', log, log] });
  const url = `http://127.0.0.1:${options.port}`;
  let exited = false;
  running.add(child.pid!);
  child.once('exit', () => {
    exited = true;
    running.delete(child.pid!);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`Server exited during start; see ${options.logFile}`);
    if (Date.now() > deadline) throw new Error(`Server did not answer ${options.readyPath} within 60 s; see ${options.logFile}`);
    const ok = await fetch(url + options.readyPath).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid!,
    url,
    child,
    stop: () =>
      new Promise<void>((done) => {
        if (exited) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** User + system CPU time of a process and all its threads, in milliseconds. */
export function cpuMs(pid: number): number {
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    const ps = spawnSync('ps', ['-o', 'cputimes=', '-p', String(pid)], { encoding: 'utf8' });
    return Number(ps.stdout.trim()) * 1000;
  }
}

/** Resident set size in bytes. */
export function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(match?.[1]) * 1024;
  } catch {
    const ps = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
    return Number(ps.stdout.trim()) * 1024;
  }
}

/** CPU time every core of the machine spent busy since boot, in milliseconds (NaN off Linux). */
export function machineBusyMs(): number {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
    // user nice system idle iowait irq softirq steal: all but idle and iowait are busy.
    const busy = fields.slice(0, 8).reduce((sum, value, i) => (i === 3 || i === 4 ? sum : sum + Number(value)), 0);
    return (busy * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}
