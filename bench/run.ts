/**
 * `npm run bench`: Cognate beside oidc-provider on the same machine in the same run.
 * See bench/README.md for what each scenario measures and how the servers are configured.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseOptions } from './options.js';
import { formatReport, newReport, writeReport } from './report.js';
import { federatedSignIn } from './scenarios/federation.js';
import { metadataScenarios } from './scenarios/metadata.js';
import { millionUsers } from './scenarios/million-users.js';
import { workerBundle } from './scenarios/worker-bundle.js';
import { passwordSignIn } from './scenarios/password.js';
import { signUp } from './scenarios/sign-up.js';
import { tokenScenarios } from './scenarios/tokens.js';
import type { BenchContext, Scenario, Servers } from './scenarios/types.js';
import { pinCores } from './servers/child.js';
import { startCognate } from './servers/cognate.js';
import { startPeer } from './servers/peer.js';
import { createCognateFixture } from './setup/cognate-fixture.js';
import { cognateTarget, peerTarget } from './setup/targets.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const SCENARIOS: Scenario[] = [...tokenScenarios, ...metadataScenarios, passwordSignIn, signUp, federatedSignIn, millionUsers, workerBundle];

const options = parseOptions(process.argv.slice(2));
const selected = options.only.length === 0 ? SCENARIOS : SCENARIOS.filter((s) => options.only.some((o) => s.name.startsWith(o)));
if (selected.length === 0) throw new Error(`No scenario matches --only ${options.only.join(',')}; scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}`);

const cores = pinCores(cpus().length, options.priority);
const workDir = mkdtempSync(join(tmpdir(), 'cognate-bench-'));
const logDir = resolve(options.outDir, 'logs');
mkdirSync(logDir, { recursive: true });
const profileDir = options.profile ? resolve(options.outDir, 'profiles') : undefined;
const log = (message: string) => console.log(message);

let servers: Promise<Servers> | undefined;
async function startServers(): Promise<Servers> {
  log(`Starting Cognate and oidc-provider (logs in ${logDir})`);
  const cognate = await startCognate({ cores, dbPath: join(workDir, 'cognate.db'), logFile: join(logDir, 'cognate.log'), profileDir });
  const peer = await startPeer({ cores, logFile: join(logDir, 'peer.log'), profileDir });
  const fixture = await createCognateFixture(cognate);
  return { cognate, peer, fixture, targets: { cognate: cognateTarget(cognate, fixture), peer: peerTarget(peer) } };
}

const ctx: BenchContext = { options, cores, workDir, servers: () => (servers ??= startServers()), log };
const report = newReport(options, cores);
try {
  for (const scenario of selected) {
    log(`\n== ${scenario.name}`);
    try {
      const result = await scenario.run(ctx);
      report.comparisons.push(...result.comparisons);
      report.figures.push(...result.figures);
      report.notes.push(...result.notes);
    } catch (error) {
      const message = `${scenario.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
      log(message);
      report.notes.push(message);
    }
  }
} finally {
  if (servers) {
    const { cognate, peer } = await servers;
    await Promise.all([cognate.stop(), peer.stop()]);
  }
  rmSync(workDir, { recursive: true, force: true });
}
log(`\n${formatReport(report)}`);
log(`\nJSON: ${writeReport(report, options.outDir)}`);
