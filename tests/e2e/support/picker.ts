import type { Page } from 'playwright-core';

import { readFrameIndex } from '../../../dev/media';

/** Seconds as the preview's data-time shows them (3 decimals). */
export const t3 = (seconds: number) => seconds.toFixed(3);

/** Waits until the preview shows the image of the given choice, then decodes its frame index. */
export async function previewFrame(page: Page, seconds: number): Promise<{ fromUrl: number; onScreen: number }> {
  const box = page.locator(`[data-testid="cos-video-preview"][data-state="ready"][data-time="${t3(seconds)}"]`);
  await box.waitFor({ timeout: 30_000 }).catch(async (e: Error) => {
    throw new Error(`${e.message}\nthe picker then: ${JSON.stringify(await pickerState(page))}`);
  });
  const img = box.locator('img');
  const src = await img.getAttribute('src');
  if (!src) throw new Error('preview image has no src');
  const res = await fetch(src);
  if (!res.ok) throw new Error(`preview image ${src} answered ${res.status}`);
  const fromUrl = readFrameIndex(Buffer.from(await res.arrayBuffer()));
  // What the editor actually sees: the rendered <img> pixels.
  const onScreen = readFrameIndex(await img.screenshot({ type: 'png' }));
  return { fromUrl, onScreen };
}

/** Waits for the saved thumbnail to be ready and decodes the frame it shows. */
export async function savedThumbnailFrame(page: Page): Promise<number> {
  const img = page.locator('[data-testid="cos-video-saved"][data-status="ready"] img[data-testid="cos-video-thumbnail"]');
  await img.waitFor({ timeout: 60_000 });
  const src = await img.getAttribute('src');
  if (!src) throw new Error('thumbnail has no src');
  const res = await fetch(src);
  if (!res.ok) throw new Error(`thumbnail ${src} answered ${res.status}`);
  return readFrameIndex(Buffer.from(await res.arrayBuffer()));
}

export const editUrl = (base: string, uid: string, documentId: string) =>
  `${base}/admin/content-manager/collection-types/${uid}/${documentId}`;
export const createUrl = (base: string, uid: string) => `${base}/admin/content-manager/collection-types/${uid}/create`;

/** Polls `check` until it is true (a hang guard, not a timing assertion). */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const giveUp = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > giveUp) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What the picker shows and where its player is, for the message of a step that did not land. */
export function pickerState(page: Page) {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('[data-testid="cos-video-player"]');
    const preview = document.querySelector<HTMLElement>('[data-testid="cos-video-preview"]');
    const root = document.querySelector<HTMLElement>('[data-testid="cos-video-picker"]');
    const input = document.querySelector<HTMLInputElement>('[data-testid="cos-video-time-input"]');
    return {
      player: v && { currentTime: v.currentTime, seeking: v.seeking, paused: v.paused, readyState: v.readyState, error: v.error?.code ?? null },
      preview: preview && { time: preview.dataset.time ?? null, state: preview.dataset.state ?? null },
      mode: root?.dataset.player ?? null,
      timeInput: input?.value ?? null,
      // the seeks and presented frames a test's init script logged, if it logs them (the last 20)
      events: (window as unknown as { __events?: unknown[] }).__events?.slice(-20) ?? null,
    };
  });
}
