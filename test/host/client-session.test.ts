import { describe, expect, it, vi } from 'vitest';
import type { RecordingInfo, StreamStats } from '../../app/contract/engine.js';
import { UI_REQUESTS, type Snapshot, type UiBatch, type UiEventName, type UiEvents } from '../../app/contract/ui.js';
import { Engine } from '../../app/engine.js';
import { ClientSession, type RequestHandlers } from '../../app/host/client-session.js';
import { REQUEST_ARGS } from '../../app/host/request-args.js';
import type { LiveStreams, SessionHost } from '../../app/host/session-host.js';

const REC: RecordingInfo = { path: 'live/a', file: '/rec/a.flv', bytes: 0, durationMs: 0, videoFrames: 0, audioFrames: 0, state: 'recording' };
const SNAPSHOT = { streams: [] } as unknown as Snapshot;

/** A stand-in host that records every call it gets; `streams: null` is a host whose listener is not running. */
function standIn(opts: { streams?: LiveStreams | null; canOpen?: boolean } = {}) {
  const calls: [string, unknown][] = [];
  const live: LiveStreams = {
    stream: (path) => (calls.push(['stream', path]), undefined),
    subscribe: (path) => (calls.push(['subscribe', path]), () => {}),
    startRecording: (path) => (calls.push(['startRecording', path]), REC),
    stopRecording: async (path) => (calls.push(['stopRecording', path]), null),
  };
  const host: SessionHost = {
    snapshot: () => (calls.push(['snapshot', undefined]), SNAPSHOT),
    updateSettings: async (change) => (calls.push(['updateSettings', change]), { settings: change, status: {} } as never),
    timeline: (range) => (calls.push(['timeline', range.connectionId]), { connectionId: range.connectionId, from: 0, total: 0, dropped: 0, entries: [] }),
    timelineAt: (req) => (calls.push(['timelineAt', req.connectionId]), { connectionId: req.connectionId, atMs: req.atMs, index: null, entry: null, total: 0, dropped: 0 }),
    liveStreams: () => (opts.streams === undefined ? live : opts.streams),
    recordDir: () => '/rec',
    checkRecordDir: async (dir) => dir,
    ...(opts.canOpen
      ? { openFolder: async (p: string) => void calls.push(['openFolder', p]), openExternal: async (u: string) => void calls.push(['openExternal', u]) }
      : {}),
  };
  const events: { name: UiEventName; payload: unknown }[] = [];
  const sink = { event: <K extends UiEventName>(name: K, payload: UiEvents[K]) => void events.push({ name, payload }) };
  const session = new ClientSession(host, sink, () => {});
  return { session, calls, events };
}

