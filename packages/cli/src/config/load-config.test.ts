import { ValidationError } from '@layerloom/core';
import { describe, expect, it } from 'vitest';
import { validateConfig } from './load-config.js';

function refusal(config: unknown): ValidationError {
  try {
    validateConfig(config, 'layerloom.config.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected validateConfig to throw');
}

describe('validateConfig: credentials in base URLs', () => {
  it.each([
    ['a1111', { type: 'a1111', baseURL: 'http://bob:hunter2@127.0.0.1:7860' }, 'authEnv'],
    [
      'a1111 (user name only)',
      { type: 'a1111', baseURL: 'http://hunter2@127.0.0.1:7860' },
      'authEnv',
    ],
    ['comfyui', { type: 'comfyui', baseURL: 'https://bob:hunter2@comfy.example/api' }, 'authEnv'],
    [
      'openai',
      { type: 'openai', model: 'gpt-image-1', baseURL: 'https://bob:hunter2@api.example/v1' },
      'apiKeyEnv',
    ],
    ['a URL that does not parse', { type: 'a1111', baseURL: 'http://bob:hunter2@[bad' }, 'authEnv'],
    ['no slashes', { type: 'a1111', baseURL: 'http:bob:hunter2@127.0.0.1' }, 'authEnv'],
  ])('refuses them for %s, naming the field and `%s`, never the secret', (_name, entry, option) => {
    const error = refusal({ providers: { A: entry } });
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]!.path).toEqual(['providers', 'A', 'baseURL']);
    expect(error.message).toContain('`providers.A.baseURL`: credentials do not belong in');
    expect(error.message).toContain(`\`${option}\``);
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('bob');
    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect(JSON.stringify((error.cause as { issues?: unknown }).issues)).not.toContain('hunter2');
  });

  it('accepts URLs without credentials, also with an @ in the path', () => {
    const config = validateConfig({
      providers: {
        A: { type: 'a1111', baseURL: 'http://127.0.0.1:7860', authEnv: 'FORGE_AUTH' },
        B: { type: 'comfyui', baseURL: 'https://comfy.example/@team/api', authEnv: 'COMFY_AUTH' },
      },
    });
    expect(Object.keys(config.providers ?? {})).toEqual(['A', 'B']);
  });

  it('still shows what an invalid URL without credentials was', () => {
    const error = refusal({ providers: { A: { type: 'a1111', baseURL: 'not a url' } } });
    expect(error.message).toContain(
      'Expected `providers.A.baseURL` to be an http(s) URL, got "not a url" (string)',
    );
  });
});
