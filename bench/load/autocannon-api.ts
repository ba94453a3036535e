/** The part of autocannon's programmatic API the bench drives (the package ships no types). */
export interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest, context: object) => AutocannonRequest | undefined;
  onResponse?: (status: number, body: string, context: object) => void;
}

export interface AutocannonOptions {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  pipelining?: number;
  timeout?: number;
  requests: AutocannonRequest[];
}

export interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  on(event: 'done', listener: (result: { errors: number; timeouts: number }) => void): void;
  on(event: 'reqError', listener: (error: Error) => void): void;
}

export type Autocannon = (options: AutocannonOptions) => AutocannonInstance;

export async function loadAutocannon(): Promise<Autocannon> {
  const name = 'autocannon';
  return ((await import(name)) as { default: Autocannon }).default;
}
