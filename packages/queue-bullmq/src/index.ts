/**
 * Compositions as BullMQ flows on workers, running core's pipeline stages.
 *
 * @module \@layerloom/queue-bullmq
 */
export type { BlobEntry, BlobStore } from './blob-store.js';
export {
  createQueueRunner,
  type QueueRunner,
  type QueueRunnerOptions,
  queueRunnerOptionsSchema,
} from './create-queue-runner.js';
export { assertBlobKey, type FileBlobStore, fileBlobStore } from './file-blob-store.js';
export type {
  BlobReference,
  ComposeJobData,
  ComposeJobLayer,
  CompositeRecord,
  StepJobCandidate,
  StepJobData,
  StepJobProgress,
  StepJobRequest,
  StepJobReturn,
  StepOutcomeRecord,
} from './flow-job.js';
export { deserializeJobError, serializeJobError } from './job-error.js';
export { composeQueueName, queueNameOf } from './queue-names.js';
export type { JobRetention, QueueConnectionOptions, RetentionRule } from './queue-options.js';
export { type RedisConnection, toRedisOptions } from './redis-connection.js';
export {
  type QueueWorker,
  type StartWorkerOptions,
  startWorker,
  startWorkerOptionsSchema,
} from './start-worker.js';
export {
  type SweepBlobStoreOptions,
  type SweepBlobStoreResult,
  sweepBlobStore,
} from './sweep-blob-store.js';
