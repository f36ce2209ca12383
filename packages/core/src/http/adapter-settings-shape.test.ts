import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../errors/validation-error.js';
import { parseWithSchema } from '../schema/parse-with-schema.js';
import { adapterSettingsShape } from './adapter-settings-shape.js';

const schema = z.strictObject({ ...adapterSettingsShape, region: z.string().optional() });
const parse = (value: unknown) => parseWithSchema(schema, value, 'settings');

describe('adapterSettingsShape', () => {
  it('accepts the shared settings beside an adapter’s own', () => {
    expect(
      parse({ apiKey: 'k', baseURL: 'https://api.example.com/v1', timeoutMs: 5, region: 'eu' }),
    ).toMatchObject({ region: 'eu', timeoutMs: 5 });
  });

  it('names the field and what it expects', () => {
    for (const [value, message] of [
      [{ baseURL: 'ftp://files.example.com' }, 'Expected `baseURL` to be an absolute http(s) URL'],
      [{ apiKey: '' }, 'Expected `apiKey` to be a non-empty string'],
      [{ maxImageBytes: 1.5 }, 'Expected `maxImageBytes` to be a positive integer number of bytes'],
      [
        { headersTimeoutMs: 0 },
        'Expected `headersTimeoutMs` to be a positive number of milliseconds',
      ],
    ] as const) {
      const error = (() => {
        try {
          parse(value);
        } catch (thrown) {
          return thrown;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toContain(message);
    }
  });
});
