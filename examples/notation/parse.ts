/**
 * Parses a `.loom` file into a composition and prints it as JSON, then writes it back as
 * canonical layer notation. Without an argument it reads `examples/seed.loom`.
 *
 *   npx tsx --tsconfig tsconfig.json examples/notation/parse.ts [file.loom]
 *
 * A notation error is printed with its code frame and the process exits with status 1.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatLayerNotation, LayerNotationError, parseLayerNotation } from '@layerloom/core';

const path = process.argv[2] ?? fileURLToPath(new URL('../seed.loom', import.meta.url));
const text = readFileSync(path, 'utf8');

try {
  const composition = parseLayerNotation(text, {
    // `$NAME` in prompts can also come from the caller, e.g. a command-line flag.
    variables: { palette: 'warm earth tones' },
  });
  console.log(JSON.stringify(composition, null, 2));
  console.log('\n# canonical notation\n');
  console.log(formatLayerNotation(composition));
} catch (error) {
  if (!(error instanceof LayerNotationError)) throw error;
  // `toString()` shows the message, the offending line and a caret under the column.
  console.error(`${path}:${error.line}:${error.column}\n${error.toString()}`);
  process.exitCode = 1;
}
