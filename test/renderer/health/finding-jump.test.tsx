/**
 * A finding clicked in the Health panel selects the message nearest its
 * moment in the timeline: the mapping of its time onto the connection's
 * clock, the plan (live list, an older range paged in, or gone), the run
 * opened around it (the same rule as the row fold), and the panels together
 * against a host that holds more than the window keeps.
 */
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthFinding, HealthSummary, StreamStats, TimelineEntry, TimelineMoment, TimelinePage } from '../../../app/contract/index.js';
import { TIMELINE_PAGE_MAX, TIMELINE_UI_CAP } from '../../../app/contract/limits.js';
import { findingMoment } from '../../../renderer/src/health/finding-moment.js';
import { HealthPanel } from '../../../renderer/src/health/HealthPanel.js';
import { TimelinePanel } from '../../../renderer/src/timeline/TimelinePanel.js';
import { jumpText, planJump, runFirst } from '../../../renderer/src/timeline/timeline-jump.js';
import { KINDS, buildRows } from '../../../renderer/src/timeline/timeline-model.js';
import { MESSAGES, OPENED, STEPS } from '../timeline/ffmpeg-session-data.js';
import { stats } from '../helpers/payloads.js';
import { batch, fakeApi, moreMessages, renderWith, storeWithConnection } from '../timeline/session.js';

afterEach(cleanup);

const PATH = 'live/test';
/** The publish came 40 ms after the accept (wall clock), as the engine stamps both. */
const STARTED_AT = OPENED.acceptedAt + 40;

function finding(id: string, firstAtMs: number): HealthFinding {
  return { id, severity: 'warning', title: `Finding ${id}`, value: 1, unit: 's', measured: '1', expected: '0', firstAtMs, lastAtMs: firstAtMs, firstMediaMs: null, count: 1, fix: 'Change it' };
}

function statsWith(findings: HealthFinding[]): StreamStats {
  const limits = { videoMinKbps: 0, videoMaxKbps: 1e9, gopMaxSeconds: null };
  const health = {
    encoder: { videoDeclaredKbps: null, videoKbps: 1000, audioDeclaredKbps: null, audioKbps: 128, fpsDeclared: 30, fpsMeasured: 30 },
    words: 'H.264',
    findings: { generic: findings, youtube: [], twitch: [] },
    seconds: [],
    gops: [],
    receiverLoss: { messages: 0, bytes: 0 },
    limits: { generic: limits, youtube: limits, twitch: limits },
  } as unknown as HealthSummary;
  return stats(PATH, OPENED.connectionId, 300, 300, { health });
}

/** The nearest entry by a scan (the later on a tie), as the host's store answers. */
function nearest(all: readonly TimelineEntry[], atMs: number): number {
  let best = 0;
  for (let i = 1; i < all.length; i++) if (Math.abs(all[i].atMs - atMs) <= Math.abs(all[best].atMs - atMs)) best = i;
  return best;
}

/** A host holding `all` (its oldest `dropped` gone), answering timeline-at and timeline as the service does. */
function hostOf(all: readonly TimelineEntry[], dropped = 0) {
  return fakeApi((name, arg) => {
    if (name === 'timeline-at') {
      const { connectionId, atMs } = arg as { connectionId: number; atMs: number };
      const i = nearest(all, atMs);
      const gone = dropped > 0 && atMs < all[dropped].atMs;
      return { connectionId, atMs, index: gone ? null : Math.max(i, dropped), entry: gone ? null : all[Math.max(i, dropped)], total: all.length, dropped } satisfies TimelineMoment;
    }
    if (name === 'timeline') {
      const { connectionId, from, count } = arg as { connectionId: number; from: number; count: number };
      const start = Math.max(from, dropped);
      return { connectionId, from: start, total: all.length, dropped, entries: all.slice(start, start + count) } satisfies TimelinePage;
    }
    return undefined;
  });
}

