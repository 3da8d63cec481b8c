import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeAmf0 } from '../../app/amf/amf0.js';
import { RtmpPublisher } from '../../app/client/publisher.js';
import type { ConnectionClosed, ProtocolStep } from '../../app/contract/engine.js';
import { Engine } from '../../app/engine.js';
import { commandMessage } from '../../app/rtmp/command.js';
import { UserControlEvent, encodeUserControl, encodeWindowAckSize } from '../../app/rtmp/control.js';
import { MessageType } from '../../app/rtmp/message-types.js';

/** Protocol behaviour over a real socket, with our own publisher client sending exactly what each case needs. */
describe('RTMP protocol over TCP', () => {
  let engine: Engine;
  let url: (key: string) => string;
  const steps: ProtocolStep[] = [];
  const closes: ConnectionClosed[] = [];
  const logs: string[] = [];

  beforeAll(async () => {
    engine = new Engine({ port: 0, limits: { maxConnections: 3, takeoverAfterMs: 1500 } });
    engine.on('step', (s) => steps.push(s));
    engine.on('connection-close', (c) => closes.push(c));
    engine.on('log', (l) => logs.push(l.message));
    const { port } = await engine.start();
    url = (key) => `rtmp://127.0.0.1:${port}/live/${key}`;
  });
  afterAll(() => engine.stop());

  const until = async (cond: () => boolean, what: string): Promise<void> => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
    if (!cond()) throw new Error(`timed out: ${what}`);
  };

  it('sends Acknowledgements at the window the client sets, counting every byte received', async () => {
    const pub = await RtmpPublisher.publish(url('ack'));
    try {
      pub.send(encodeWindowAckSize(10_000));
      // Three bursts with pauses, so the server reads them separately: one ack per window crossed.
      for (let burst = 0; burst < 3; burst++) {
        for (let i = 0; i < 4; i++) await pub.media(MessageType.Audio, (burst * 4 + i) * 23, Buffer.alloc(3000, 0xaf));
        await until(() => pub.serverMessages.filter((m) => m.typeId === MessageType.Acknowledgement).length > burst, `ack ${burst + 1}`);
      }
      const acks = pub.serverMessages.filter((m) => m.typeId === MessageType.Acknowledgement).map((m) => m.payload.readUInt32BE(0));
      expect(acks.length).toBe(3);
      expect(acks[0]).toBeGreaterThanOrEqual(10_000);
      expect(acks[1] - acks[0]).toBeGreaterThanOrEqual(10_000);
      // The sequence number is every byte received, handshake included: exactly what we sent by then.
      expect(acks[2]).toBe(pub.bytesSent + pub.handshakeBytes);
    } finally {
      await pub.close();
    }
  });

  it('answers a Ping Request with a Ping Response carrying the same timestamp', async () => {
    const pub = await RtmpPublisher.publish(url('ping'));
    pub.send(encodeUserControl(UserControlEvent.PingRequest, 123456));
    await until(() => pub.serverMessages.some((m) => m.typeId === MessageType.UserControl && m.payload.readUInt16BE(0) === 7), 'a ping response');
    const pong = pub.serverMessages.find((m) => m.typeId === MessageType.UserControl && m.payload.readUInt16BE(0) === 7)!;
    expect(pong.payload.readUInt32BE(2)).toBe(123456);
    await pub.close();
  });

  it('answers _checkbw, an AMF3 (type 17) command, and an unknown command with _error; the connection lives on', async () => {
    const pub = await RtmpPublisher.publish(url('cmds'));
    pub.send(commandMessage('_checkbw', 10, null));
    const amf3 = { csid: 3, typeId: MessageType.CommandAmf3, streamId: 0, timestamp: 0, payload: Buffer.concat([Buffer.from([0]), encodeAmf0(['getFancy', 11, null, 'x'])]) };
    pub.send(amf3);
    pub.send(commandMessage('getStreamLength', 12, null, ['cmds']));
    await until(() => pub.serverCommands.filter((c) => c.transactionId >= 10).length === 3, 'three answers');
    expect(pub.serverCommands.filter((c) => c.transactionId >= 10).map((c) => `${c.name} ${c.transactionId}`)).toEqual(['_result 10', '_error 11', '_error 12']);
    const err = pub.serverCommands.find((c) => c.transactionId === 11)!.args[0] as { code: string; description: string };
    expect(err).toMatchObject({ code: 'NetConnection.Call.Failed', description: 'Method not found (getFancy)' });
    expect(steps.some((s) => s.id === 'command:getFancy' && s.state === 'failed')).toBe(true);
    // Still alive: media keeps flowing into the stream.
    await pub.media(MessageType.Video, 0, Buffer.from([0x17, 1, 0, 0, 0, 0, 0, 0, 1, 0x65]));
    await until(() => engine.stats().find((s) => s.path === 'live/cmds')?.video.received === 1, 'a frame');
    await pub.close();
  });

  it('closeStream ends the stream and frees the key while the connection stays open', async () => {
    const pub = await RtmpPublisher.publish(url('closing'));
    expect(engine.stream('live/closing')).toBeDefined();
    pub.send(commandMessage('closeStream', 0, null, [], pub.streamId, 8));
    await until(() => engine.stream('live/closing') === undefined, 'stream end');
    const again = await RtmpPublisher.publish(url('closing'));
    expect(engine.stream('live/closing')).toBeDefined();
    await again.close();
    await pub.close();
  });

  it('a publisher reconnecting after a network drop takes over its key from the silent old connection', async () => {
    const old = await RtmpPublisher.publish(url('flaky'));
    const oldId = engine.stream('live/flaky')!.info.connectionId;
    // Still sending: the key is taken.
    await old.media(MessageType.Audio, 0, Buffer.from([0xaf, 1, 0x21]));
    await expect(RtmpPublisher.publish(url('flaky'))).rejects.toThrow(/BadName/);
    // Silent (as a dead TCP connection is) for longer than takeoverAfterMs: the new publisher gets the key.
    await new Promise((r) => setTimeout(r, 1700));
    const fresh = await RtmpPublisher.publish(url('flaky'));
    try {
      expect(engine.stream('live/flaky')!.info.connectionId).not.toBe(oldId);
      await until(() => closes.some((c) => c.connectionId === oldId), 'the old connection to close');
      expect(closes.find((c) => c.connectionId === oldId)!.reason).toMatch(/live\/flaky taken over by connection #\d+ after \d\.\d s of silence/);
    } finally {
      await fresh.close();
      await old.close();
    }
  });

  it('refuses connections above the limit with a logged reason, and serves the others', async () => {
    await until(() => engine.connectionCount === 0, 'earlier connections to close');
    const held = await Promise.all([RtmpPublisher.publish(url('l1')), RtmpPublisher.publish(url('l2')), RtmpPublisher.publish(url('l3'))]);
    const s = net.connect({ host: '127.0.0.1', port: engine.listeningAddress!.port });
    s.on('error', () => {});
    await new Promise<void>((r) => s.once('close', () => r()));
    expect(logs.some((l) => /connection-limit: already 3 connections \(limit 3\)/.test(l))).toBe(true);
    await Promise.all(held.map((p) => p.close()));
  });
});
