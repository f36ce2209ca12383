import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

/** What {@link studioGuard} admits. */
export interface StudioGuardOptions {
  /** The session token printed in the URL. */
  readonly token: string;
  /** Accepted `Host` header values (`host:port`), e.g. `127.0.0.1:4321`, `localhost:4321`. */
  readonly hosts: () => readonly string[];
}

/** Name of the cookie holding the session token after the first load. */
export const studioCookieName = 'layerloom_studio';

function sameToken(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuse(message: string, status: 401 | 403): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/**
 * The studio's front door, run before every route:
 * - the `Host` header must be one the server listens as (a DNS-rebinding guard: a foreign
 *   name resolving to 127.0.0.1 is refused);
 * - an `Origin` header, when present, must be this server's own origin, and a cross-site
 *   `Sec-Fetch-Site` is refused;
 * - the session token must come with the request: `?token=` (which sets an HttpOnly,
 *   SameSite=Strict cookie and redirects to the same URL without it), that cookie, or
 *   `Authorization: Bearer <token>` (scripts).
 * Every response also gets a strict Content-Security-Policy and `Referrer-Policy: no-referrer`.
 *
 * @param options - the token and the accepted hosts.
 */
export function studioGuard(options: StudioGuardOptions): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('host');
    const hosts = options.hosts();
    if (host === undefined || !hosts.includes(host.toLowerCase())) {
      return refuse('Refused: unexpected Host header.', 403);
    }
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== `http://${host.toLowerCase()}`) {
      return refuse('Refused: foreign Origin.', 403);
    }
    if (c.req.header('sec-fetch-site') === 'cross-site') {
      return refuse('Refused: cross-site request.', 403);
    }
    const url = new URL(c.req.url);
    const queryToken = url.searchParams.get('token') ?? undefined;
    if (queryToken !== undefined && c.req.method === 'GET') {
      if (!sameToken(queryToken, options.token)) {
        return refuse('Refused: wrong session token.', 401);
      }
      setCookie(c, studioCookieName, options.token, {
        httpOnly: true,
        sameSite: 'Strict',
        path: '/',
      });
      url.searchParams.delete('token');
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    const bearer = /^Bearer (.+)$/u.exec(c.req.header('authorization') ?? '')?.[1];
    if (
      !sameToken(getCookie(c, studioCookieName), options.token) &&
      !sameToken(bearer, options.token)
    ) {
      return refuse(
        'Refused: this page needs the session token. Open the URL that `layerloom studio` printed.',
        401,
      );
    }
    await next();
    c.header(
      'content-security-policy',
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    c.header('referrer-policy', 'no-referrer');
    c.header('x-content-type-options', 'nosniff');
    c.header('x-frame-options', 'DENY');
    return undefined;
  };
}
