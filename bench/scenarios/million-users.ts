import { AdminCreateUserCommand, AdminSetUserPasswordCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { join } from 'node:path';
import { closedLoop, type RunFigures } from '../load/closed-loop.js';
import { rssBytes } from '../servers/child.js';
import { startCognate, type CognateServer } from '../servers/cognate.js';
import { BENCH_PASSWORD } from '../setup/cognate-fixture.js';
import { cycle, presign } from '../setup/presign.js';
import { seedUsers, seededUsername } from '../setup/seed-users.js';
import { checked, type BenchContext, type Figure, type Scenario } from './types.js';

const SCENARIO = 'million-users';
const TEMPLATE = 'template-user';
const SIGNED_REQUESTS = 2_000;

/** A pool and one user made through the API, whose row the seeding copies. */
async function createTemplate(cognate: CognateServer): Promise<string> {
  const { UserPool } = await cognate.admin.send(new CreateUserPoolCommand({ PoolName: 'bench-directory', AutoVerifiedAttributes: ['email'] }));
  const poolId = UserPool!.Id!;
  await cognate.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: TEMPLATE,
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: `${TEMPLATE}@example.com` },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'given_name', Value: 'Given' },
        { Name: 'family_name', Value: 'Family' },
      ],
    }),
  );
  await cognate.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: TEMPLATE, Password: BENCH_PASSWORD, Permanent: true }));
  return poolId;
}

const latency = (r: RunFigures) => `${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`;

/**
 * A directory of `--users` users (1,000,000 by default) seeded into Cognate's SQLite file,
 * then Cognate restarted on it: disk per user, look-ups, prefix search and memory.
 */
export const millionUsers: Scenario = {
  name: SCENARIO,
  async run(ctx: BenchContext) {
    const count = ctx.options.users;
    const dbPath = join(ctx.workDir, 'directory.db');
    const logFile = join(ctx.options.outDir, 'logs', 'cognate-directory.log');
    const first = await startCognate({ cores: ctx.cores, dbPath, logFile });
    const poolId = await createTemplate(first).finally(() => first.stop());

    const seedStart = performance.now();
    const added = seedUsers(dbPath, poolId, TEMPLATE, count, (done) => {
      if (done % 200_000 === 0 || done === count) ctx.log(`  seeded ${done} users`);
    });
    const seedSeconds = (performance.now() - seedStart) / 1000;

    const profileDir = ctx.options.profile ? join(ctx.options.outDir, 'profiles') : undefined;
    const cognate = await startCognate({ cores: ctx.cores, dbPath, logFile, profileDir });
    try {
      const rssAtStart = rssBytes(cognate.pid) / 2 ** 20;
      const usernames = Array.from({ length: SIGNED_REQUESTS }, () => seededUsername(Math.floor(Math.random() * count)));
      const getUser = await presign(cognate.url, cognate.adminKeys, 'AdminGetUser', usernames.map((Username) => ({ UserPoolId: poolId, Username })));
      const listUsers = await presign(cognate.url, cognate.adminKeys, 'ListUsers', [{ UserPoolId: poolId, Filter: 'email ^= "user12"', Limit: 60 }]);
      const quietWaitMs = ctx.options.quietWaitSeconds * 1000;
      const run = (parts: typeof getUser, connections: number, seconds: number) =>
        closedLoop({ url: `${cognate.url}/`, method: 'POST', next: cycle(parts), connections, seconds, quietWaitMs }, cognate.pid);

      // A restarted server compiles its hot paths over the first few thousand requests; measured
      // from a cold start, p99 of one connection is the compiler's, not the store's.
      await run(getUser, 4, ctx.options.warmupSeconds);
      await run(getUser, 1, ctx.options.seconds);
      const getOne = await run(getUser, 1, ctx.options.seconds);
      const getMany = await run(getUser, ctx.options.connections, ctx.options.seconds);
      const listOne = await run(listUsers, 1, ctx.options.seconds);
      ctx.log(`  AdminGetUser 1 conn: ${latency(getOne)}; ${ctx.options.connections} conn: ${latency(getMany)}; ListUsers: ${latency(listOne)}`);
      const failed = getOne.requests - getOne.ok + getMany.requests - getMany.ok + listOne.requests - listOne.ok;
      const rss = rssBytes(cognate.pid) / 2 ** 20;

      const figures: Figure[] = [
        { scenario: SCENARIO, name: 'users seeded', value: `${count.toLocaleString('en')} in ${seedSeconds.toFixed(0)} s` },
        checked(SCENARIO, 'database bytes per user', added / count, 'B', '<=', 1024),
        checked(SCENARIO, 'AdminGetUser p99, 1 connection', getOne.p99, 'ms', '<=', 2),
        { scenario: SCENARIO, name: 'AdminGetUser, 1 connection', value: latency(getOne) },
        { scenario: SCENARIO, name: `AdminGetUser, ${ctx.options.connections} connections`, value: latency(getMany) },
        { scenario: SCENARIO, name: 'ListUsers email ^= "user12" (60 of them), 1 connection', value: latency(listOne) },
        { scenario: SCENARIO, name: 'server RSS at start', value: rssAtStart, unit: 'MiB' },
        checked(SCENARIO, 'server RSS after the look-ups', rss, 'MiB', '<=', 256),
        ...(failed > 0 ? [{ scenario: SCENARIO, name: 'answers that failed', value: failed }] : []),
      ];
      return { comparisons: [], figures, notes: [] };
    } finally {
      await cognate.stop();
    }
  },
};
