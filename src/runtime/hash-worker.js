// Password hashing thread for src/runtime/node-hasher.ts. Plain JavaScript so that it starts
// without the TypeScript loader, which Node 20 does not carry into worker threads.
import { hashSync, verifySync } from '@node-rs/argon2';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';

// The lowest niceness there is: a burst of sign-ins takes only the CPU the server does not need,
// and the scheduler lets the event loop (and its Web Crypto threads) run the moment they wake, so
// token and key requests keep their latency. At ten levels below, a token request waited behind
// hashing for tens of milliseconds under a 2x sign-in overload.
const NICEST = 19;

try {
  // Linux gives each thread its own niceness; /proc/thread-self names this thread's id.
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  setPriority(tid, NICEST);
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
