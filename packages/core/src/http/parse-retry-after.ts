/** Longest server-requested delay that is honoured, in milliseconds. */
export const maxRetryAfterMs = 60_000;

type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') {
    return (headers as Headers).get(name) ?? undefined;
  }
  const value = (headers as Record<string, string | readonly string[] | undefined>)[name];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

/**
 * Reads the delay a server asked for before a retry: `retry-after-ms` (milliseconds), then
 * `Retry-After` (seconds or an HTTP date).
 *
 * @param headers - response headers (a `Headers` object or lower-case record).
 * @param now - current time in milliseconds since the epoch (injectable for tests).
 * @returns the delay in milliseconds, or `undefined` when absent, malformed, negative or over
 *   {@link maxRetryAfterMs}.
 */
export function parseRetryAfter(
  headers: HeaderSource,
  now: number = Date.now(),
): number | undefined {
  const inRange = (ms: number) =>
    Number.isFinite(ms) && ms >= 0 && ms <= maxRetryAfterMs ? ms : undefined;
  const milliseconds = header(headers, 'retry-after-ms');
  if (milliseconds !== undefined && milliseconds.trim() !== '') {
    const value = inRange(Number(milliseconds));
    if (value !== undefined) return value;
  }
  const retryAfter = header(headers, 'retry-after')?.trim();
  if (retryAfter === undefined || retryAfter === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return inRange(Number(retryAfter) * 1000);
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : inRange(Math.max(0, date - now));
}

/**
 * Reads `x-should-retry`: the server's own word on whether a retry can help.
 *
 * @returns `true`, `false`, or `undefined` when the header is absent.
 */
export function parseShouldRetry(headers: HeaderSource): boolean | undefined {
  const value = header(headers, 'x-should-retry')?.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}
