/** One validation problem: where (dotted field path), what was sent, and a message naming what is allowed. */
export interface FieldError {
  path: string;
  value: unknown;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** Short, readable rendering of a bad value for error messages (NaN/Infinity stay visible). */
function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 120 ? `${value.slice(0, 117)}...` : value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** `video.snapshot.time must be ≥ 0: got -1; allowed: …` — field path, value and what is allowed, in one line. */
export function fieldError(path: string, value: unknown, problem: string, allowed: string): FieldError {
  return { path, value, message: `${path} ${problem}: got ${describeValue(value)}; allowed: ${allowed}` };
}
