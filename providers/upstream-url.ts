import { UpstreamError } from '../src/errors.js';
import type { ProviderContext } from './types.js';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * DESIGN.md §1: an upstream URL must be https, or http on a loopback host, or http anywhere
 * when the deployment sets COGNATE_ALLOW_INSECURE_UPSTREAMS=1. Returns the problem, if any.
 */
export function upstreamUrlProblem(key: string, value: string, allowInsecure: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${key} is not a valid URL`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && (LOOPBACK.has(url.hostname) || allowInsecure)) return undefined;
  return `${key} must use https`;
}

/** True when some URL is plain http (and, having passed the rule, may be called as such). */
export const anyHttp = (urls: (string | undefined)[]): boolean => urls.some((u) => u?.startsWith('http:'));

/**
 * The context's fetch, refusing any URL that breaks the upstream rule at call time too:
 * stored details were checked when saved, but the deployment's setting may have changed since.
 */
export function upstreamFetch(ctx: ProviderContext): typeof fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const problem = upstreamUrlProblem('The upstream URL', url, ctx.allowInsecureUpstreams);
    if (problem) return Promise.reject(new UpstreamError(`${problem}: ${url}`));
    return ctx.fetch(input, init);
  };
}
