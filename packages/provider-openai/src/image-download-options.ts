/** Hosts OpenAI serves DALL·E image URLs from. */
export const defaultAllowedImageHosts: readonly string[] = [
  'oaidalleapiprodscus.blob.core.windows.net',
];
