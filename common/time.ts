/**
 * Times as editors type them: plain seconds ('62.5') or clock form ('1:02.5', '01:02.500',
 * '1:01:02.5'). Returns seconds, or null when the text is not a time.
 */
export function parseTime(text: string | number): number | null {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : null;
  if (typeof text !== 'string') return null;
  const s = text.trim();
  if (/^\d+(\.\d+)?$|^\.\d+$/.test(s)) return Number(s);
  const m = /^(?:(\d+):)?(\d+):(\d{1,2}(?:\.\d+)?)$/.exec(s);
  if (!m) return null;
  const hours = m[1] === undefined ? 0 : Number(m[1]);
  const minutes = Number(m[2]);
  const seconds = Number(m[3]);
  // In h:mm:ss form minutes must be < 60; seconds always < 60.
  if (seconds >= 60 || (m[1] !== undefined && minutes >= 60)) return null;
  return roundUs(hours * 3600 + minutes * 60 + seconds);
}

/** 62.5 → '01:02.500'; ≥ 1 hour → '1:01:02.500'. Milliseconds precision. */
export function formatTime(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '00:00.000';
  const totalMs = Math.round(seconds * 1000);
  const ms = totalMs % 1000;
  const totalS = Math.floor(totalMs / 1000);
  const s = totalS % 60;
  const totalM = Math.floor(totalS / 60);
  const m = totalM % 60;
  const h = Math.floor(totalM / 60);
  const mmss = `${pad(m, 2)}:${pad(s, 2)}.${pad(ms, 3)}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/** Milliseconds, for display and for frame arithmetic on a nominal fps grid. */
export function roundMs(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * Snapshot times are kept to the microsecond: equal choices compare (and fingerprint) equal,
 * and a frame's own presentation time (e.g. 633.966667 s on a 29.97 fps clip) survives intact,
 * where milliseconds would land on the frame before.
 */
export function roundUs(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}
