import { CodeDeliveryFailureError } from '../../errors.js';
import type { PoolRecord, UserRecord } from '../../ports.js';
import type { Core } from '../context.js';
import { inviteTemplate, verificationTemplate } from '../directory/pool-config.js';
import { authenticationMessage } from '../mfa/factors.js';

export type TriggerSource =
  | 'CustomMessage_SignUp'
  | 'CustomMessage_ResendCode'
  | 'CustomMessage_ForgotPassword'
  | 'CustomMessage_AdminCreateUser'
  | 'CustomMessage_UpdateUserAttribute'
  | 'CustomMessage_VerifyUserAttribute'
  | 'CustomMessage_Authentication';

export interface CodeDeliveryDetails {
  Destination: string;
  DeliveryMedium: 'EMAIL' | 'SMS';
  AttributeName: 'email' | 'phone_number';
}

export interface Destination {
  channel: 'email' | 'sms';
  to: string;
}

/** Where a verification code for this user goes: SMS when the pool verifies phones and one is set, else email. */
export function verificationDestination(preferred: string[], user: UserRecord): Destination | undefined {
  for (const attribute of preferred) {
    const value = user.attributes[attribute];
    if (value) return { channel: attribute === 'phone_number' ? 'sms' : 'email', to: value };
  }
  return undefined;
}

export function maskDestination(destination: Destination): CodeDeliveryDetails {
  const masked =
    destination.channel === 'email'
      ? destination.to.replace(/^(.).*@(.).*$/, '$1***@$2***')
      : `+${'*'.repeat(Math.max(destination.to.length - 5, 0))}${destination.to.slice(-4)}`;
  return {
    Destination: masked,
    DeliveryMedium: destination.channel === 'email' ? 'EMAIL' : 'SMS',
    AttributeName: destination.channel === 'email' ? 'email' : 'phone_number',
  };
}

function fill(template: string, code: string, username: string): string {
  return template.replaceAll('{####}', code).replaceAll('{username}', username);
}

function render(pool: PoolRecord, channel: 'email' | 'sms', triggerSource: TriggerSource): { subject: string | null; body: string } {
  const config = pool.config;
  if (triggerSource === 'CustomMessage_Authentication') return authenticationMessage(config, channel);
  if (triggerSource === 'CustomMessage_AdminCreateUser') {
    const invite = inviteTemplate(config);
    if (channel === 'sms') return { subject: null, body: invite.SMSMessage ?? 'Your username is {username} and temporary password is {####}.' };
    return {
      subject: invite.EmailSubject ?? 'Your temporary password',
      body: invite.EmailMessage ?? 'Your username is {username} and temporary password is {####}.',
    };
  }
  const template = verificationTemplate(config);
  if (channel === 'sms') {
    return { subject: null, body: template.SmsMessage ?? (config.SmsVerificationMessage as string) ?? 'Your verification code is {####}.' };
  }
  return {
    subject: template.EmailSubject ?? (config.EmailVerificationSubject as string) ?? 'Your verification code',
    body: template.EmailMessage ?? (config.EmailVerificationMessage as string) ?? 'Your verification code is {####}.',
  };
}

/** Renders the pool's template and hands the message to the sender; failures become CodeDeliveryFailureException. */
export async function deliverCode(
  core: Core,
  pool: PoolRecord,
  user: UserRecord,
  destination: Destination,
  triggerSource: TriggerSource,
  code: string,
): Promise<CodeDeliveryDetails> {
  const { subject, body } = render(pool, destination.channel, triggerSource);
  try {
    await core.sender.send({
      poolId: pool.id,
      channel: destination.channel,
      to: destination.to,
      username: user.username,
      triggerSource,
      code,
      subject: subject && fill(subject, code, user.username),
      body: fill(body, code, user.username),
    });
  } catch (error) {
    core.logger.warn('message delivery failed', { poolId: pool.id, channel: destination.channel, triggerSource, error: String(error) });
    throw new CodeDeliveryFailureError('Unable to deliver the message');
  }
  return maskDestination(destination);
}
