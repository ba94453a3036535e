import type { ClientRecord, MfaFactor, PoolRecord, UserRecord } from '../../ports.js';
import type { Challenge } from '../auth/steps.js';
import { openSession } from '../auth/sessions.js';
import type { Core } from '../context.js';
import { issueCode, type CodePurpose } from '../directory/codes.js';
import { deliverCode, type Destination } from '../messages/deliver.js';
import { mfaDecision } from './factors.js';

/** Where SMS_MFA and EMAIL_OTP codes go, and the purpose their hashes are kept under. */
export const CODE_FACTORS: Partial<Record<MfaFactor, { purpose: CodePurpose; attribute: 'phone_number' | 'email'; channel: Destination['channel'] }>> = {
  SMS_MFA: { purpose: 'mfa:sms', attribute: 'phone_number', channel: 'sms' },
  EMAIL_OTP: { purpose: 'mfa:email', attribute: 'email', channel: 'email' },
};

/** MFA_SETUP sessions move through these steps: AssociateSoftwareToken, VerifySoftwareToken, then the answer. */
export type SetupPhase = 'setup' | 'verified';

/** A challenge session's state: which step it is and how many wrong codes it has seen. */
export interface MfaState {
  attempts: number;
  /** SELECT_MFA_TYPE: the factors offered. */
  options?: MfaFactor[];
  phase?: SetupPhase;
  /** The DEVICE_KEY the sign-in came with, for the device step at the end. */
  deviceKey?: string;
}

function sessionValidityMs(client: ClientRecord): number {
  return Number(client.config.AuthSessionValidity ?? 3) * 60_000;
}

function withDevice(deviceKey: string | undefined): Pick<MfaState, 'deviceKey'> {
  return deviceKey ? { deviceKey } : {};
}

async function open(core: Core, client: ClientRecord, user: UserRecord, challenge: string, state: MfaState): Promise<string> {
  return openSession(core, client, user, challenge, { ...state });
}

/** Asks for one factor: SMS and email codes are sent now and live as long as the session. */
export async function factorChallenge(core: Core, pool: PoolRecord, client: ClientRecord, user: UserRecord, factor: MfaFactor, deviceKey?: string): Promise<Challenge> {
  const parameters: Record<string, string> = { USER_ID_FOR_SRP: user.username };
  const delivery = CODE_FACTORS[factor];
  if (delivery) {
    const code = await issueCode(core, user, delivery.purpose, sessionValidityMs(client));
    const to = user.attributes[delivery.attribute]!;
    const details = await deliverCode(core, pool, user, { channel: delivery.channel, to }, 'CustomMessage_Authentication', code);
    parameters.CODE_DELIVERY_DELIVERY_MEDIUM = details.DeliveryMedium;
    parameters.CODE_DELIVERY_DESTINATION = details.Destination;
  } else if (user.mfa?.totpDeviceName) {
    parameters.FRIENDLY_DEVICE_NAME = user.mfa.totpDeviceName;
  }
  return { ChallengeName: factor, Session: await open(core, client, user, factor, { attempts: 0, ...withDevice(deviceKey) }), ChallengeParameters: parameters };
}

/** The MFA_SETUP challenge, also what AssociateSoftwareToken and VerifySoftwareToken hand on. */
export async function setupSession(core: Core, client: ClientRecord, user: UserRecord, phase: SetupPhase, deviceKey?: string): Promise<string> {
  return open(core, client, user, 'MFA_SETUP', { attempts: 0, phase, ...withDevice(deviceKey) });
}

/**
 * After the first factor: the second-factor challenge when MFA applies to this user, or
 * undefined when the sign-in may complete.
 */
export async function mfaChallenge(core: Core, pool: PoolRecord, client: ClientRecord, user: UserRecord, deviceKey?: string): Promise<Challenge | undefined> {
  const decision = mfaDecision(pool.config, user);
  switch (decision.kind) {
    case 'none':
      return undefined;
    case 'challenge':
      return factorChallenge(core, pool, client, user, decision.factor, deviceKey);
    case 'select':
      return {
        ChallengeName: 'SELECT_MFA_TYPE',
        Session: await open(core, client, user, 'SELECT_MFA_TYPE', { attempts: 0, options: decision.factors, ...withDevice(deviceKey) }),
        ChallengeParameters: { USER_ID_FOR_SRP: user.username, MFAS_CAN_CHOOSE: JSON.stringify(decision.factors) },
      };
    case 'setup':
      return {
        ChallengeName: 'MFA_SETUP',
        Session: await setupSession(core, client, user, 'setup', deviceKey),
        ChallengeParameters: { USER_ID_FOR_SRP: user.username, MFAS_CAN_SETUP: JSON.stringify(decision.factors) },
      };
  }
}
