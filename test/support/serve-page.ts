import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser.js';
import { type RunningIntake, startIntake } from './cli.js';

/** What {@link serveInChromium} gives a suite once its beforeAll has run. */
export interface ServedPage {
  readonly intake: RunningIntake;
  /** The UI's address as `intake serve` printed it. */
  readonly uiUrl: URL;
  readonly browser: Awaited<ReturnType<typeof launchChromium>>;
}

/**
 * `intake serve` (RTMP and HTTP on free ports) and a headless Chromium for
 * the calling suite: started in its beforeAll, stopped in its afterAll.
 * Read the fields inside tests, not at the top of the suite.
 */
export function serveInChromium(): ServedPage {
  let intake: RunningIntake | undefined;
  let uiUrl: URL | undefined;
  let browser: ServedPage['browser'] | undefined;
  beforeAll(async () => {
    intake = await startIntake(['serve', '--http-port', '0']);
    uiUrl = new URL((await intake.waitFor(/^ui http:\/\//)).slice(3).trim());
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await intake?.stop();
  });
  const ready = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`serveInChromium: ${what} is not started yet (read it inside a test)`);
    return v;
  };
  return {
    get intake() {
      return ready(intake, 'intake serve');
    },
    get uiUrl() {
      return ready(uiUrl, 'the UI address');
    },
    get browser() {
      return ready(browser, 'Chromium');
    },
  };
}
