import { cpuMs, machineBusyMs, runningServerPids } from '../servers/child.js';

const WINDOW_MS = 1_000;
/** Cores' worth of CPU other processes may use while a measurement starts. */
const QUIET_CORES = 0.3;

/** CPU the bench and its servers did not use during the window, in cores. */
async function otherLoad(): Promise<number> {
  const pids = runningServerPids();
  const serversBefore = pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
  const machineBefore = machineBusyMs();
  const ownBefore = process.cpuUsage();
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  const own = process.cpuUsage(ownBefore);
  const servers = pids.reduce((sum, pid) => sum + cpuMs(pid), 0) - serversBefore;
  return (machineBusyMs() - machineBefore - servers - (own.user + own.system) / 1000) / WINDOW_MS;
}

/**
 * Waits (up to `maxWaitMs`) until other processes leave the machine nearly idle, so a round
 * does not start in the middle of someone's build. Answers the load it last saw.
 */
export async function waitForQuiet(maxWaitMs: number): Promise<number> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const load = await otherLoad();
    if (!(load > QUIET_CORES) || Date.now() >= deadline) return load;
  }
}
