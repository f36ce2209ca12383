/**
 * Replaces every occurrence of each secret in `text` with `[redacted]`. Secrets shorter than
 * 4 characters are ignored (they would redact ordinary words).
 *
 * @param text - a message, header value or body excerpt.
 * @param secrets - API keys, passwords, tokens.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 4) continue;
    result = result.split(secret).join('[redacted]');
  }
  return result;
}