/** The ffmpeg session, then `more` messages of a long stream; the stream started and its findings in. */
function longSession(more: number, findings: HealthFinding[]) {
  const store = storeWithConnection();
  const all = [...MESSAGES, ...moreMessages(MESSAGES.length, more)];
  store.getState().applyBatch(batch({ steps: STEPS, streamsStarted: [{ path: PATH, app: 'live', key: 'test', connectionId: OPENED.connectionId, remoteAddress: '127.0.0.1', publishType: 'live', startedAt: STARTED_AT }] }));
  for (let i = 0; i < all.length; i += 500) store.getState().applyBatch(batch({ messages: all.slice(i, i + 500) }));
  store.getState().applyBatch(batch({ stats: [statsWith(findings)] }));
  return { store, all };
}

describe('a finding on the timeline clock', () => {
  it('moves the finding by the publish time since the accept; null without the stream or its connection', () => {
    const s = { streams: { [PATH]: { startedAt: STARTED_AT, connectionId: 1 } }, ended: {}, connections: { 1: { info: OPENED } } } as never;
    expect(findingMoment(s, PATH, { firstAtMs: 8000 })).toEqual({ connectionId: 1, atMs: 8040 });
    expect(findingMoment(s, 'live/other', { firstAtMs: 8000 })).toBeNull();
    expect(findingMoment({ streams: {}, ended: { [PATH]: { info: { startedAt: STARTED_AT, connectionId: 1 } } }, connections: {} } as never, PATH, { firstAtMs: 1 })).toBeNull();
  });
});

describe('planJump', () => {
  const moment = (index: number | null, dropped = 0): TimelineMoment => ({ connectionId: 1, atMs: 5, index, entry: index === null ? null : { ...MESSAGES[0], seq: index, kind: 'video', atMs: 4 }, total: 20_000, dropped });
  it('selects in the live list, pages in a range centred on an older message (never before the oldest held), or says it is gone', () => {
    expect(planJump(moment(19_000), { from: 18_000, length: 2000 })).toMatchObject({ kind: 'live', abs: 19_000, seq: 19_000, messageKind: 'video' });
    expect(planJump(moment(9000), { from: 18_000, length: 2000 })).toMatchObject({ kind: 'page', abs: 9000, from: 9000 - TIMELINE_PAGE_MAX / 2 });
    expect(planJump(moment(900, 500), { from: 18_000, length: 2000 })).toMatchObject({ kind: 'page', abs: 900, from: 500 });
    const gone = planJump(moment(null, 7000), { from: 18_000, length: 2000 });
    expect(gone).toEqual({ kind: 'gone', dropped: 7000, total: 20_000 });
    expect(jumpText('GOP too long', '0:08', gone, null, String)).toContain('No longer held: Intake dropped the oldest 7,000');
  });
});

describe('runFirst', () => {
  it('names the run holding each message exactly as the row fold does, under every filter', () => {
    const all = [...MESSAGES, ...moreMessages(MESSAGES.length, 1200)];
    const options = [new Set(KINDS), new Set(KINDS.filter((k) => k !== 'video')), new Set(KINDS.filter((k) => k !== 'control')), new Set(['audio', 'video'] as const)];
    for (const kinds of options) {
      for (const dropped of [0, 37]) {
        const held = all.slice(dropped);
        const { rows } = buildRows(held, { kinds, everyMedia: false, expanded: new Set() }, dropped);
        const runOf = new Map<number, number>();
        for (const r of rows) if (r.type === 'run') for (let a = r.first; a <= r.last; a++) runOf.set(a, r.first);
        for (let abs = dropped; abs < all.length; abs++) {
          const e = all[abs];
          const want = kinds.has(e.kind) && (e.kind === 'video' || e.kind === 'audio') ? runOf.get(abs) : undefined;
          expect(runFirst(held, dropped, abs, { kinds, everyMedia: false }), `#${abs} under ${[...kinds].join(',')}`).toBe(want ?? null);
        }
      }
    }
    expect(runFirst(all, 0, 200, { kinds: new Set(KINDS), everyMedia: true })).toBeNull();
  });
});

