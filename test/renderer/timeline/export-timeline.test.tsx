import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TimelineEntry } from '../../../app/contract/engine.js';
import type { TimelinePage } from '../../../app/contract/ui.js';
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

/** The host's answer to a `timeline` request over `full`, of which the first `dropped` are no longer held. */
function hostPage(full: TimelineEntry[], dropped: number, arg: { from: number; count: number }): TimelinePage {
  const from = Math.max(arg.from, dropped);
  return { connectionId: 1, from, total: full.length, dropped, entries: full.slice(from, from + arg.count) };
}

describe('timeline export', () => {
  it('asks the host for the full timeline range by range and saves it as JSON, one message per line', async () => {
    // The host holds more than the UI (its copy is the complete one): 12 001 messages, three ranges.
    const full: TimelineEntry[] = Array.from({ length: 12_001 }, (_, i) => ({ ...MESSAGES[i % MESSAGES.length], seq: i }));
    const api = fakeApi((name, arg) => (name === 'timeline' ? hostPage(full, 0, arg as { from: number; count: number }) : undefined));
    const store = storeWithConnection();
    feedFfmpegSession(store);
    renderWith(<TimelinePanel />, store, api);
    fireEvent.click(screen.getByTestId('timeline-export'));
    await waitFor(() => expect(downloads).toHaveLength(1));
    expect(api.calls).toEqual([
      ['timeline', { connectionId: 1, from: 0, count: 5000 }],
      ['timeline', { connectionId: 1, from: 5000, count: 5000 }],
      ['timeline', { connectionId: 1, from: 10_000, count: 5000 }],
    ]);
    expect(downloads[0].name).toBe('intake-connection-1-timeline.json');
    expect(downloads[0].blob.type).toBe('application/json');
    const text = await downloads[0].blob.text();
    expect(JSON.parse(text)).toEqual({ connectionId: 1, total: 12_001, dropped: 0, entries: full });
    expect(text.split('\n')).toHaveLength(full.length + 3);
    expect(await screen.findByText(/^12.001 messages saved$/)).toBeTruthy();
  });

  it('says in the file and in the window how many of the oldest messages the host had dropped', async () => {
    const full: TimelineEntry[] = Array.from({ length: 7000 }, (_, i) => ({ ...MESSAGES[i % MESSAGES.length], seq: i }));
    const api = fakeApi((name, arg) => (name === 'timeline' ? hostPage(full, 1500, arg as { from: number; count: number }) : undefined));
    const store = storeWithConnection();
    feedFfmpegSession(store);
    renderWith(<TimelinePanel />, store, api);
    fireEvent.click(screen.getByTestId('timeline-export'));
    await waitFor(() => expect(downloads).toHaveLength(1));
    const saved = JSON.parse(await downloads[0].blob.text()) as { total: number; dropped: number; entries: TimelineEntry[] };
    expect(saved.total).toBe(7000);
    expect(saved.dropped).toBe(1500);
    expect(saved.entries.map((e) => e.seq)).toEqual(full.slice(1500).map((e) => e.seq));
    expect(await screen.findByText(/^5.500 messages saved \(the oldest 1.500 were dropped by Intake\)$/)).toBeTruthy();
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
    expect(JSON.parse(timelineJson({ connectionId: 42, total: 0, dropped: 0 }, []))).toEqual({ connectionId: 42, total: 0, dropped: 0, entries: [] });
  });
});
