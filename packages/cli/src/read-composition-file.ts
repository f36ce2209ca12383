import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import {
  type Composition,
  LayerloomError,
  parseLayerNotation,
  validateComposition,
} from '@layerloom/core';

/** Options of {@link readCompositionFile}. */
export interface ReadCompositionOptions {
  /** Values for `$NAME` in `.loom` prompts. */
  readonly variables?: Readonly<Record<string, string>>;
}

/**
 * Reads a composition from a `.loom` (layer notation) or `.json` file.
 *
 * @param path - the file.
 * @param options - variables for the notation.
 * @returns the validated composition.
 * @throws LayerNotationError with line and column for notation problems, ValidationError for
 *   JSON that is not a composition, LayerloomError `file_error` when the file cannot be read.
 */
export async function readCompositionFile(
  path: string,
  options: ReadCompositionOptions = {},
): Promise<Composition> {
  return (await readCompositionSource(path, options)).composition;
}

/** A composition file's text and the composition it holds. */
export interface CompositionSource {
  /** The file's text. */
  readonly text: string;
  /** The validated composition. */
  readonly composition: Composition;
}

/**
 * Reads a composition from a `.loom` or `.json` file, and keeps the text (for error positions).
 *
 * @param path - the file.
 * @param options - variables for the notation.
 * @returns the text and the validated composition.
 * @throws like {@link readCompositionFile}.
 */
export async function readCompositionSource(
  path: string,
  options: ReadCompositionOptions = {},
): Promise<CompositionSource> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new LayerloomError(
      'file_error',
      `Cannot read ${path}: ${(cause as NodeJS.ErrnoException).code ?? cause}`,
      {
        cause,
      },
    );
  }
  if (extname(path).toLowerCase() === '.json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new LayerloomError(
        'invalid_json',
        `${path} is not valid JSON: ${(cause as Error).message}`,
        { cause },
      );
    }
    return { text, composition: validateComposition(value) };
  }
  return {
    text,
    composition: parseLayerNotation(
      text,
      options.variables === undefined ? {} : { variables: options.variables },
    ),
  };
}
