import type { OpenAIImageUsage } from './calculate-image-cost.js';

/** What an API call returned, before the image is checked. */
export interface ReceivedImage {
  /** The image file's bytes (decoded or downloaded). */
  readonly bytes: Uint8Array;
  /** Token usage, when reported (GPT image models). */
  readonly usage: OpenAIImageUsage | undefined;
  /** The prompt as rewritten by dall-e-3. */
  readonly revisedPrompt: string | undefined;
  /** Settings the API echoed (`size`, `quality`, `background`, `outputFormat`, `created`…). */
  readonly echoed: Readonly<Record<string, string | number | undefined>>;
}
