import { ValidationError } from '@layerloom/core';
import type { RedisOptions } from 'ioredis';

/** How to reach Redis: a `redis://` / `rediss://` URL, or ioredis options. */
export type RedisConnection = string | RedisOptions;

/**
 * ioredis options for a connection, as BullMQ needs them (`maxRetriesPerRequest: null`). A URL's
 * credentials stay in the options and never reach a message.
 *
 * @param connection - a URL or ioredis options.
 * @returns options for BullMQ classes and plain clients.
 * @throws ValidationError when the URL is not a `redis://` or `rediss://` URL.
 */
export function toRedisOptions(connection: RedisConnection): RedisOptions {
  if (typeof connection !== 'string') return { ...connection, maxRetriesPerRequest: null };
  let url: URL;
  try {
    url = new URL(connection);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw ValidationError.field(
      ['connection'],
      `Expected \`connection\` to be a redis:// or rediss:// URL or ioredis options, got a string with scheme "${url.protocol.replace(':', '')}"`,
      'queue options',
    );
  }
  const database = Number(url.pathname.replace('/', '') || '0');
  return {
    host: url.hostname,
    port: url.port === '' ? 6379 : Number(url.port),
    ...(url.username === '' ? {} : { username: decodeURIComponent(url.username) }),
    ...(url.password === '' ? {} : { password: decodeURIComponent(url.password) }),
    ...(Number.isInteger(database) ? { db: database } : {}),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: null,
  };
}
