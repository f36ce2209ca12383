/** One server-sent event. */
export interface ServerSentEvent {
  /** The `event:` field. @default 'message' */
  readonly event: string;
  /** The `data:` lines, joined with `\n`. */
  readonly data: string;
  /** The `id:` field, when sent. */
  readonly id?: string;
}

/**
 * Parses a `text/event-stream` body into events (the WHATWG framing: `field: value` lines,
 * events separated by a blank line, `:` comments ignored, CRLF/CR/LF line ends).
 *
 * @param chunks - the body as byte chunks.
 * @returns the events, in order.
 */
export async function* parseServerSentEvents(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<ServerSentEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  let event = 'message';
  let data: string[] = [];
  let id: string | undefined;

  const flushLine = function* (line: string): Generator<ServerSentEvent> {
    if (line === '') {
      if (data.length > 0) {
        yield id === undefined
          ? { event, data: data.join('\n') }
          : { event, data: data.join('\n'), id };
      }
      event = 'message';
      data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  };

  for await (const chunk of chunks) {
    buffer += decoder.decode(chunk, { stream: true });
    let match = /\r\n|\r|\n/.exec(buffer);
    while (match) {
      // A lone CR at the very end may be the first half of CRLF: wait for more input.
      if (match[0] === '\r' && match.index === buffer.length - 1) break;
      const line = buffer.slice(0, match.index);
      buffer = buffer.slice(match.index + match[0].length);
      yield* flushLine(line);
      match = /\r\n|\r|\n/.exec(buffer);
    }
  }
  buffer += decoder.decode();
  if (buffer !== '') yield* flushLine(buffer.replace(/\r$/, ''));
  yield* flushLine('');
}
