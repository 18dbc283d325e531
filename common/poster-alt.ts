import { type Validated, fieldError } from './field-error';

/**
 * Longest `alt` (text alternative of the poster) an editor may write, in characters (Unicode
 * code points). A description of one frame fits easily; screen readers read it aloud in full.
 */
export const ALT_MAX_LENGTH = 300;

// C0 and C1 control characters (newlines included): alt text is one line of plain text.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Checks the `alt` a client sent. Returns the trimmed text, or undefined for none (absent, null
 * or only whitespace: the poster then has no text alternative). Anything else is an error on
 * `<path>` naming the value and what is allowed.
 */
export function validateAlt(input: unknown, path: string): Validated<string | undefined> {
  if (input === undefined || input === null) return { ok: true, value: undefined };
  const allowed = `a single line of text of at most ${ALT_MAX_LENGTH} characters, or null for none`;
  if (typeof input !== 'string') return { ok: false, errors: [fieldError(path, input, 'must be a string', allowed)] };
  const text = input.trim();
  if (text === '') return { ok: true, value: undefined };
  const length = [...text].length;
  if (length > ALT_MAX_LENGTH) {
    return { ok: false, errors: [fieldError(path, input, `is too long (${length} characters)`, allowed)] };
  }
  if (CONTROL.test(text)) {
    return { ok: false, errors: [fieldError(path, input, 'contains a line break or another control character', allowed)] };
  }
  return { ok: true, value: text };
}
