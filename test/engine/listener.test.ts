import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RtmpError } from '../../app/errors.js';
import type { PeerStream } from '../../app/server/connection.js';
import { Listener } from '../../app/server/listener.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function listener(max: number): { l: Listener; accepted: PeerStream[]; logs: string[] } {
  const accepted: PeerStream[] = [];
  const logs: string[] = [];
  const l = new Listener({
    connectionCount: () => accepted.length,
    maxConnections: () => max,
    accept: (s) => void accepted.push(s),
    log: (level, m) => void logs.push(`${level}: ${m}`),
  });
  cleanups.push(() => l.close());
  cleanups.push(() => accepted.forEach((s) => s.destroy()));
  return { l, accepted, logs };
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
    cleanups.push(() => void s.destroy());
  });
}

const closed = (s: net.Socket): Promise<void> => new Promise((r) => (s.closed ? r() : s.once('close', () => r())));

describe('Listener', () => {
  it('listens on a free port and hands each socket to its host, within the limit', async () => {
    const { l, accepted, logs } = listener(1);
    const addr = await l.start('127.0.0.1', 0);
    expect(addr.host).toBe('127.0.0.1');
    expect(addr.port).toBeGreaterThan(0);
    expect(l.address).toEqual(addr);
    await connect(addr.port);
    await expect.poll(() => accepted.length).toBe(1);
    const second = await connect(addr.port);
    await closed(second);
    expect(accepted).toHaveLength(1);
    expect(logs).toEqual([expect.stringMatching(/^warn: refused 127\.0\.0\.1:\d+: connection-limit: already 1 connections \(limit 1\)$/)]);
  });

  it('a port in use is a clear RtmpError', async () => {
    const { l } = listener(10);
    const { port } = await l.start('127.0.0.1', 0);
    const { l: other } = listener(10);
    const err = await other.start('127.0.0.1', port).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RtmpError);
    expect((err as RtmpError).message).toBe(`cannot listen on rtmp://127.0.0.1:${port}: port ${port} on 127.0.0.1 is already in use`);
  });
});
