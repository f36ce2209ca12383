import type { ResolvedBinding } from '@layerloom/core';
import { describe, expect, it } from 'vitest';
import { openAIBindingOptions } from './openai-binding-options.js';

const binding = (fields: Partial<ResolvedBinding>): ResolvedBinding => ({
  packs: [{ name: '@studio/ember-world', version: '1.2.0', contentHash: 'a'.repeat(64) }],
  subject: { pack: '@studio/ember-world', kind: 'entity', id: 'knight' },
  providerId: 'openai',
  ...fields,
});

describe('openAIBindingOptions', () => {
  it('gives nothing without a binding, and the quality a binding names', () => {
    const warnings: string[] = [];
    expect(openAIBindingOptions(undefined, 'gpt-image-1', warnings)).toEqual({});
    expect(openAIBindingOptions(binding({ quality: 'high' }), 'gpt-image-1', warnings)).toEqual({
      quality: 'high',
    });
    expect(warnings).toEqual([]);
  });

  it('warns, and sends nothing, for a quality OpenAI does not know or another model', () => {
    const warnings: string[] = [];
    expect(
      openAIBindingOptions(
        binding({ quality: 'ultra', model: 'dall-e-3' }),
        'gpt-image-1',
        warnings,
      ),
    ).toEqual({});
    expect(warnings).toEqual([
      'The binding of entity knight of @studio/ember-world names model dall-e-3; this provider paints with gpt-image-1 (bind an alias to dall-e-3 to use it).',
      'The binding of entity knight of @studio/ember-world asks for quality "ultra", which OpenAI does not know; it was not sent.',
    ]);
  });
});
