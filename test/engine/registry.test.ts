import { describe, expect, it } from 'vitest';
import { type Publisher, type RegisteredStream, StreamRegistry } from '../../app/streams/registry.js';

class FakeStream implements RegisteredStream {
  ended: string | null = null;
  readonly info: { connectionId: number };
  constructor(
    readonly path: string,
    connectionId: number,
  ) {
    this.info = { connectionId };
  }
  end(reason: string): void {
    this.ended = reason;
  }
}

class FakePublisher implements Publisher {
  closedWith: string | null = null;
  constructor(
    readonly id: number,
    public silent: number,
  ) {}
  silentForMs(): number {
    return this.silent;
  }
  shutdown(reason: string): void {
    this.closedWith = reason;
  }
}

const TAKEOVER_MS = 5_000;

function setup(): { reg: StreamRegistry<FakeStream>; conns: Map<number, FakePublisher>; warnings: string[] } {
  const conns = new Map<number, FakePublisher>();
  const warnings: string[] = [];
  const reg = new StreamRegistry<FakeStream>({ takeoverAfterMs: TAKEOVER_MS, publisher: (id) => conns.get(id), warn: (m) => warnings.push(m) });
  return { reg, conns, warnings };
}

/** A registry where connection #1 publishes live/k and has been silent `silent` ms; #2 is the newcomer. */
function liveKey(silent: number): ReturnType<typeof setup> & { owner: FakePublisher; old: FakeStream; newcomer: FakePublisher } {
  const s = setup();
  const owner = new FakePublisher(1, silent);
  const newcomer = new FakePublisher(2, 0);
  s.conns.set(1, owner).set(2, newcomer);
  const old = new FakeStream('live/k', 1);
  expect(s.reg.claim('live/k', owner)).toBeNull();
  s.reg.add(old);
  return { ...s, owner, old, newcomer };
}

describe('StreamRegistry takeover rules', () => {
  it('a free key may be published, and is then listed', () => {
    const { reg, warnings } = setup();
    const s = new FakeStream('live/a', 1);
    expect(reg.claim('live/a', new FakePublisher(1, 0))).toBeNull();
    reg.add(s);
    expect(reg.get('live/a')).toBe(s);
    expect([...reg.all()]).toEqual([s]);
    expect(reg.size).toBe(1);
    expect(warnings).toEqual([]);
  });

  const cases: { name: string; silent: number; takenOver: boolean }[] = [
    { name: 'a publisher that just sent bytes keeps its key', silent: 0, takenOver: false },
    { name: 'a publisher silent just under the limit keeps its key', silent: TAKEOVER_MS - 1, takenOver: false },
    { name: 'a publisher silent exactly the limit gives its key up', silent: TAKEOVER_MS, takenOver: true },
    { name: 'a publisher silent well past the limit gives its key up', silent: 60_000, takenOver: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { reg, owner, old, newcomer, warnings } = liveKey(c.silent);
      const refused = reg.claim('live/k', newcomer);
      if (c.takenOver) {
        const why = `live/k taken over by connection #2 after ${(c.silent / 1000).toFixed(1)} s of silence`;
        expect(refused).toBeNull();
        expect(owner.closedWith).toBe(why);
        expect(warnings).toEqual([why]);
      } else {
        expect(refused).toEqual({ ok: false, code: 'NetStream.Publish.BadName', description: 'live/k is already being published' });
        expect(owner.closedWith).toBeNull();
        expect(warnings).toEqual([]);
        expect(reg.get('live/k')).toBe(old);
      }
      expect(newcomer.closedWith).toBeNull();
    });
  }

  it('a key whose connection is already gone is taken over by ending the stream itself', () => {
    const { reg, conns, old, owner, newcomer, warnings } = liveKey(0);
    conns.delete(1);
    expect(reg.claim('live/k', newcomer)).toBeNull();
    expect(owner.closedWith).toBeNull();
    expect(old.ended).toBe('live/k taken over by connection #2 after Infinity s of silence');
    expect(warnings).toHaveLength(1);
  });

  it('the rule is per key: another key is free while live/k is held', () => {
    const { reg, newcomer } = liveKey(0);
    expect(reg.claim('live/other', newcomer)).toBeNull();
    expect(reg.claim('other/k', newcomer)).toBeNull();
  });

  it('the stream that was taken over cannot remove its successor', () => {
    const { reg, old, newcomer } = liveKey(TAKEOVER_MS);
    expect(reg.claim('live/k', newcomer)).toBeNull();
    // Its connection's shutdown ends it later (asynchronously here): the new stream is already in place.
    const next = new FakeStream('live/k', 2);
    reg.add(next);
    expect(reg.isCurrent(old)).toBe(false);
    expect(reg.remove(old)).toBe(false);
    expect(reg.get('live/k')).toBe(next);
    expect(reg.remove(next)).toBe(true);
    expect(reg.get('live/k')).toBeUndefined();
    expect(reg.size).toBe(0);
  });

  it('after the stream ends and is removed, the key is free again without any takeover', () => {
    const { reg, old, newcomer, warnings } = liveKey(0);
    expect(reg.remove(old)).toBe(true);
    expect(reg.claim('live/k', newcomer)).toBeNull();
    expect(warnings).toEqual([]);
  });
});
