import { startNodeServer } from './node-server.js';

// `npm start`: the only place that reads process.env.
const server = await startNodeServer({ env: process.env });
console.log(`Cognate listening on ${server.url} (base URL ${server.core.settings.baseUrl})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void server.close().then(() => process.exit(0)));
}
