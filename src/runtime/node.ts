import { setFlagsFromString } from 'node:v8';
import { startNodeServer } from './node-server.js';

// A larger young generation: a request allocates ~100 KB that dies young, and with V8's default
// semi-space the collector stops the server every hundred requests or so for ~2 ms, which is
// most of the tail latency of an admin call. Set before the server allocates.
setFlagsFromString('--max-semi-space-size=64');

// `npm start`: the only place that reads process.env.
const server = await startNodeServer({ env: process.env });
console.log(`Cognate listening on ${server.url} (base URL ${server.core.settings.baseUrl})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void server.close().then(() => process.exit(0)));
}
