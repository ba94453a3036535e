import { startNodeServer } from './node-server.js';

// `npm start`: the only place that reads process.env. package.json starts it with
// --max-semi-space-size=64: a request allocates ~100 KB that dies young, and V8's default young
// generation made the collector pause the server every hundred requests or so.
const server = await startNodeServer({ env: process.env });
console.log(`Cognate listening on ${server.url} (base URL ${server.core.settings.baseUrl})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void server.close().then(() => process.exit(0)));
}
