/**
 * Test support for the Health panel's browser tests: `intake serve` with
 * Debian's Chromium on its page, page errors gathered, and a publisher
 * started against it; `close()` stops all three.
 */
import type { Page } from 'playwright-core';
import { type RunningIntake, startIntake } from '../support/cli.js';
import { launchChromium } from '../support/browser.js';
import { tempDir } from './publishers.js';

/** The served UI in a browser page, and the publish under test. */
export interface HealthPage {
  intake: RunningIntake;
  page: Page;
  /** Errors the page threw or logged (a test expects none). */
  errors: string[];
  close(): Promise<void>;
}

/** Serve the UI, open it in Chromium, then start `publish` against the RTMP port (it resolves when the publisher ends). */
export async function openHealthPage(publish: (rtmpPort: number) => Promise<unknown>): Promise<HealthPage> {
  const intake = await startIntake(['serve', '--http-port', '0', '--out', tempDir()]);
  const url = (await intake.waitFor(/^ui http:\/\//)).slice(3).trim();
  const browser = await launchChromium();
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(url);
  const publishing = publish(intake.port);
  return {
    intake,
    page,
    errors,
    close: async () => {
      await browser.close();
      await intake.stop();
      await publishing;
    },
  };
}

/** The selector of a `data-testid`. */
export const testId = (id: string): string => `[data-testid="${id}"]`;
