import { base64DecodedLength, decodeBase64, isBase64 } from '@layerloom/core/http';
import { openAIErrorCodes } from './describe-openai-error.js';
import { providerFailure, type ResponseContext } from './provider-failure.js';

/**
 * Decodes an image sent as base64, checking the decoded size before decoding anything and
 * refusing text that is not strict base64 (a truncated or corrupted string).
 *
 * @param text - the `b64_json` value.
 * @param maxBytes - largest decoded size accepted.
 * @param context - request id and status, for errors.
 * @throws ProviderError `provider_response_too_large` or `provider_bad_response`.
 */
export function decodeBase64Image(
  text: string,
  maxBytes: number,
  context: ResponseContext,
): Uint8Array {
  const decodedLength = base64DecodedLength(text);
  if (decodedLength > maxBytes) {
    throw providerFailure(
      `OpenAI returned an image of about ${decodedLength} bytes, more than the ${maxBytes} allowed (setting \`maxImageBytes\`)`,
      'provider_response_too_large',
      context,
    );
  }
  if (text.length === 0 || !isBase64(text)) {
    throw providerFailure(
      `OpenAI returned \`b64_json\` that is not valid base64 (${text.length} characters; truncated or corrupted)`,
      openAIErrorCodes.badResponse,
      context,
    );
  }
  return decodeBase64(text);
}
