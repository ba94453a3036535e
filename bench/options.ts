import { parseArgs } from 'node:util';

export interface BenchOptions {
  quick: boolean;
  /** Scenario names (or name prefixes) to run; empty runs them all. */
  only: string[];
  rounds: number;
  /** Length of one timed run. */
  seconds: number;
  warmupSeconds: number;
  connections: number;
  /** Single-use inputs (codes) prepared per round and server. */
  codesPerRound: number;
  /** Users seeded for the directory scenario. */
  users: number;
  outDir: string;
  /** Before each timed run, wait up to this long for other processes to leave the machine idle. */
  quietWaitSeconds: number;
  /** Run the servers and the bench at niceness -10 (needs root), ahead of other work on the machine. */
  priority: boolean;
  /** Run the servers under `node --cpu-prof`; profiles land in <outDir>/profiles. */
  profile: boolean;
}

const USAGE = `npm run bench -- [--quick] [--only <scenario>[,<scenario>...]] [--rounds N] [--seconds N] [--users N] [--quiet-wait SECONDS] [--priority] [--out DIR] [--profile]`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string', multiple: true, default: [] },
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      users: { type: 'string' },
      'quiet-wait': { type: 'string' },
      out: { type: 'string', default: 'bench-results' },
      profile: { type: 'boolean', default: false },
      priority: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick;
  const number = (value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new Error(`Not a number of at least 0: ${value}\n${USAGE}`);
    return n;
  };
  return {
    quick,
    only: values.only.flatMap((o) => o.split(',')).map((o) => o.trim()).filter(Boolean),
    rounds: number(values.rounds, quick ? 2 : 5),
    seconds: number(values.seconds, quick ? 2 : 5),
    warmupSeconds: quick ? 1 : 2,
    connections: 32,
    codesPerRound: quick ? 2_000 : 10_000,
    users: number(values.users, quick ? 10_000 : 1_000_000),
    quietWaitSeconds: number(values['quiet-wait'], quick ? 10 : 30),
    outDir: values.out,
    profile: values.profile,
    priority: values.priority,
  };
}
