import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The slice of oidc-provider's API the peer uses. The package ships no type declarations,
 * and a local interface keeps an ambient `declare module` out of the shared type space.
 */
export interface KoaContext {
  path: string;
  status: number;
  req: IncomingMessage;
  res: ServerResponse;
  redirect(url: string): void;
}

export interface Grant {
  addOIDCScope(scope: string): void;
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}

export interface ClientRecord {
  grantTypeAllowed(grant: string): boolean;
}

export interface Provider {
  use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<unknown>): void;
  listen(port: number, host: string): unknown;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ params: Record<string, unknown>; grantId?: string }>;
  interactionResult(req: IncomingMessage, res: ServerResponse, result: object, options: { mergeWithLastSubmission: boolean }): Promise<string>;
  Grant: {
    new (init: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  };
}

export type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => Provider;

/** Loads oidc-provider without letting the compiler look for its (absent) declarations. */
export async function loadProvider(): Promise<ProviderConstructor> {
  const name = 'oidc-provider';
  return ((await import(name)) as { default: ProviderConstructor }).default;
}