describe('Health → timeline', () => {
  const ui = (
    <>
      <HealthPanel />
      <TimelinePanel />
    </>
  );
  const detail = () => screen.getByTestId('timeline-detail').textContent ?? '';

  it('pages in the older range around a moment the window no longer holds, opens its run and selects the nearest message', async () => {
    // A moment 60 s into the stream: far older than the newest 2,000 messages the window keeps.
    const f = finding('gop-long', 60_000);
    const { store, all } = longSession(9000, [f]);
    expect(store.getState().timeline.dropped(OPENED.connectionId)).toBeGreaterThan(0);
    const want = nearest(all, STARTED_AT - OPENED.acceptedAt + 60_000);
    expect(want).toBeLessThan(all.length - TIMELINE_UI_CAP);
    expect(all[want].kind === 'video' || all[want].kind === 'audio').toBe(true);
    const api = hostOf(all);
    renderWith(ui, store, api);

    await act(async () => fireEvent.click(screen.getByTestId('finding-gop-long')));
    await waitFor(() => expect(detail()).toContain(`#${all[want].seq}`));
    expect(screen.getByTestId('timeline-jump-note').textContent).toContain(`Message #${all[want].seq} at `);
    expect(api.calls.filter(([n]) => n === 'timeline-at')).toEqual([['timeline-at', { connectionId: 1, atMs: 60_040 }]]);
    // One older range asked for, centred on it; the media run that holds it opened.
    expect(api.calls.filter(([n]) => n === 'timeline').map(([, a]) => a)).toEqual([{ connectionId: 1, from: want - TIMELINE_PAGE_MAX / 2, count: TIMELINE_PAGE_MAX }]);
    expect(screen.getByTestId('timeline-range').textContent?.replace(/[\s\u202f]/g, '')).toContain(`messages${want - TIMELINE_PAGE_MAX / 2 + 1}–`);
    // Drawn in the middle of the list, selected, as a member of its opened run.
    const sel = screen.getAllByTestId('timeline-row').find((r) => r.getAttribute('aria-selected') === 'true')!;
    expect(sel.dataset.seq).toBe(String(all[want].seq));
    expect(sel.className).toContain('tl-in-run');

    // Clicked again, the finding lets go: its note goes.
    await act(async () => fireEvent.click(screen.getByTestId('finding-gop-long')));
    expect(screen.queryByTestId('timeline-jump-note')).toBeNull();
  });

  it('selects within the live list when the window holds the moment, showing its kind again if filtered out', async () => {
    const { store, all } = longSession(3000, [finding('audio-sample-rate', 0), finding('late', 38_000)]);
    const want = nearest(all, 38_040);
    expect(want).toBeGreaterThanOrEqual(store.getState().timeline.dropped(1));
    const api = hostOf(all);
    renderWith(ui, store, api);
    fireEvent.click(screen.getByTestId(`timeline-filter-${all[want].kind}`));
    await act(async () => fireEvent.click(screen.getByTestId('finding-late')));
    await waitFor(() => expect(detail()).toContain(`#${all[want].seq}`));
    expect(api.calls.some(([n]) => n === 'timeline')).toBe(false);
    expect(screen.getByTestId(`timeline-filter-${all[want].kind}`).getAttribute('aria-pressed')).toBe('true');
  });

  it('says when the moment is no longer held by Intake', async () => {
    const { store, all } = longSession(3000, [finding('audio-sample-rate', 500)]);
    renderWith(ui, store, hostOf(all, 1500));
    await act(async () => fireEvent.click(screen.getByTestId('finding-audio-sample-rate')));
    await waitFor(() => expect(screen.getByTestId('timeline-jump-note').textContent).toContain('No longer held: Intake dropped the oldest 1,500'));
    expect(detail()).toContain('Select a message');
  });

  it('a finding is a button: Enter and Space reach it from the keyboard', () => {
    const { store, all } = longSession(100, [finding('gop-long', 100)]);
    renderWith(ui, store, hostOf(all));
    const b = screen.getByTestId('finding-gop-long');
    expect(b.tagName).toBe('BUTTON');
    b.focus();
    expect(document.activeElement).toBe(b);
  });
});
