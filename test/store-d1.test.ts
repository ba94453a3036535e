import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type * as Wrangler from 'wrangler';
import { migrationStatements } from './fixtures/migrations.js';
import { storeCases } from './store/cases.js';

type Worker = Awaited<ReturnType<typeof Wrangler.unstable_startWorker>>;

// The same Store contract as test/store-sqlite.test.ts, run inside workerd on a local D1
// database: the fixture Worker runs one case per request and reports the outcome.
describe('store on D1 (workerd)', { timeout: 120_000 }, () => {
  let worker: Worker | undefined;

  async function call(path: string, init?: Parameters<Worker['fetch']>[1]): Promise<unknown> {
    const response = await worker!.fetch(`http://store.test${path}`, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text}`);
    return JSON.parse(text);
  }

  before(async () => {
    process.env.WRANGLER_SEND_METRICS = 'false';
    process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false';
    const { unstable_startWorker } = await import('wrangler');
    worker = await unstable_startWorker({
      config: fileURLToPath(new URL('./fixtures/wrangler.store.jsonc', import.meta.url)),
      build: { nodejsCompatMode: 'v2' },
      // persist: false keeps D1 in memory, so every run starts from an empty database.
      dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, persist: false, watch: false, logLevel: 'warn' },
    });
    await worker.ready;
    await call('/migrate', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ statements: migrationStatements() }),
    });
    assert.deepEqual(await call('/cases'), storeCases.map((c) => c.name), 'the bundled cases match the ones on disk');
  });

  after(async () => {
    await worker?.dispose();
  });

  for (const c of storeCases) {
    it(c.name, async () => {
      const result = (await call(`/run?name=${encodeURIComponent(c.name)}`, { method: 'POST' })) as { ok: boolean; error?: string };
      if (!result.ok) assert.fail(`inside workerd: ${result.error}`);
    });
  }
});
