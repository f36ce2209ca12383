/**
 * Everything a value shows the world, as text, so a test can check that no secret hides in it:
 * for an error, its message, `String()`, stack and JSON along its `cause` chain (five deep);
 * for anything else, its JSON with byte arrays left out (`[bytes]`). Use it to scan what an
 * adapter emitted (errors, results, progress) for its API key.
 *
 * @param value - an error, a result, a progress report…
 * @returns the text, one part a line.
 *
 * @example
 * const emitted: string[] = [];
 * emitted.push(emittedText(await provider.generate(request).catch((error) => error)));
 * expect(emitted.join('\n')).not.toContain(apiKey);
 */
export function emittedText(value: unknown): string {
  const parts: string[] = [];
  let current: unknown = value;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      parts.push(current.message, String(current), current.stack ?? '', JSON.stringify(current));
      current = current.cause;
    } else {
      parts.push(
        JSON.stringify(current, (_key, entry) =>
          entry instanceof Uint8Array ? '[bytes]' : entry,
        ) ?? String(current),
      );
      current = undefined;
    }
  }
  return parts.join('\n');
}
