import { validateObjectKey } from './object-key';

/**
 * The one rule for which object keys an editor may see, sign and store: the part of the plugin
 * config it depends on. Prefixes are COS key prefixes, matched as plain string prefixes exactly
 * as ListObjects matches them (so "videos" also covers "videos-old/…"; end a prefix with "/" to
 * mean one folder).
 */
export interface KeyScopeConfig {
  /** The default bucket: the one uploads go to (uploadPrefix only applies there). */
  bucket: string;
  /** Prefixes the object browser lists, in every configured bucket; [] = every key. */
  browsePrefixes: readonly string[];
  /** Where the editors' own uploads are stored in the default bucket ("" = anywhere in it). */
  uploadPrefix: string;
}

export type KeyScopeVerdict = { ok: true } | { ok: false; rule: string };

/** Human wording of what the scope allows, for 403 messages and save errors. */
export function describeKeyScope(scope: KeyScopeConfig): string {
  const browse = scope.browsePrefixes.map((p) => `"${p}…"`).join(', ');
  return `keys under browsePrefixes (${browse}) or under uploadPrefix ("${scope.uploadPrefix}…" in bucket ${scope.bucket})`;
}

/**
 * Whether `key` in `bucket` is inside what editors may see. A key that is not a clean object key
 * ("..", "." segments, leading "/", URL, control characters) is never inside, so "videos/../x"
 * cannot reach "x" through a browser or proxy that normalises the path. The bucket itself is
 * assumed to be a configured one (checked separately, with its own error).
 */
export function keyInScope(scope: KeyScopeConfig, loc: { bucket: string; key: string }): KeyScopeVerdict {
  if (!validateObjectKey(loc.key, 'key').ok) {
    return { ok: false, rule: 'only clean object keys (no "." or ".." segments, no leading "/") may be used' };
  }
  if (scope.browsePrefixes.length === 0) return { ok: true };
  if (scope.browsePrefixes.some((p) => loc.key.startsWith(p))) return { ok: true };
  if (loc.bucket === scope.bucket && loc.key.startsWith(scope.uploadPrefix)) return { ok: true };
  return { ok: false, rule: `only ${describeKeyScope(scope)} may be used` };
}

/**
 * Whether listing `prefix` stays inside browsePrefixes: every key it can return must start with
 * an allowed prefix, so the asked prefix must itself start with one ("videos" is refused when
 * only "videos/" is allowed, since it would also list "videos-private/…").
 */
export function prefixInScope(scope: Pick<KeyScopeConfig, 'browsePrefixes'>, prefix: string): boolean {
  if (prefix !== '' && !validateObjectKey(prefix, 'prefix').ok) return false;
  return scope.browsePrefixes.length === 0 || scope.browsePrefixes.some((p) => prefix.startsWith(p));
}
