/**
 * Scheduler overhead: 10,000 zero-latency tasks spread over 3 provider queues, against a bare
 * `Promise.all` of the same functions. Prints the overhead per task and the ratio of the two
 * runs.
 *
 * Run: `npm run bench -w @layerloom/core -- scheduler`. Exits with 1 when the overhead per task
 * is above the target.
 */
import { createScheduler } from '@layerloom/core';

const targetMicrosecondsPerTask = 20;
const taskCount = 10_000;
const keys = ['A', 'B', 'C'] as const;
const rounds = 15;

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

/** The work of one task: an async function that resolves at once, as a cached provider would. */
const work = async (index: number): Promise<number> => index;

async function bare(): Promise<number> {
  const start = performance.now();
  const tasks: Promise<number>[] = [];
  for (let index = 0; index < taskCount; index++) tasks.push(work(index));
  await Promise.all(tasks);
  return performance.now() - start;
}

async function scheduled(): Promise<number> {
  const scheduler = createScheduler({
    limits: { A: { concurrency: 4 }, B: { concurrency: 2 }, C: { concurrency: 8 } },
  });
  const start = performance.now();
  const tasks: Promise<number>[] = [];
  for (let index = 0; index < taskCount; index++) {
    tasks.push(scheduler.run(keys[index % keys.length]!, () => work(index)));
  }
  await Promise.all(tasks);
  return performance.now() - start;
}

for (let warmUp = 0; warmUp < 5; warmUp++) {
  await bare();
  await scheduled();
}
const bareTimes: number[] = [];
const scheduledTimes: number[] = [];
for (let round = 0; round < rounds; round++) {
  bareTimes.push(await bare());
  scheduledTimes.push(await scheduled());
}
const bareMs = median(bareTimes);
const scheduledMs = median(scheduledTimes);
const overheadMicroseconds = ((scheduledMs - bareMs) * 1000) / taskCount;

console.log(
  `${taskCount} zero-latency tasks over ${keys.length} queues (concurrency 4/2/8), median of ${rounds} rounds`,
);
console.log(
  `bare Promise.all      ${bareMs.toFixed(2)} ms  (${((bareMs * 1000) / taskCount).toFixed(2)} µs/task)`,
);
console.log(
  `scheduler.run         ${scheduledMs.toFixed(2)} ms  (${((scheduledMs * 1000) / taskCount).toFixed(2)} µs/task)`,
);
console.log(`ratio                 ${(scheduledMs / bareMs).toFixed(2)}x bare Promise.all`);
console.log(
  `overhead              ${overheadMicroseconds.toFixed(2)} µs/task = ${(overheadMicroseconds / targetMicrosecondsPerTask).toFixed(2)}x the target (<= ${targetMicrosecondsPerTask} µs/task)`,
);
if (overheadMicroseconds > targetMicrosecondsPerTask) {
  console.error(
    `scheduler overhead ${overheadMicroseconds.toFixed(2)} µs/task is above ${targetMicrosecondsPerTask} µs/task`,
  );
  process.exitCode = 1;
}
