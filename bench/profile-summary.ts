/**
 * Where a server spent its CPU: `npx tsx bench/profile-summary.ts <file.cpuprofile> [top]`.
 * Profiles come from `npm run bench -- --profile` (V8's --cpu-prof on both servers).
 * Prints self time by function, and inclusive time by function and by package or file.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const msPerSample = (profile.endTime - profile.startTime) / 1000 / profile.samples.length;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

function where(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const src = /\/(src|bench|test)\/(.+)$/.exec(url);
  if (src) return `${src[1]}/${src[2]}`;
  return url === '' ? '(native)' : url.replace(/^node:/, 'node:');
}

const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const inclusiveWhere = new Map<string, number>();
for (const node of profile.nodes) {
  const ms = (node.hitCount ?? 0) * msPerSample;
  if (ms === 0) continue;
  self.set(label(node), (self.get(label(node)) ?? 0) + ms);
  // Each ancestor counts once per sample, however often it recurs on the stack.
  const seen = new Set<string>();
  const seenWhere = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parentOf.get(id)) {
    const ancestor = byId.get(id)!;
    const name = label(ancestor);
    if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
    seen.add(name);
    const place = where(ancestor.callFrame.url);
    if (!seenWhere.has(place)) inclusiveWhere.set(place, (inclusiveWhere.get(place) ?? 0) + ms);
    seenWhere.add(place);
  }
}

const total = profile.samples.length * msPerSample;
function print(title: string, entries: Map<string, number>): void {
  console.log(`\n${title}`);
  for (const [name, ms] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${ms.toFixed(0).padStart(8)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
  }
}

console.log(`${file}: ${total.toFixed(0)} ms sampled`);
print('Self time by function', self);
print('Inclusive time by function', inclusive);
print('Inclusive time by package or file', inclusiveWhere);
