/**
 * Whether an HTTP status is worth retrying: 408, 409, 429 and every 5xx.
 *
 * @param status - HTTP status code.
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
