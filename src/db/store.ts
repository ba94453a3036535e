import type { Driver } from './driver.js';
import { sweepExpired } from './repos/sweep.js';
import { passwordHistoryRepo } from './repos/password-history.js';
import { resourceServersRepo } from './repos/resource-servers.js';
import { authorizationCodesRepo, ssoSessionsRepo } from './repos/hosted.js';
import type { Store } from '../ports.js';
import { poolsRepo } from './repos/pools.js';
import { clientsRepo } from './repos/clients.js';
import { usersRepo } from './repos/users.js';
import { authSessionsRepo, codesRepo, refreshTokensRepo } from './repos/tokens.js';
import { auditRepo, keysRepo, messagesRepo } from './repos/misc.js';
import { groupsRepo } from './repos/groups.js';
import { devicesRepo } from './repos/devices.js';
import { federationRepo, identityProvidersRepo } from './repos/federation.js';

/** The one Store implementation; the driver decides better-sqlite3 or D1. */
export function createStore(driver: Driver): Store {
  return {
    pools: poolsRepo(driver),
    clients: clientsRepo(driver),
    users: usersRepo(driver),
    groups: groupsRepo(driver),
    codes: codesRepo(driver),
    authSessions: authSessionsRepo(driver),
    refreshTokens: refreshTokensRepo(driver),
    keys: keysRepo(driver),
    messages: messagesRepo(driver),
    audit: auditRepo(driver),
    passwordHistory: passwordHistoryRepo(driver),
    devices: devicesRepo(driver),
    resourceServers: resourceServersRepo(driver),
    authorizationCodes: authorizationCodesRepo(driver),
    ssoSessions: ssoSessionsRepo(driver),
    identityProviders: identityProvidersRepo(driver),
    federation: federationRepo(driver),
    sweepExpired: sweepExpired(driver),
  };
}
