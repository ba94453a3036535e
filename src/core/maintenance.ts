import type { Core } from './context.js';
import { rotateDueKeys } from './tokens/rotation.js';

/** What each runtime runs on a schedule: sweep what expired, then rotate keys that are due. */
export async function runMaintenance(core: Core, keyRotationDays: number): Promise<void> {
  await core.store.sweepExpired(core.clock.now());
  if (keyRotationDays > 0) await rotateDueKeys(core, keyRotationDays * 86_400_000);
}
