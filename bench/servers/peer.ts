import { freePort, startServerProcess, type Cores, type ServerProcess } from './child.js';

/** oidc-provider configured as bench/peer/main.ts describes, in production mode. */
export async function startPeer(options: { cores: Cores; logFile: string; profileDir?: string }): Promise<ServerProcess> {
  const port = await freePort();
  return startServerProcess({
    cores: options.cores,
    nodeArgs: ['--import', 'tsx', 'bench/peer/main.ts'],
    env: { NODE_ENV: 'production', PORT: String(port) },
    port,
    readyPath: '/.well-known/openid-configuration',
    logFile: options.logFile,
    profileDir: options.profileDir,
  });
}
