import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { checked, type Scenario } from './types.js';

const SCENARIO = 'worker-bundle';
const OUT_DIR = 'dist/worker';

/** What wrangler would upload (`npm run worker:build`, a dry run), gzipped: code and wasm, not source maps. */
export const workerBundle: Scenario = {
  name: SCENARIO,
  async run(ctx) {
    const build = spawnSync('npm', ['run', '--silent', 'worker:build'], {
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    });
    if (build.status !== 0) throw new Error(`worker:build failed:\n${build.stdout}\n${build.stderr}`);
    const files = readdirSync(OUT_DIR).filter((f) => /\.(js|mjs|wasm)$/.test(f));
    let raw = 0;
    let gzip = 0;
    for (const file of files) {
      const bytes = readFileSync(join(OUT_DIR, file));
      raw += bytes.length;
      gzip += gzipSync(bytes).length;
    }
    const wrangler = /Total Upload: ([\d.]+ KiB) \/ gzip: ([\d.]+ KiB)/.exec(build.stdout);
    ctx.log(`  ${files.join(', ')}: ${(raw / 1024).toFixed(1)} KiB, gzip ${(gzip / 1024).toFixed(1)} KiB`);
    return {
      comparisons: [],
      figures: [
        { scenario: SCENARIO, name: `bundle (${files.length} files)`, value: raw / 1024, unit: 'KiB' },
        checked(SCENARIO, 'bundle gzip', gzip / 1024, 'KiB', '<=', 1024),
        ...(wrangler ? [{ scenario: SCENARIO, name: 'wrangler reports', value: `${wrangler[1]} / gzip ${wrangler[2]}` }] : []),
      ],
      notes: [],
    };
  },
};
