import { act, cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { CapturePanel, captureTone } from '../../../renderer/src/capture/CapturePanel.js';
import { sparkData } from '../../../renderer/src/capture/Sparkline.js';
import { playerReadout, resetReadout } from '../../../renderer/src/preview/player-readout.js';
import { renderWith } from '../helpers/render.js';
import { batch, publish, stats } from '../helpers/payloads.js';

afterEach(() => {
  cleanup();
  resetReadout(null);
});

describe('CapturePanel', () => {
  it('shows the capture percentage, received / expected and the funnel of the selected stream', () => {
    const { store } = renderWith(<CapturePanel />);
    expect(screen.getByTestId('capture-percent').textContent).toBe('—');
    act(() => {
      store.getState().applyBatch(publish('live/a', 1));
      store.getState().applyBatch(batch({ stats: [stats('live/a', 1, 297, 300, { forwardedVideoFrames: 290, recordedVideoFrames: 120 })] }));
    });
    expect(screen.getByTestId('capture-percent').textContent).toBe('99.0 %');
    expect(screen.getByTestId('capture-percent').className).toContain('tone-warn');
    expect(screen.getByTestId('capture-received').textContent).toBe('297');
    expect(screen.getByTestId('capture-expected').textContent).toBe('300');
    // Stream-wide figures from the stats; the preview session's (forwarded...) come only from a running preview (issue 11).
    expect(screen.getByTestId('funnel-received').textContent).toBe('297');
    expect(screen.getByTestId('funnel-forwarded').textContent).toBe('—');
    expect(screen.getByTestId('funnel-recorded').textContent).toBe('120');
    act(() => store.getState().applyBatch(batch({ stats: [stats('live/a', 1, 420, 420)] })));
    expect(screen.getByTestId('capture-percent').textContent).toBe('100.0 %');
    expect(screen.getByTestId('capture-percent').className).toContain('tone-ok');
  });

  it('writes the player’s decoded and dropped frames per animation frame, for the stream it plays', async () => {
    const { store } = renderWith(<CapturePanel />);
    act(() => store.getState().applyBatch(publish('live/a', 1)));
    resetReadout('live/a');
    playerReadout.decoded = 1234;
    playerReadout.dropped = 2;
    await new Promise((r) => setTimeout(r, 60));
    expect(screen.getByTestId('funnel-decoded').textContent).toBe('1234');
    expect(screen.getByTestId('funnel-dropped').textContent).toBe('2');
    resetReadout('live/other');
    await new Promise((r) => setTimeout(r, 60));
    expect(screen.getByTestId('funnel-decoded').textContent).toBe('—');
  });

  it('passes only at 100 %', () => {
    expect(captureTone(100)).toBe('ok');
    expect(captureTone(99.9)).toBe('warn');
    expect(captureTone(90)).toBe('err');
    expect(captureTone(null)).toBe('none');
  });

  // Issue 9 moved the sparklines onto uPlot: the data it is given, oldest at the left, never below zero.
  it('gives the sparklines their values oldest at the left, never below zero', () => {
    expect(sparkData([30, 30, 15, -1])).toEqual([[0, 1, 2, 3], [30, 30, 15, 0]]);
  });
});
