/** Something a test opened: a test server, a fake, an adapter with a keep-alive pool. */
export interface Closable {
  /** Releases it. */
  close(): unknown;
}

/** What a test opened, to close after it. See {@link createTestCleanup}. */
export interface TestCleanup {
  /**
   * Registers a resource to close after the test, and returns it.
   *
   * @param resource - anything with a `close()` method.
   */
  track<Resource extends Closable>(resource: Resource): Resource;
  /**
   * Registers a function to run after the test.
   *
   * @param cleanup - the function; a returned promise is awaited.
   */
  defer(cleanup: () => unknown): void;
  /**
   * Closes everything registered, newest first (an adapter before the server it talks to),
   * and forgets it. Every cleanup runs even when one fails; the first failure is rethrown.
   */
  run(): Promise<void>;
}

/**
 * Collects what a test opens — fake servers, adapters — so that one `afterEach` closes it all,
 * newest first, whatever the test did. Framework-neutral: hand `run` to your runner's hook.
 *
 * @returns an empty cleanup list.
 *
 * @example
 * const cleanup = createTestCleanup();
 * afterEach(() => cleanup.run());
 *
 * it('paints', async () => {
 *   const server = cleanup.track(await createTestServer([...handlers]));
 *   const studio = cleanup.track(createPetStudio({ baseURL: server.url }));
 *   …
 * });
 */
export function createTestCleanup(): TestCleanup {
  let cleanups: (() => unknown)[] = [];
  return {
    track(resource) {
      cleanups.push(() => resource.close());
      return resource;
    },
    defer(cleanup) {
      cleanups.push(cleanup);
    },
    async run() {
      const pending = cleanups.reverse();
      cleanups = [];
      let failure: { error: unknown } | undefined;
      for (const cleanup of pending) {
        try {
          await cleanup();
        } catch (error) {
          failure ??= { error };
        }
      }
      if (failure !== undefined) throw failure.error;
    },
  };
}