describe('ClientSession: requests dispatched by name', () => {
  it("answers the heartbeat's ping at once, with nothing and without touching the host", async () => {
    const { session, calls, events } = standIn();
    expect(await session.handle('ping', null)).toBeNull();
    expect(await session.handle('ping', undefined)).toBeNull();
    expect(calls).toEqual([]);
    expect(events).toEqual([]);
  });

  it('hands each request, with its checked argument, to the one host method that answers it', async () => {
    const { session, calls } = standIn({ canOpen: true });
    expect(await session.handle('snapshot', null)).toBe(SNAPSHOT);
    await session.handle('set-settings', { autoRecord: true });
    await session.handle('timeline', { connectionId: 7 });
    expect(await session.handle('start-recording', { path: 'live/a' })).toBe(REC);
    await session.handle('stop-recording', { path: 'live/a' });
    await session.handle('open-folder', {});
    await session.handle('open-folder', { path: '/rec/a.flv' });
    await session.handle('open-external', { url: 'https://example.com/' });
    expect(await session.handle('preview', { path: null })).toEqual({ previewId: null });
    expect(calls).toEqual([
      ['snapshot', undefined],
      ['updateSettings', { autoRecord: true }],
      ['timeline', 7],
      ['startRecording', 'live/a'],
      ['stopRecording', 'live/a'],
      ['openFolder', '/rec'],
      ['openFolder', '/rec/a.flv'],
      ['openExternal', 'https://example.com/'],
    ]);
  });

  it('refuses names outside the contract with the same message, inherited Object members included', async () => {
    const { session, calls } = standIn();
    for (const name of ['rm -rf', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '']) {
      await expect(session.handle(name, {})).rejects.toMatchObject({ code: 'bad-request', message: `unknown request '${name}'` });
    }
    expect(calls).toEqual([]);
  });

  it.each([
    ['set-settings', null, /settings must be an object/],
    ['set-settings', [1], /settings must be an object/],
    ['set-settings', { port: '1935' }, /port must be a whole number/],
    ['set-settings', JSON.parse('{"__proto__": {"port": 1}}'), /unknown setting '__proto__'/],
    ['preview', 'live/a', /preview takes an object argument/],
    ['preview', { path: 42 }, /path must be a string or null/],
    ['preview', { path: '' }, /path must be a string or null/],
    ['start-recording', undefined, /start-recording takes an object argument/],
    ['start-recording', {}, /a stream path/],
    ['start-recording', Object.create({ path: 'live/a' }), /a stream path/],
    ['stop-recording', { path: ['live/a'] }, /a stream path/],
    ['timeline', { connectionId: '7' }, /connectionId must be a number/],
    ['timeline', { connectionId: 1.5 }, /connectionId must be a number/],
    ['timeline', [7], /timeline takes an object argument/],
    ['open-folder', { path: { toString: '/etc' } }, /path must be a file or folder path/],
    ['open-external', { url: 'file:///etc/passwd' }, /only http\(s\) URLs/],
    ['open-external', { url: 'javascript:alert(1)' }, /only http\(s\) URLs/],
    ['open-external', 'https://example.com/', /open-external takes an object argument/],
    ['follow', { connectionIds: 3 }, /connectionIds must be null or a list/],
    ['follow', { connectionIds: ['3'] }, /connectionIds must be null or a list/],
    ['follow', { connectionIds: Array.from({ length: 17 }, (_, i) => i) }, /at most 16/],
    ['follow', {}, /connectionIds must be null or a list/],
  ])('refuses %s with argument %j as a bad request, before the host sees it', async (name, arg, message) => {
    const { session, calls } = standIn({ canOpen: true });
    await expect(session.handle(name, arg)).rejects.toMatchObject({ code: 'bad-request', message: expect.stringMatching(message) });
    expect(calls).toEqual([]);
  });

  it("says what the host cannot do: no listener, no folder or URL opener (browser mode)", async () => {
    const off = standIn({ streams: null });
    await expect(off.session.handle('start-recording', { path: 'live/a' })).rejects.toMatchObject({ code: 'unsupported', message: 'the RTMP listener is not running' });
    await expect(off.session.handle('preview', { path: 'live/a' })).rejects.toMatchObject({ code: 'unsupported' });
    await expect(off.session.handle('open-folder', {})).rejects.toMatchObject({ code: 'unsupported' });
    await expect(off.session.handle('open-external', { url: 'https://example.com/' })).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('checks the arguments of exactly the requests the contract lists (what main/ipc.ts lets through)', () => {
    expect(Object.keys(REQUEST_ARGS).sort()).toEqual([...UI_REQUESTS].sort());
  });

  it('a map that misses a request does not compile', () => {
    // @ts-expect-error -- 'open-external' and the rest are missing: RequestHandlers needs every request of the contract.
    const partial: RequestHandlers = { snapshot: () => SNAPSHOT };
    // @ts-expect-error -- a handler must return its own request's result (timeline: TimelineEntry[]).
    const wrong: Pick<RequestHandlers, 'timeline'> = { timeline: () => SNAPSHOT };
    expect([partial, wrong]).toHaveLength(2);
  });
});

describe('ClientSession: the timelines a UI follows', () => {
  const entry = (connectionId: number, seq: number) => ({ connectionId, seq }) as UiBatch['messages'][number];
  /** The messages of every batch the session sent. */
  const sent = (events: { name: UiEventName; payload: unknown }[]) => events.filter((e) => e.name === 'batch').flatMap((e) => (e.payload as UiBatch).messages.map((m) => [m.connectionId, m.seq]));

  it("sends every connection's messages until the UI names the ones it follows, then only theirs", async () => {
    vi.useFakeTimers();
    try {
      const { session, events } = standIn();
      session.add('messages', entry(1, 0));
      session.add('messages', entry(2, 0));
      await vi.advanceTimersByTimeAsync(1000);
      expect(sent(events)).toEqual([[1, 0], [2, 0]]);
      expect(await session.handle('follow', { connectionIds: [2] })).toBeNull();
      session.add('messages', entry(1, 1));
      session.add('messages', entry(2, 1));
      session.add('messages', entry(3, 0));
      await vi.advanceTimersByTimeAsync(1000);
      expect(sent(events).slice(2)).toEqual([[2, 1]]);
      // None: a window showing no connection gets no messages; null: all again.
      await session.handle('follow', { connectionIds: [] });
      session.add('messages', entry(2, 2));
      await session.handle('follow', { connectionIds: null });
      session.add('messages', entry(3, 1));
      await vi.advanceTimersByTimeAsync(1000);
      expect(sent(events).slice(3)).toEqual([[3, 1]]);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('ClientSession: the health summaries a UI follows', () => {
  it("sends a stream's health summary only while the UI follows its connection; the plain figures always", async () => {
    vi.useFakeTimers();
    try {
      const { session, events } = standIn();
      const stats = (path: string, connectionId: number) => ({ path, connectionId, uptimeMs: 1, video: null, audio: null, health: { words: 'H.264' } }) as unknown as StreamStats;
      const last = () => (events.filter((e) => e.name === 'batch').pop()!.payload as UiBatch).stats.map((s) => [s.path, s.health !== undefined]);
      session.stats(stats('live/a', 1));
      session.stats(stats('live/b', 2));
      await vi.advanceTimersByTimeAsync(1000);
      expect(last()).toEqual([['live/a', true], ['live/b', true]]);
      await session.handle('follow', { connectionIds: [2] });
      session.stats(stats('live/a', 1));
      session.stats(stats('live/b', 2));
      await vi.advanceTimersByTimeAsync(1000);
      expect(last()).toEqual([['live/a', false], ['live/b', true]]);
      // What goes to the page is a JSON batch: the stripped summary is absent, not null.
      expect(JSON.stringify((events.filter((e) => e.name === 'batch').pop()!.payload as UiBatch).stats[0])).not.toContain('health');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('one error vocabulary', () => {
  it("'no live stream' is 'not-found' from a preview request and from the engine itself", async () => {
    const engine = new Engine();
    const { session } = standIn({ streams: engine });
    await expect(session.handle('preview', { path: 'live/none' })).rejects.toMatchObject({ code: 'not-found', message: 'no live stream live/none' });
    expect(() => engine.subscribe('live/none', { kind: 'preview', tag() {}, end() {} })).toThrow(expect.objectContaining({ code: 'not-found', message: 'no live stream live/none' }));
    expect(() => engine.startRecording('live/none')).toThrow(expect.objectContaining({ code: 'not-found', message: 'no live stream live/none' }));
  });
});
