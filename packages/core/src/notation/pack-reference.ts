/** A `$ALIAS.ID` or `$ALIAS.styles.ID` reference to a world pack's entity or style. */
export interface PackReference {
  /** The pack alias of the `use` line. */
  readonly alias: string;
  /** Whether it names an entity or a style (`$w.styles.ID`). */
  readonly kind: 'entity' | 'style';
  /** The entity or style id. */
  readonly id: string;
  /** Offset of the `$`. */
  readonly start: number;
  /** Offset just past the reference (past `}` when braced). */
  readonly end: number;
}

/** A pack alias: ASCII letters, digits and `_`, not starting with a digit. */
export const packAliasPattern = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const nameRun = /[\p{L}\p{N}_]+/uy;
const idRun = /[A-Za-z][A-Za-z0-9_-]*/y;

/** Reads an id at `offset` (trailing `-` left out, so `$w.knight-` ends before the `-`). */
function idAt(text: string, offset: number, end: number): number {
  idRun.lastIndex = offset;
  if (!idRun.test(text)) return offset;
  let stop = Math.min(idRun.lastIndex, end);
  while (stop > offset + 1 && text.charCodeAt(stop - 1) === 0x2d) stop--;
  return stop;
}

/**
 * Reads a pack reference at `start` (a `$`): `$ALIAS.ID`, `$ALIAS.styles.ID`, or the same in
 * braces (`${ALIAS.ID}`), where ALIAS is a pack alias. An id is ASCII letters, digits, `_`
 * and `-`, starting with a letter; a trailing `-` is not part of it.
 *
 * @param text - the text.
 * @param start - offset of a `$`.
 * @param isAlias - whether a name is a pack alias in scope.
 * @param end - end of the text to read. @default text.length
 * @returns the reference, or `undefined` when none starts there.
 */
export function readPackReference(
  text: string,
  start: number,
  isAlias: (name: string) => boolean,
  end = text.length,
): PackReference | undefined {
  if (text.charCodeAt(start) !== 0x24) return undefined;
  const braced = text.charCodeAt(start + 1) === 0x7b;
  const aliasStart = braced ? start + 2 : start + 1;
  nameRun.lastIndex = aliasStart;
  if (!nameRun.test(text)) return undefined;
  const aliasEnd = Math.min(nameRun.lastIndex, end);
  const alias = text.slice(aliasStart, aliasEnd);
  if (!isAlias(alias) || text.charCodeAt(aliasEnd) !== 0x2e) return undefined;
  const firstEnd = idAt(text, aliasEnd + 1, end);
  if (firstEnd === aliasEnd + 1) return undefined;
  let kind: PackReference['kind'] = 'entity';
  let id = text.slice(aliasEnd + 1, firstEnd);
  let stop = firstEnd;
  if (id === 'styles' && text.charCodeAt(firstEnd) === 0x2e) {
    const styleEnd = idAt(text, firstEnd + 1, end);
    if (styleEnd > firstEnd + 1) {
      kind = 'style';
      id = text.slice(firstEnd + 1, styleEnd);
      stop = styleEnd;
    }
  }
  if (braced) {
    if (text.charCodeAt(stop) !== 0x7d || stop >= end) return undefined;
    stop++;
  }
  return { alias, kind, id, start, end: stop };
}

/**
 * Every pack reference in a composition's prompt, in order. In a composition (unlike in the
 * notation) `$` has no escape: a `$` starts a reference exactly when an alias of
 * `composition.packs` and `.ID` follow it.
 *
 * @param prompt - a layer's or the style's prompt.
 * @param isAlias - whether a name is a declared pack alias.
 */
export function findPackReferences(
  prompt: string,
  isAlias: (name: string) => boolean,
): PackReference[] {
  const found: PackReference[] = [];
  for (let index = prompt.indexOf('$'); index >= 0; index = prompt.indexOf('$', index)) {
    const reference = readPackReference(prompt, index, isAlias);
    if (reference === undefined) index++;
    else {
      found.push(reference);
      index = reference.end;
    }
  }
  return found;
}

/** The canonical braced text of a reference: `${w.knight}`, `${w.styles.ink}`. */
export function bracedPackReference(reference: PackReference): string {
  return reference.kind === 'style'
    ? `\${${reference.alias}.styles.${reference.id}}`
    : `\${${reference.alias}.${reference.id}}`;
}
