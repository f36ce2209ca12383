#!/usr/bin/env node
import { AbortError } from '@layerloom/core';
import { removeTemporaryFiles } from './atomic-write.js';
import { runCli } from './run-cli.js';

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  // First Ctrl-C cancels in-flight calls and lets the render clean up; a second one quits now,
  // after removing any temporary file a write still has open (no `.tmp` is left behind).
  if (interrupted) {
    removeTemporaryFiles();
    process.exit(130);
  }
  interrupted = true;
  controller.abort(new AbortError('Interrupted (Ctrl-C)'));
});

process.exitCode = await runCli(process.argv.slice(2), { signal: controller.signal });
