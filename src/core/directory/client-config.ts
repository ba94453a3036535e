import type { ClientConfig } from '../../ports.js';

export type TokenUnit = 'seconds' | 'minutes' | 'hours' | 'days';

const UNIT_MS: Record<TokenUnit, number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

export interface Validities {
  accessMs: number;
  idMs: number;
  refreshMs: number;
}

export function validities(config: ClientConfig): Validities {
  const units = (config.TokenValidityUnits as Record<string, TokenUnit> | undefined) ?? {};
  return {
    accessMs: Number(config.AccessTokenValidity ?? 60) * UNIT_MS[units.AccessToken ?? 'minutes'],
    idMs: Number(config.IdTokenValidity ?? 60) * UNIT_MS[units.IdToken ?? 'minutes'],
    refreshMs: Number(config.RefreshTokenValidity ?? 30) * UNIT_MS[units.RefreshToken ?? 'days'],
  };
}

export function unitMs(unit: TokenUnit): number {
  return UNIT_MS[unit];
}

/** Legacy flow names mean the same as their ALLOW_ successors. */
const LEGACY_FLOWS: Record<string, string> = {
  ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  CUSTOM_AUTH_FLOW_ONLY: 'ALLOW_CUSTOM_AUTH',
};

/** With no ExplicitAuthFlows Cognito allows SRP, custom auth and refresh. */
const DEFAULT_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'];

export function allowsFlow(config: ClientConfig, flow: string): boolean {
  const configured = config.ExplicitAuthFlows as string[] | undefined;
  const flows = configured && configured.length > 0 ? configured.map((f) => LEGACY_FLOWS[f] ?? f) : DEFAULT_FLOWS;
  // Legacy clients always allowed refresh; ALLOW_ clients must list it.
  if (flow === 'ALLOW_REFRESH_TOKEN_AUTH' && configured?.some((f) => f in LEGACY_FLOWS)) return true;
  return flows.includes(flow);
}

export function preventsUserExistenceErrors(config: ClientConfig): boolean {
  return config.PreventUserExistenceErrors === 'ENABLED';
}

export function rotationOf(config: ClientConfig): { enabled: boolean; graceMs: number } {
  const rotation = config.RefreshTokenRotation as { Feature?: string; RetryGracePeriodSeconds?: number } | undefined;
  return { enabled: rotation?.Feature === 'ENABLED', graceMs: (rotation?.RetryGracePeriodSeconds ?? 0) * 1000 };
}

export function tokenRevocationEnabled(config: ClientConfig): boolean {
  return config.EnableTokenRevocation !== false;
}
