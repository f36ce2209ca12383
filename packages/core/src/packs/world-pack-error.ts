import { LayerloomError } from '../errors/layerloom-error.js';
import type { ValidationIssue } from '../errors/validation-error.js';

/** Stable codes of {@link WorldPackError}. */
export type WorldPackErrorCode =
  /** No pack at the path, or no installed package of that name. */
  | 'pack_not_found'
  /** Packages of that name are installed, but none satisfies the version range. */
  | 'pack_version_unsatisfied'
  /** The manifest is not JSON or fails the schema; `issues` has each field path. */
  | 'pack_invalid'
  /** A path in the pack leaves the pack's folder (`..`, an absolute path, a symlink out). */
  | 'pack_path_outside'
  /** A reference image is missing, not an image, or over the size limit. */
  | 'pack_reference_image'
  /** `$alias.id` names no entity or style of the pack; `suggestion` is the closest id. */
  | 'pack_unknown_reference'
  /** A composition uses a pack alias it does not declare, or declares one twice. */
  | 'pack_alias'
  /** A replay found another version or content hash of the pack than the manifest records. */
  | 'pack_replay_mismatch';

/** Details of a {@link WorldPackError}. */
export interface WorldPackErrorOptions {
  /** The pack as asked for: its source (`@studio/ember-world@^1.2`, `./packs/ember`). */
  readonly pack?: string;
  /** Problems with their JSON path in the manifest (`pack_invalid`). */
  readonly issues?: readonly ValidationIssue[];
  /** The closest valid name, when one is close. */
  readonly suggestion?: string;
  /** Version (and hash) a replay needs (`pack_replay_mismatch`). */
  readonly expectedVersion?: string;
  /** The underlying error. */
  readonly cause?: unknown;
}

/**
 * Thrown when a world pack cannot be found, loaded or used. Every such problem is found before
 * any provider is called. Switch on {@link LayerloomError.code}.
 */
export class WorldPackError extends LayerloomError {
  declare readonly code: WorldPackErrorCode;
  /** The pack as asked for, when known. */
  readonly pack: string | undefined;
  /** Problems with their JSON path in the manifest (`pack_invalid`), else empty. */
  readonly issues: readonly ValidationIssue[];
  /** The closest valid name, when one is close. */
  readonly suggestion: string | undefined;
  /** Version a replay needs (`pack_replay_mismatch`). */
  readonly expectedVersion: string | undefined;

  /**
   * @param code - stable code.
   * @param message - what was expected and what was found.
   * @param options - details.
   */
  constructor(code: WorldPackErrorCode, message: string, options: WorldPackErrorOptions = {}) {
    super(code, message, { cause: options.cause });
    this.name = 'WorldPackError';
    this.pack = options.pack;
    this.issues = options.issues ?? [];
    this.suggestion = options.suggestion;
    this.expectedVersion = options.expectedVersion;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      ...(this.pack === undefined ? {} : { pack: this.pack }),
      ...(this.issues.length === 0 ? {} : { issues: this.issues }),
      ...(this.suggestion === undefined ? {} : { suggestion: this.suggestion }),
      ...(this.expectedVersion === undefined ? {} : { expectedVersion: this.expectedVersion }),
    };
  }
}
