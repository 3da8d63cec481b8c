import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../app/contract/engine.js';
import { TIMELINE_UI_CAP } from '../../../app/contract/limits.js';
import { KINDS, type ViewOptions, buildRows } from '../../../renderer/src/timeline/timeline-model.js';
import { TimelineView } from '../../../renderer/src/timeline/timeline-view.js';
import { TimelineBuffer } from '../../../renderer/src/store/timeline-buffer.js';
import { MESSAGES } from './ffmpeg-session-data.js';
import { moreMessages } from './session.js';

const ALL: ViewOptions = { kinds: new Set(KINDS), everyMedia: false, expanded: new Set() };

describe('TimelineView: incremental sync with the shared buffer', () => {
  it('an appended batch is folded alone, not the entries before it (of 300 000 sent, the buffer keeps the newest)', () => {
    const buf = new TimelineBuffer();
    const view = new TimelineView();
    buf.append(MESSAGES);
    buf.append(moreMessages(MESSAGES.length, 300_000 - MESSAGES.length));
    expect(buf.entries(1).length).toBe(TIMELINE_UI_CAP);
    expect(buf.dropped(1)).toBe(300_000 - TIMELINE_UI_CAP);
    const first = view.sync(buf.entries(1), buf.dropped(1), ALL);
    expect(first.scanned).toBe(TIMELINE_UI_CAP);
    buf.append(moreMessages(300_000, 100));
    const second = view.sync(buf.entries(1), buf.dropped(1), ALL);
    expect(second.scanned).toBe(TIMELINE_UI_CAP + 100);
    expect(second.rowCount).toBe(buildRows(buf.entries(1), ALL).rows.length);
    // Nothing new: nothing scanned.
    expect(view.sync(buf.entries(1), buf.dropped(1), ALL).scanned).toBe(TIMELINE_UI_CAP + 100);
  });

  it('new options start the fold over', () => {
    const buf = new TimelineBuffer();
    buf.append(MESSAGES);
    const view = new TimelineView();
    view.sync(buf.entries(1), 0, ALL);
    const every = view.sync(buf.entries(1), 0, { ...ALL, everyMedia: true });
    expect(every.scanned).toBe(2 * MESSAGES.length);
    expect(every.rowCount).toBe(MESSAGES.length);
  });

  it('a replaced array (snapshot reload, buffer.replace) starts over', () => {
    const buf = new TimelineBuffer();
    buf.append(MESSAGES);
    const view = new TimelineView();
    view.sync(buf.entries(1), 0, ALL);
    buf.replace(1, { from: 0, dropped: 0 }, MESSAGES.slice(0, 5));
    const s = view.sync(buf.entries(1), 0, ALL);
    expect(s.rowCount).toBe(5);
    expect(s.counts.command).toBe(2);
  });

  it('entries dropped by the buffer cap take their rows with them', () => {
    const view = new TimelineView();
    const list: TimelineEntry[] = [...MESSAGES];
    view.sync(list, 0, ALL);
    // The buffer splices the oldest 16 (connect … @setDataFrame) off the same array.
    list.splice(0, 16);
    list.push(...moreMessages(MESSAGES.length, 10));
    const s = view.sync(list, 16, ALL);
    expect(s.scanned).toBe(MESSAGES.length + 10);
    expect(s.rows[0]).toMatchObject({ type: 'run', first: 16 });
    expect(s.rows.slice(0, s.rowCount)).toEqual(buildRows(list, ALL, 16).rows);
  });
});
