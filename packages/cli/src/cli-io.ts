/** Where the CLI writes and what it knows of its terminal; injectable for tests. */
export interface CliIo {
  /** Normal output (results, tables, JSON). */
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Progress and diagnostics. */
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Working directory. */
  readonly cwd: string;
  /** Environment variables (keys are read from here). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The real process's streams, directory and environment. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/** Writes one line to a stream. */
export function writeLine(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(`${text}\n`);
}
