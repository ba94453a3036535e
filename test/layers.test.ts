import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';

function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1] ?? m[2]!);
}

/** Returns "file: offending import" lines for files under `dir` that break `rule`. */
function violations(dir: string, rule: (specifier: string, file: string) => boolean, text?: RegExp): string[] {
  const out: string[] = [];
  for (const file of sources(dir)) {
    for (const specifier of imports(file)) if (rule(specifier, file)) out.push(`${relative('.', file)}: ${specifier}`);
    if (text && text.test(readFileSync(file, 'utf8'))) out.push(`${relative('.', file)}: matches ${text}`);
  }
  return out;
}

const RUNTIME_BOUND = /^(node:|hono|@hono\/|drizzle-orm|better-sqlite3|cloudflare:|wrangler|@cloudflare\/|@node-rs\/|@aws-sdk\/|fs$|path$|crypto$|os$|http$)/;

describe('layers (DESIGN.md §2)', () => {
  it('core is runtime-neutral: no runtime, driver, framework or process.env', () => {
    assert.deepEqual(violations('src/core', (s) => RUNTIME_BOUND.test(s) || /\/(runtime|http|db|ui)\//.test(s), /process\.env|\bBuffer\./), []);
  });

  it('providers import only ports, errors and protocol libraries', () => {
    assert.deepEqual(violations('providers', (s) => RUNTIME_BOUND.test(s) || /src\/(runtime|http|db|core|ui)\//.test(s), /process\.env/), []);
  });

  it('the db layer imports drizzle and ports only, never a driver', () => {
    assert.deepEqual(violations('src/db', (s) => /^(node:|better-sqlite3|drizzle-orm\/(better-sqlite3|d1)|hono|cloudflare:)/.test(s) || /\/(runtime|http|core)\//.test(s), /process\.env/), []);
  });

  it('http does not reach past core into drivers or runtimes', () => {
    assert.deepEqual(violations('src/http', (s) => /^(node:|better-sqlite3|drizzle-orm|cloudflare:)/.test(s) || /\/(runtime|db)\//.test(s), /process\.env/), []);
  });

  it('nothing outside runtime imports the runtime folder, and only runtime reads process.env', () => {
    const outside = ['src/core', 'src/http', 'src/db', 'src/config', 'src/ui', 'providers'].flatMap((dir) =>
      violations(dir, (s) => /\/runtime\//.test(s) || s === '../runtime' , /process\.env/),
    );
    assert.deepEqual(outside, []);
  });

  it('the rule itself catches a forbidden import (guards against a check that cannot fail)', () => {
    assert.ok(RUNTIME_BOUND.test('node:fs') && RUNTIME_BOUND.test('drizzle-orm') && RUNTIME_BOUND.test('better-sqlite3'));
    assert.ok(imports('src/runtime/node-server.ts').includes('node:fs'));
  });
});
