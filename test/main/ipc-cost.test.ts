import v8 from 'node:v8';
import { describe, expect, it, vi } from 'vitest';
import { ownBytes } from '../../main/ipc.js';

vi.mock('electron', () => import('./fake-electron.js'));

/**
 * What a media chunk costs to clone, measured with V8's serializer as a
 * proxy for Electron's IPC (which cannot run here). Electron serialises an
 * IPC argument with a plain v8::ValueSerializer, views not treated as host
 * objects (shell/common/v8_value_serializer.cc), so `new v8.Serializer()`
 * is the faithful stand-in; Node's v8.serialize() is not (its
 * DefaultSerializer copies only a view's own bytes).
 */
function electronLikeSerialize(value: unknown): Buffer {
  const s = new v8.Serializer();
  s.writeHeader();
  s.writeValue(value);
  return s.releaseBuffer();
}

function roundTrip(value: unknown): unknown {
  const d = new v8.Deserializer(electronLikeSerialize(value));
  d.readHeader();
  return d.readValue();
}

function roundTripMicros(value: unknown, iterations: number): number {
  for (let i = 0; i < 50; i++) roundTrip(value);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) roundTrip(value);
  return Number(process.hrtime.bigint() - t0) / 1000 / iterations;
}

describe('the cost of sending media over IPC (V8 serializer as a proxy)', () => {
  it('is small per 25 ms chunk, and per-tag sends would multiply the fixed cost', () => {
    const chunk64k = { previewId: 1, data: new Uint8Array(64 * 1024).fill(7) };
    const chunk1m = { previewId: 1, data: new Uint8Array(1024 * 1024).fill(7) };
    const tag = { previewId: 1, data: new Uint8Array(400).fill(7) };
    const us64k = roundTripMicros(chunk64k, 2000);
    const us1m = roundTripMicros(chunk1m, 200);
    const usTag = roundTripMicros(tag, 20000);
    console.log(
      `clone round trip: 64 KB chunk ${us64k.toFixed(1)} µs (${((64 * 1024) / us64k / 1000).toFixed(2)} GB/s), ` +
        `1 MB chunk ${us1m.toFixed(0)} µs, one 400-byte tag ${usTag.toFixed(2)} µs; ` +
        `a 6 Mbit/s stream at 40 chunks/s: ${((40 * us64k * (6e6 / 8 / 40 / 65536)) / 1000).toFixed(2)} ms of CPU per second`,
    );
    expect(us64k).toBeLessThan(1000);
    expect(us1m).toBeLessThan(20_000);
  });

  it('copies the whole backing buffer of a view, which ownBytes avoids', () => {
    const pooled = Buffer.from('twenty bytes of FLV.'); // a view into Node's 8 KB pool
    const whole = electronLikeSerialize({ previewId: 1, data: pooled }).length;
    const own = electronLikeSerialize({ previewId: 1, data: ownBytes(pooled) }).length;
    const nodeDefault = v8.serialize({ previewId: 1, data: pooled }).length;
    console.log(`a 20-byte pooled Buffer serialises to ${whole} bytes (Electron-like), ${own} with ownBytes, ${nodeDefault} with Node's v8.serialize`);
    expect(whole).toBeGreaterThanOrEqual(pooled.buffer.byteLength);
    expect(own).toBeLessThan(100);
    const slice = new Uint8Array(new ArrayBuffer(1 << 20), 1000, 64);
    expect(electronLikeSerialize(slice).length).toBeGreaterThan(1 << 20);
    expect(electronLikeSerialize(ownBytes(slice)).length).toBeLessThan(100);
  });
});
