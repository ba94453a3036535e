import type { UserRecord } from '../../ports.js';

/** A challenge to answer next, as Cognito's API shows it. */
export interface Challenge {
  ChallengeName: string;
  Session: string;
  ChallengeParameters: Record<string, string>;
}

/**
 * Every factor passed and nothing issued yet. The Cognito API turns this into tokens
 * (`withTokens`); the hosted UI into an SSO session and an authorization code.
 */
export interface Passed {
  passed: UserRecord;
  /** The DEVICE_KEY the API sign-in came with, for the device step of `finishSignIn`. */
  deviceKey?: string;
}

/** Where a sign-in stands after one step. */
export type SignInStep = Passed | Challenge;

export function isPassed(step: SignInStep): step is Passed {
  return 'passed' in step;
}

/**
 * Who answers a challenge. The Cognito API proves a client that has a secret with
 * SECRET_HASH; the hosted UI is Cognate's own page for the client, holds no secret, and
 * the client proves itself later when it redeems the authorization code.
 */
export type Answerer = 'api' | 'hosted';
