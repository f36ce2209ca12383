import { maxExpandedTotalLength } from './notation-limits.js';

/** Where a variable was defined: a `define` line, or `options.variables`. */
export interface VariableDefinition {
  /** The text `$NAME` expands to. */
  readonly value: string;
  /** Line of the `define`, or `undefined` for `options.variables`. */
  readonly line: number | undefined;
}

/** The variables known at a point of the document, and the expansion budget left. */
export class VariableScope {
  readonly #variables = new Map<string, VariableDefinition>();
  readonly #packAliases = new Map<string, number>();
  #expanded = 0;

  /**
   * @param initial - variables from `options.variables`.
   */
  constructor(initial: ReadonlyMap<string, string>) {
    for (const [name, value] of initial) this.#variables.set(name, { value, line: undefined });
  }

  /** The definition of `name`, if any. */
  get(name: string): VariableDefinition | undefined {
    return this.#variables.get(name);
  }

  /** Defines (or, for a variable from the options, overrides) `name`. */
  define(name: string, value: string, line: number): void {
    this.#variables.set(name, { value, line });
  }

  /** Declares a pack alias of a `use` line. */
  usePack(alias: string, line: number): void {
    this.#packAliases.set(alias, line);
  }

  /** Line of the `use` declaring `alias`, if any. */
  packLine(alias: string): number | undefined {
    return this.#packAliases.get(alias);
  }

  /** Whether any `use` line has been read: only then can `$` start a pack reference. */
  get hasPacks(): boolean {
    return this.#packAliases.size > 0;
  }

  /** Whether `name` is a pack alias (bound, for passing as a callback). */
  readonly isPackAlias = (name: string): boolean => this.#packAliases.has(name);

  /** Names known so far, for suggestions. */
  names(): string[] {
    return [...this.#variables.keys()];
  }

  /**
   * Counts `length` characters of expansion against the document's budget.
   *
   * @returns `false` when the budget is exhausted.
   */
  charge(length: number): boolean {
    this.#expanded += length;
    return this.#expanded <= maxExpandedTotalLength;
  }
}
