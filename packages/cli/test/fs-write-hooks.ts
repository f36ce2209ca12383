import { afterEach, beforeEach } from 'vitest';

/**
 * Hooks into `fs.writeFile` for tests that must act at an exact point of a write: after the
 * n-th file is written (to abort between two writes, as a Ctrl-C would), or while a write is
 * held open (to play a second Ctrl-C in the middle of one). Install with a `vi.mock('node:fs', …)`
 * whose factory imports this module and calls {@link mockWriteFile} (`vi.mock` is hoisted above
 * the test file's imports, so it cannot use them), and call {@link useWriteHooks} to reset the
 * hooks between tests.
 */
export const writeHooks: {
  /** Writes completed so far. */
  writes: number;
  /** Called after each successful write with the count so far. */
  afterWrite: ((count: number) => void) | undefined;
  /** While set, writes wait for it before they start. */
  hold: Promise<void> | undefined;
} = { writes: 0, afterWrite: undefined, hold: undefined };

/** Resets {@link writeHooks}. */
export function resetWriteHooks(): void {
  writeHooks.writes = 0;
  writeHooks.afterWrite = undefined;
  writeHooks.hold = undefined;
}

/** Resets {@link writeHooks} before and after each test of the calling file. */
export function useWriteHooks(): void {
  beforeEach(resetWriteHooks);
  afterEach(resetWriteHooks);
}

type Callback = (error: NodeJS.ErrnoException | null) => void;

/**
 * The `vi.mock('node:fs', …)` factory: the real module with `writeFile` wrapped by the hooks.
 *
 * @param importOriginal - vitest's loader of the real module.
 */
export async function mockWriteFile(
  importOriginal: () => Promise<unknown>,
): Promise<Record<string, unknown>> {
  const actual = (await importOriginal()) as typeof import('node:fs');
  const writeFile = (...args: unknown[]) => {
    const callback = args.pop() as Callback;
    void (writeHooks.hold ?? Promise.resolve()).then(() => {
      (actual.writeFile as unknown as (...rest: unknown[]) => void)(
        ...args,
        (error: NodeJS.ErrnoException | null) => {
          if (error === null) {
            writeHooks.writes += 1;
            writeHooks.afterWrite?.(writeHooks.writes);
          }
          callback(error);
        },
      );
    });
  };
  return { ...actual, default: { ...actual, writeFile }, writeFile };
}
