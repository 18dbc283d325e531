/**
 * Column values as the database driver returns them: SQLite gives JSON columns as strings and
 * big integers as numbers, PostgreSQL parsed JSON and bigint strings.
 */

/** A JSON column's value, parsed when the driver gave a string; null when absent or unparsable. */
export const json = <T>(v: unknown): T | null => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') {
    try {
      return JSON.parse(v) as T;
    } catch {
      return null;
    }
  }
  return v as T;
};

/** A numeric column's value (bigint columns come back as strings on PostgreSQL); null when absent. */
export const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
