import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import {
  createFakeOpenAI,
  type FakeOpenAI,
} from '../../packages/provider-openai/src/fixtures/fake-openai-server.js';

/** The fake OpenAI server and a temporary directory of an example's test. */
export interface FakeOpenAIExample {
  /** The running fake server (set once `beforeAll` ran). */
  readonly fake: () => FakeOpenAI;
  /** A temporary directory for the example's output, removed afterwards. */
  readonly directory: () => string;
}

/**
 * Starts a fake OpenAI server and a temporary directory before the file's tests and removes
 * both afterwards: the setup every OpenAI example test shares.
 *
 * @param prefix - the temporary directory's name prefix.
 */
export function useFakeOpenAI(prefix: string): FakeOpenAIExample {
  let fake: FakeOpenAI | undefined;
  let directory: string | undefined;
  beforeAll(async () => {
    fake = await createFakeOpenAI();
    directory = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await fake?.close();
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  });
  return { fake: () => fake!, directory: () => directory! };
}
