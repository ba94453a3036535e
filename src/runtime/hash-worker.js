// Password hashing thread for src/runtime/node-hasher.ts. Plain JavaScript so that it starts
// without the TypeScript loader, which Node 20 does not carry into worker threads.
import { hashSync, verifySync } from '@node-rs/argon2';
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

// Ten nice levels below the event loop: a burst of sign-ins then takes the CPU the server does
// not need, instead of half of it, and token or key requests keep their latency.
const LOWER_BY = 10;

try {
  // Linux gives each thread its own niceness; /proc/thread-self names this thread's id.
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  setPriority(tid, Math.min(19, getPriority(tid) + LOWER_BY));
} catch {
  // Elsewhere the thread keeps the process's priority.
}

parentPort.on('message', (task) => {
  let outcome;
  try {
    outcome = { value: task.op === 'hash' ? hashSync(task.password, workerData.hashOptions) : verifySync(task.phc, task.password) };
  } catch (error) {
    outcome = { error: String(error) };
  }
  parentPort.postMessage(outcome);
});
