import type { ResolvedBinding } from '@layerloom/core';
import type { OpenAIImageOptions } from './openai-image-options.js';

const qualities = new Set<string>(['low', 'medium', 'high', 'auto', 'standard', 'hd']);

/**
 * The options a world-pack binding (`ImageRequest.binding`) gives an OpenAI call: its `quality`.
 * They sit between the provider's defaults and the request's own options (the request wins).
 * The binding's reference images arrive as `ImageRequest.referenceImages` and are sent as edit
 * inputs; a binding `model` other than this provider's is not switched to (the model is chosen
 * by the alias), and says so.
 *
 * @param binding - the request's binding, if any.
 * @param modelId - this provider's model.
 * @param warnings - receives what was not honoured.
 */
export function openAIBindingOptions(
  binding: ResolvedBinding | undefined,
  modelId: string,
  warnings: string[],
): Partial<OpenAIImageOptions> {
  if (binding === undefined) return {};
  const subject = `${binding.subject.kind} ${binding.subject.id} of ${binding.subject.pack}`;
  if (binding.model !== undefined && binding.model !== modelId) {
    warnings.push(
      `The binding of ${subject} names model ${binding.model}; this provider paints with ${modelId} (bind an alias to ${binding.model} to use it).`,
    );
  }
  if (binding.quality === undefined) return {};
  if (!qualities.has(binding.quality)) {
    warnings.push(
      `The binding of ${subject} asks for quality "${binding.quality}", which OpenAI does not know; it was not sent.`,
    );
    return {};
  }
  return { quality: binding.quality as OpenAIImageOptions['quality'] };
}
