import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TimelineEntry } from '../../../app/contract/engine.js';
import { timelineFileName, timelineJson } from '../../../renderer/src/timeline/export-timeline.js';
import { TimelinePanel } from '../../../renderer/src/timeline/TimelinePanel.js';
import { MESSAGES } from './ffmpeg-session-data.js';
import { fakeApi, feedFfmpegSession, renderWith, storeWithConnection } from './session.js';

/** What the download link was given. */
interface Download {
  blob: Blob;
  name: string;
}

let downloads: Download[];
let blobs: Map<string, Blob>;

beforeEach(() => {
  downloads = [];
  blobs = new Map();
  // jsdom has neither object URLs nor downloads: record what would have been saved.
  URL.createObjectURL = vi.fn((b: Blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, b);
    return url;
  });
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push({ blob: blobs.get(this.href)!, name: this.download });
  });
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('timeline export', () => {
  it('asks the host for the full timeline and saves it as JSON, one message per line', async () => {
    // The host holds more than the UI (its copy is the complete one).
    const full: TimelineEntry[] = [...MESSAGES, { ...MESSAGES[0], seq: 296 }];
    const api = fakeApi((name) => (name === 'timeline' ? full : undefined));
    const store = storeWithConnection();
    feedFfmpegSession(store);
    renderWith(<TimelinePanel />, store, api);
    fireEvent.click(screen.getByTestId('timeline-export'));
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(api.calls).toEqual([['timeline', { connectionId: 1 }]]);
    expect(downloads[0].name).toBe('intake-connection-1-timeline.json');
    expect(downloads[0].blob.type).toBe('application/json');
    const text = await downloads[0].blob.text();
    expect(JSON.parse(text)).toEqual(full);
    expect(text.split('\n')).toHaveLength(full.length + 3);
    expect(await screen.findByText('297 messages saved')).toBeTruthy();
  });

  it('says why when the host cannot answer', async () => {
    const api = fakeApi(() => {
      throw new Error('host gone');
    });
    const store = storeWithConnection();
    feedFfmpegSession(store);
    renderWith(<TimelinePanel />, store, api);
    fireEvent.click(screen.getByTestId('timeline-export'));
    expect(await screen.findByText('export failed: host gone')).toBeTruthy();
    expect(downloads).toHaveLength(0);
  });

  it('names the file after the connection; an empty timeline is an empty array', () => {
    expect(timelineFileName(42)).toBe('intake-connection-42-timeline.json');
    expect(JSON.parse(timelineJson([]))).toEqual([]);
  });
});
