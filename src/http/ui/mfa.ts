import type { Context } from 'hono';
import { renderSVG } from 'uqr';
import { associateSoftwareToken, verifySoftwareToken } from '../../core/api/software-token.js';
import type { Challenge } from '../../core/auth/steps.js';
import type { Core } from '../../core/context.js';
import { rememberOffer } from '../../core/devices/browser.js';
import { answerMfa, isMfaChallenge } from '../../core/mfa/respond.js';
import type { AuthorizeRequest } from '../../core/oauth/authorize-request.js';
import { CognateError, NotAuthorizedError } from '../../errors.js';
import type { PoolRecord } from '../../ports.js';
import { MessagePage } from '../../ui/pages/message.js';
import { MfaPage, type MfaStep } from '../../ui/pages/mfa.js';
import { knownMessage } from './errors.js';
import { field, formOf, frameOf, postedForm, signInLink } from './frame.js';
import { renderPage } from './page.js';
import { continueSignIn } from './sign-in-steps.js';

const CODE_FACTORS = ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP'] as const;
const CODE_ANSWER: Record<string, string> = { SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE', SMS_MFA: 'SMS_MFA_CODE', EMAIL_OTP: 'EMAIL_OTP_CODE' };

/** What the MFA form carries from one attempt to the next. */
interface Carried {
  username?: string;
  destination?: string;
  secret?: string;
  /** The user's answer to "Remember this device", kept when a wrong code shows the page again. */
  remember?: boolean;
}

function totpQr(pool: PoolRecord, username: string, secret: string): string {
  const label = encodeURIComponent(`${pool.name}:${username}`);
  const uri = `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(pool.name)}&algorithm=SHA1&digits=6&period=30`;
  return `data:image/svg+xml;base64,${btoa(renderSVG(uri, { border: 2 }))}`;
}

/** The sign-in cannot go on from this page: a lock or a disabled account says so, anything else reads as an expired page. */
function stoppedPage(c: Context, pool: PoolRecord, request: AuthorizeRequest, query: string, reason: string) {
  const frame = frameOf(c, pool, request.client, request);
  const { t } = frame.locale;
  return renderPage(c, MessagePage({ frame, title: t.errorTitle, message: knownMessage(reason, t) ?? t.sessionExpired, links: [signInLink(pool, query, frame.locale)] }), 400);
}

/**
 * Shows the step an MFA challenge asks for, driven by the same challenge logic as the
 * Cognito API, so the hosted pages can never hand out a code before the second factor.
 */
export async function showMfa(
  c: Context, core: Core, pool: PoolRecord, request: AuthorizeRequest, query: string, challenge: Challenge, error?: string, carried: Carried = {},
): Promise<Response> {
  const frame = frameOf(c, pool, request.client, request);
  const username = challenge.ChallengeParameters.USER_ID_FOR_SRP ?? carried.username ?? '';
  const hidden: Record<string, string> = { session: challenge.Session, challenge: challenge.ChallengeName, username };
  let step: MfaStep;
  if ((CODE_FACTORS as readonly string[]).includes(challenge.ChallengeName)) {
    const destination = challenge.ChallengeParameters.CODE_DELIVERY_DESTINATION ?? carried.destination;
    if (destination) hidden.destination = destination;
    step = { kind: 'code', factor: challenge.ChallengeName as (typeof CODE_FACTORS)[number], destination };
  } else if (challenge.ChallengeName === 'SELECT_MFA_TYPE') {
    step = { kind: 'choose', factors: JSON.parse(challenge.ChallengeParameters.MFAS_CAN_CHOOSE ?? '[]') as string[] };
  } else if (challenge.ChallengeName === 'MFA_SETUP' && (carried.secret || (challenge.ChallengeParameters.MFAS_CAN_SETUP ?? '').includes('SOFTWARE_TOKEN_MFA'))) {
    let secret = carried.secret;
    if (!secret) {
      const associated = await associateSoftwareToken(core, { Session: challenge.Session });
      secret = associated.SecretCode;
      hidden.session = associated.Session!;
    }
    hidden.secret = secret;
    step = { kind: 'setup', secret, qrDataUri: totpQr(pool, username, secret) };
  } else {
    return renderPage(c, MessagePage({ frame, title: frame.locale.t.errorTitle, message: frame.locale.t.unsupportedStep, links: [signInLink(pool, query, frame.locale)] }), 400);
  }
  const offer = step.kind === 'choose' ? undefined : rememberOffer(pool);
  const remember = offer && { checked: carried.remember ?? offer.checked };
  return renderPage(
    c,
    MfaPage({ frame, form: formOf(c, core, pool, 'mfa', query), step, hidden, remember, error, links: [signInLink(pool, query, frame.locale)] }),
    error ? 400 : 200,
    request.redirectUri,
  );
}

/** `POST /{poolId}/mfa`: answers the challenge the page showed, with the core's MFA logic (no tokens), then continues the sign-in. */
export async function submitMfa(c: Context, core: Core, pool: PoolRecord): Promise<Response> {
  const loaded = await postedForm(c, core, pool);
  if (loaded instanceof Response) return loaded;
  const { form, request, query } = loaded;
  const client = request.client;
  const frame = frameOf(c, pool, client, request);
  const name = field(form, 'challenge');
  const session = field(form, 'session');
  const username = field(form, 'username');
  // A forged checkbox on a pool that does not offer it remembers nothing.
  const remember = form.get('remember') === '1' && rememberOffer(pool) !== undefined;
  const carried: Carried = { username, destination: field(form, 'destination'), secret: field(form, 'secret'), remember };
  const answers: Record<string, string> = { USERNAME: username };
  const again = (error: string) => showMfa(c, core, pool, request, query, { ChallengeName: name, Session: session, ChallengeParameters: {} }, error, carried);
  if (!isMfaChallenge(name)) return again(frame.locale.t.unsupportedStep);
  const answer = async (responseSession: string) =>
    continueSignIn(c, core, pool, request, query, await answerMfa(core, pool, client, name, responseSession, answers, 'hosted'), remember);
  try {
    if (name === 'SELECT_MFA_TYPE') {
      answers.ANSWER = field(form, 'factor');
      return await answer(session);
    }
    const code = field(form, 'code').replace(/\s+/g, '');
    if (!/^\d{6,8}$/.test(code)) return await again(frame.locale.t.mfaWrongCode);
    if (name === 'MFA_SETUP') {
      const verified = await verifySoftwareToken(core, { Session: session, UserCode: code });
      return await answer(verified.Session!);
    }
    answers[CODE_ANSWER[name]!] = code;
    return await answer(session);
  } catch (error) {
    const wrongCode = error instanceof CognateError && /CodeMismatch|EnableSoftwareTokenMFA/.test(error.code);
    if (wrongCode) return again(frame.locale.t.mfaWrongCode);
    if (error instanceof NotAuthorizedError || (error instanceof CognateError && error.expose)) return stoppedPage(c, pool, request, query, error.message);
    throw error;
  }
}
