/** Resident set size of child processes, sampled from /proc (Linux). */
import fs from 'node:fs';

export interface RssSample {
  /** Which instance (A, B, B′ after the restart). */
  label: string;
  pid: number;
  at: number;
  /** Bytes. */
  rss: number;
}

/** VmRSS of `pid` in bytes, or null when the process is gone. */
export function readRss(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export interface RssPoints {
  label: string;
  samples: number;
  start: number;
  middle: number;
  end: number;
  /** end / middle − 1: how much the process grew in the second half of its life. */
  growth: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/**
 * Start, middle and end of one process's samples. Middle and end are medians of a few samples
 * around the halfway point and at the end, so one garbage collection does not decide; start is
 * the first sample (a just-booted process).
 */
export function rssPoints(label: string, all: RssSample[]): RssPoints | null {
  const xs = all.filter((s) => s.label === label).sort((a, b) => a.at - b.at);
  if (xs.length < 3) return null;
  const window = Math.max(1, Math.floor(xs.length / 10));
  const mid = Math.floor(xs.length / 2);
  const middle = median(xs.slice(Math.max(0, mid - window), mid + window + 1).map((s) => s.rss));
  const end = median(xs.slice(-window * 2 - 1).map((s) => s.rss));
  return { label, samples: xs.length, start: xs[0].rss, middle, end, growth: end / middle - 1 };
}
