import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseServerSentEvents } from './server-sent-events.js';

async function collect(chunks: string[]) {
  const encoder = new TextEncoder();
  const source = (async function* () {
    for (const chunk of chunks) yield encoder.encode(chunk);
  })();
  const events = [];
  for await (const event of parseServerSentEvents(source)) events.push(event);
  return events;
}

describe('parseServerSentEvents', () => {
  it('joins multi-line data, keeps ids, ignores comments and a final event without blank line', async () => {
    expect(await collect(['id: 7\ndata: a\ndata: b\n\n:ping\n', 'data: last'])).toEqual([
      { event: 'message', data: 'a\nb', id: '7' },
      { event: 'message', data: 'last', id: '7' },
    ]);
  });

  it('gives the same events however the bytes are split', async () => {
    const text = 'event: x\r\ndata: {"a":"é"}\r\n\r\nevent: y\rdata: 2\r\r';
    const whole = await collect([text]);
    expect(whole).toEqual([
      { event: 'x', data: '{"a":"é"}' },
      { event: 'y', data: '2' },
    ]);
    const bytes = new TextEncoder().encode(text);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 6 }),
        async (cuts) => {
          const points = [...new Set(cuts)].sort((a, b) => a - b);
          const pieces: Uint8Array[] = [];
          let start = 0;
          for (const point of [...points, bytes.length]) {
            pieces.push(bytes.slice(start, point));
            start = point;
          }
          const source = (async function* () {
            yield* pieces;
          })();
          const events = [];
          for await (const event of parseServerSentEvents(source)) events.push(event);
          expect(events).toEqual(whole);
        },
      ),
      { numRuns: 50 },
    );
  });
});
