import { encodeAmf0 } from '../amf/amf0.js';
import { type AmfObject, type AmfValue, isAmfObject } from '../amf/types.js';
import type { Closer, ProtocolStep, StepState } from '../contract/engine.js';
import { StepId } from '../contract/engine.js';
import { ErrorCode, RtmpError } from '../errors.js';
import { AUDIO_FOURCCS } from '../media/audio-tag.js';
import { VIDEO_FOURCCS } from '../media/video-tag.js';
import { type Command, Csid, commandMessage, decodeAmfPayload, decodeCommand, prop, statusInfo } from './command.js';
import { BandwidthLimit, UserControlEvent, encodeSetChunkSize, encodeSetPeerBandwidth, encodeUserControl, encodeWindowAckSize } from './control.js';
import { MessageType, type RtmpMessage } from './message-types.js';
import type { Discarded } from './chunk-decoder.js';

/** Where published media goes: one per live stream (see streams/live-stream.ts). */
export interface MediaSink {
  /**
   * onMetaData, decoded; `amf0` is the same as the message carried it (AMF0,
   * without the @setDataFrame wrapper), valid only during the call, or null
   * when it must be encoded from `values`.
   */
  metadata(values: AmfValue[], timestamp: number, amf0: Buffer | null): void;
  media(typeId: number, timestamp: number, payload: Buffer): void;
  /** Other data messages (onTextData, onCuePoint...) kept as script tags. */
  data(values: AmfValue[], payload: Buffer, timestamp: number): void;
  /** The publish ended; `discarded`: what its connection's close threw away of messages in progress (Intake's own loss). */
  end(reason: string, discarded?: Discarded): void;
  /** Backpressure: a promise to wait on before reading more from the publisher, or null. */
  pressure(): Promise<void> | null;
}

export interface PublishRequest {
  app: string;
  key: string;
  /** The full publishing name, query string included. */
  name: string;
  type: string;
  streamId: number;
  connect: ConnectParams;
}

export type PublishResult = { ok: true; sink: MediaSink } | { ok: false; code: string; description: string };

export interface ConnectParams {
  app: string;
  tcUrl?: string;
  flashVer?: string;
  swfUrl?: string;
  encoder?: string;
  objectEncoding: number;
}

/** What a session needs from the connection that owns it. */
export interface SessionHost {
  send(msg: RtmpMessage): void;
  step(id: ProtocolStep['id'], state: StepState, detail?: Record<string, unknown>, reply?: string): void;
  publish(req: PublishRequest): PublishResult;
  log(level: 'info' | 'warn', message: string): void;
}

export interface SessionOptions {
  /** Our outgoing chunk size, announced after connect. */
  chunkSize: number;
  windowAckSize: number;
  peerBandwidth: number;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = { chunkSize: 4096, windowAckSize: 5_000_000, peerBandwidth: 5_000_000 };

interface NetStream {
  id: number;
  name?: string;
  sink?: MediaSink;
}

/** E-RTMP v2 FourCcInfoMask: CanDecode 1, CanEncode 2, CanForward 4. A receiver that records "forwards". */
const CAN_FORWARD = 4;

/**
 * E-RTMP v2 "Enhancing NetConnection connect Command": a client that lists
 * its codecs (fourCcList, videoFourCcInfoMap, audioFourCcInfoMap) learns ours
 * in the connect _result. Legacy clients send none of these and get none.
 */
function enhancedCapabilities(o: AmfValue): AmfObject {
  if (!isAmfObject(o)) return {};
  const c = o;
  if (c.fourCcList === undefined && c.videoFourCcInfoMap === undefined && c.audioFourCcInfoMap === undefined) return {};
  // Every FourCC the media parsers read: we parse, count and record all of them.
  const map = (list: readonly string[]): AmfObject => Object.fromEntries(list.map((f) => [f, CAN_FORWARD]));
  return {
    fourCcList: [...VIDEO_FOURCCS, ...AUDIO_FOURCCS],
    videoFourCcInfoMap: map(VIDEO_FOURCCS),
    audioFourCcInfoMap: map(AUDIO_FOURCCS),
    capsEx: 0,
  };
}

/** "@setDataFrame" as the AMF0 string a wrapped data message starts with. */
const SET_DATA_FRAME = encodeAmf0(['@setDataFrame']);

/**
 * The AMF0 bytes of a data message less its "@setDataFrame" wrapper, so the
 * tag keeps the publisher's own encoding and nothing is encoded again; null
 * for AMF3 data (a script tag is AMF0) or a wrapper spelt another way.
 */
function amf0Body(msg: RtmpMessage, wrapped: boolean): Buffer | null {
  if (msg.typeId !== MessageType.DataAmf0) return null;
  if (!wrapped) return msg.payload;
  const p = msg.payload;
  return p.length > SET_DATA_FRAME.length && p.subarray(0, SET_DATA_FRAME.length).equals(SET_DATA_FRAME) ? p.subarray(SET_DATA_FRAME.length) : null;
}

/** "live?token=x" -> "live": query strings are not part of an app or key. */
function stripQuery(s: string): string {
  const i = s.indexOf('?');
  return i < 0 ? s : s.slice(0, i);
}

/** "FMLE/3.0 (compatible; Lavf61.1.100)" -> "Lavf61.1.100"; OBS says "FMSc/1.0". */
function encoderFromFlashVer(flashVer: string | undefined): string | undefined {
  const m = flashVer && /\(compatible; ([^)]+)\)/.exec(flashVer);
  return m ? m[1] : flashVer;
}

/**
 * One RTMP conversation, as the server side of a publisher: commands in,
 * replies out, in the order nginx-rtmp and FMS use. Protocol control (Set
 * Chunk Size, Abort, acknowledgements, ping) is absorbed by the transport
 * below it; the session only hears of the peer's chunk size, as a step.
 */
export class Session {
  private connectParams: ConnectParams | null = null;
  private readonly streams = new Map<number, NetStream>();
  private nextStreamId = 1;
  private sawChunkSize = false;
  /** Stream ids already reported as carrying media they do not publish. */
  private readonly misrouted = new Set<string>();

  constructor(
    private readonly host: SessionHost,
    private readonly options: SessionOptions = DEFAULT_SESSION_OPTIONS,
  ) {}

  /** The parameters of `connect`, once it arrived. */
  get connected(): ConnectParams | null {
    return this.connectParams;
  }

  /** The peer's Set Chunk Size, applied by the transport: the first one is a protocol step. */
  peerChunkSize(size: number): void {
    if (this.sawChunkSize) return;
    this.sawChunkSize = true;
    this.host.step(StepId.SetChunkSize, 'received', { chunkSize: size });
  }

  /**
   * Handle one complete command, data or media message (protocol control
   * stops at the transport). Throws RtmpError for input that must close the
   * connection.
   */
  handle(msg: RtmpMessage): void {
    switch (msg.typeId) {
      case MessageType.CommandAmf0:
      case MessageType.CommandAmf3:
        this.command(decodeCommand(msg.typeId, msg.payload), msg);
        return;
      case MessageType.DataAmf0:
      case MessageType.DataAmf3:
        this.data(msg);
        return;
      case MessageType.Audio:
      case MessageType.Video:
        this.sinkFor(msg)?.media(msg.typeId, msg.timestamp, msg.payload);
        return;
      case MessageType.Aggregate:
        this.aggregate(msg);
        return;
      case MessageType.SharedObjectAmf0:
      case MessageType.SharedObjectAmf3:
        // Nothing to do for a publisher's server: shown in the timeline only.
        return;
      default:
        throw new RtmpError(ErrorCode.Message, `unknown message type ${msg.typeId} (${msg.payload.length} bytes on chunk stream ${msg.csid})`);
    }
  }

  /** Backpressure from any stream this connection publishes (a recording behind the disk). */
  pressure(): Promise<void> | null {
    for (const s of this.streams.values()) {
      const p = s.sink?.pressure();
      if (p) return p;
    }
    return null;
  }

  /**
   * The connection is going away: end every stream it publishes. A stream
   * still publishing when its publisher's side closes (`by` 'client': killed,
   * reset, network gone) ended without FCUnpublish or deleteStream, which is
   * a failure and is logged as a warning with the reason; one the server
   * closes (shutdown, a broken limit, a takeover) is logged where that is
   * decided. Returns how many streams were still publishing.
   */
  close(reason: string, by: Closer = 'client', discarded?: Discarded): number {
    let live = 0;
    for (const s of this.streams.values()) {
      if (!s.sink) continue;
      live++;
      if (by === 'client') this.host.log('warn', `${this.pathOf(s)}: the publisher's connection dropped mid-stream, without FCUnpublish or deleteStream (${reason})`);
      // The connection's loss goes to its first live stream: a connection publishes one stream in practice, and counting it twice would be false.
      this.endStream(s, reason, live === 1 ? discarded : undefined);
    }
    return live;
  }

  private pathOf(s: NetStream): string {
    return `${this.connectParams?.app ?? ''}/${s.name ?? ''}`;
  }

  private command(cmd: Command, msg: RtmpMessage): void {
    const detail = { transactionId: cmd.transactionId, commandObject: cmd.commandObject, args: cmd.args };
    if (cmd.name !== 'connect' && !this.connectParams) {
      this.error(cmd, msg, `${cmd.name} before connect`);
      return;
    }
    switch (cmd.name) {
      case 'connect':
        this.connect(cmd);
        return;
      case 'releaseStream':
        this.host.send(commandMessage('_result', cmd.transactionId, null, [undefined]));
        this.host.step(StepId.ReleaseStream, 'answered', { ...detail, name: cmd.args[0] }, '_result');
        return;
      case 'FCPublish': {
        const name = typeof cmd.args[0] === 'string' ? cmd.args[0] : '';
        this.host.send(commandMessage('onFCPublish', 0, null, [statusInfo('status', 'NetStream.Publish.Start', name)]));
        this.host.step(StepId.FcPublish, 'answered', { ...detail, name }, 'onFCPublish NetStream.Publish.Start');
        return;
      }
      case 'createStream': {
        const id = this.nextStreamId++;
        this.streams.set(id, { id });
        this.host.send(commandMessage('_result', cmd.transactionId, null, [id]));
        this.host.step(StepId.CreateStream, 'answered', { ...detail, streamId: id }, `_result stream id ${id}`);
        return;
      }
      case '_checkbw':
        this.host.send(commandMessage('_result', cmd.transactionId, null, [undefined]));
        this.host.step(StepId.CheckBw, 'answered', detail, '_result');
        return;
      case 'publish':
        this.publish(cmd, msg);
        return;
      case 'FCUnpublish': {
        const name = typeof cmd.args[0] === 'string' ? stripQuery(cmd.args[0]) : '';
        this.host.send(commandMessage('onFCUnpublish', 0, null, [statusInfo('status', 'NetStream.Unpublish.Success', name)]));
        this.host.step(StepId.Unpublish, 'answered', { ...detail, command: 'FCUnpublish', name }, 'onFCUnpublish NetStream.Unpublish.Success');
        for (const s of this.streams.values()) if (s.name === name) this.endStream(s, 'FCUnpublish');
        return;
      }
      case 'deleteStream':
      case 'closeStream': {
        const id = cmd.name === 'deleteStream' && typeof cmd.args[0] === 'number' ? cmd.args[0] : msg.streamId;
        const s = this.streams.get(id);
        this.host.step(StepId.Unpublish, 'received', { ...detail, command: cmd.name, streamId: id });
        if (s) {
          this.endStream(s, cmd.name);
          if (cmd.name === 'deleteStream') this.streams.delete(id);
        }
        return;
      }
      case '_result':
      case '_error':
      case 'onBWDone':
      case '_checkbw_result':
        // Answers to calls we never make, or courtesy calls: shown in the timeline, nothing to do.
        return;
      default:
        this.error(cmd, msg, `Method not found (${cmd.name})`);
    }
  }

  private connect(cmd: Command): void {
    const o = cmd.commandObject;
    const oe = isAmfObject(o) ? o.objectEncoding : undefined;
    const flashVer = prop(o, 'flashVer') ?? prop(o, 'flashver');
    const params: ConnectParams = {
      app: stripQuery(prop(o, 'app') ?? '').replace(/\/+$/, ''),
      tcUrl: prop(o, 'tcUrl') ?? prop(o, 'tcurl'),
      flashVer,
      swfUrl: prop(o, 'swfUrl'),
      encoder: encoderFromFlashVer(flashVer),
      objectEncoding: typeof oe === 'number' ? oe : 0,
    };
    this.connectParams = params;
    const { windowAckSize, peerBandwidth, chunkSize } = this.options;
    this.host.send(encodeWindowAckSize(windowAckSize));
    this.host.send(encodeSetPeerBandwidth(peerBandwidth, BandwidthLimit.Dynamic));
    this.host.send(encodeSetChunkSize(chunkSize));
    this.host.send(
      commandMessage('_result', cmd.transactionId, { fmsVer: 'FMS/3,0,1,123', capabilities: 31, ...enhancedCapabilities(o) }, [
        statusInfo('status', 'NetConnection.Connect.Success', 'Connection succeeded.', { objectEncoding: params.objectEncoding }),
      ]),
    );
    this.host.step(
      StepId.Connect,
      'answered',
      { ...params, transactionId: cmd.transactionId, commandObject: cmd.commandObject },
      `Window Ack Size ${windowAckSize}, Set Peer Bandwidth ${peerBandwidth}, Set Chunk Size ${chunkSize}, _result NetConnection.Connect.Success`,
    );
  }

  private publish(cmd: Command, msg: RtmpMessage): void {
    const name = typeof cmd.args[0] === 'string' ? cmd.args[0] : '';
    const type = typeof cmd.args[1] === 'string' ? cmd.args[1] : 'live';
    const key = stripQuery(name);
    const streamId = msg.streamId;
    let ns = this.streams.get(streamId);
    if (!ns) {
      // Some clients publish on a stream id they never created; accept it as FMS does.
      ns = { id: streamId };
      this.streams.set(streamId, ns);
    }
    const detail = { transactionId: cmd.transactionId, key, name, type, streamId };
    const fail = (code: string, description: string): void => {
      this.host.send(commandMessage('onStatus', 0, null, [statusInfo('error', code, description)], streamId, Csid.Status));
      this.host.step(StepId.Publish, 'failed', detail, `onStatus ${code}: ${description}`);
      // A refused publish is a failure the publisher may not show well (ffmpeg exits with a bare "Input/output error"): said in the log too.
      this.host.log('warn', `publish of ${JSON.stringify(`${this.connectParams?.app ?? ''}/${name}`)} refused: ${code}: ${description}`);
    };
    if (!key) return fail('NetStream.Publish.BadName', 'empty stream key');
    if (ns.sink) return fail('NetStream.Publish.BadName', `stream ${streamId} is already publishing`);
    const result = this.host.publish({ app: this.connectParams!.app, key, name, type, streamId, connect: this.connectParams! });
    if (!result.ok) return fail(result.code, result.description);
    ns.name = key;
    ns.sink = result.sink;
    this.host.send(encodeUserControl(UserControlEvent.StreamBegin, streamId));
    this.host.send(
      commandMessage('onStatus', 0, null, [statusInfo('status', 'NetStream.Publish.Start', `${key} is now published.`, { details: key })], streamId, Csid.Status),
    );
    this.host.step(StepId.Publish, 'answered', detail, 'Stream Begin, onStatus NetStream.Publish.Start');
  }

  private data(msg: RtmpMessage): void {
    const values = decodeAmfPayload(msg.typeId, msg.payload);
    const sink = this.sinkFor(msg);
    if (!sink) return;
    // "@setDataFrame onMetaData {...}" is stored as "onMetaData {...}": the wrapper is an instruction to the server.
    const wrapped = values[0] === '@setDataFrame';
    const body = wrapped ? values.slice(1) : values;
    if (body[0] === 'onMetaData') sink.metadata(body, msg.timestamp, amf0Body(msg, wrapped));
    else sink.data(body, msg.payload, msg.timestamp);
  }

  /**
   * Aggregate message (spec 7.1.6): a run of sub-messages, each laid out as an
   * FLV tag (type, 24-bit size, 24+8-bit timestamp, 24-bit stream id, data,
   * 32-bit back pointer). Timestamps are rebased on the aggregate's own.
   */
  private aggregate(msg: RtmpMessage): void {
    const p = msg.payload;
    let off = 0;
    let base: number | null = null;
    while (off + 11 <= p.length) {
      const type = p[off];
      const size = p.readUIntBE(off + 1, 3);
      const ts = (p.readUIntBE(off + 4, 3) | (p[off + 7] << 24)) >>> 0;
      if (off + 11 + size > p.length) throw new RtmpError(ErrorCode.Message, `aggregate sub-message of ${size} bytes overruns its ${p.length}-byte message`);
      if (base === null) base = ts;
      const sub: RtmpMessage = { csid: msg.csid, typeId: type, streamId: msg.streamId, timestamp: (msg.timestamp + ts - base) >>> 0, payload: p.subarray(off + 11, off + 11 + size) };
      if (type === MessageType.Audio || type === MessageType.Video || type === MessageType.DataAmf0) this.handle(sub);
      off += 11 + size + 4;
    }
  }

  /**
   * The stream a media or data message belongs to. A message on a stream id
   * that publishes nothing goes to the connection's only publishing stream,
   * as nginx-rtmp (which ignores the id) would take it; said once. Without
   * one, it is dropped, and that is said once too.
   */
  private sinkFor(msg: RtmpMessage): MediaSink | undefined {
    const own = this.streams.get(msg.streamId)?.sink;
    if (own) return own;
    const publishing = [...this.streams.values()].filter((s) => s.sink);
    const only = publishing.length === 1 ? publishing[0] : undefined;
    const key = `${msg.streamId}:${only ? only.id : 'none'}`;
    if (!this.misrouted.has(key)) {
      this.misrouted.add(key);
      this.host.log(
        'warn',
        only
          ? `media on message stream ${msg.streamId}, which publishes nothing: taken as stream ${only.id} (${only.name})`
          : `media on message stream ${msg.streamId} before any publish (or with several publishing): dropped`,
      );
    }
    return only?.sink;
  }

  private error(cmd: Command, msg: RtmpMessage, description: string): void {
    this.host.send(commandMessage('_error', cmd.transactionId, null, [statusInfo('error', 'NetConnection.Call.Failed', description)], msg.streamId));
    this.host.step(`command:${cmd.name}`, 'failed', { transactionId: cmd.transactionId, commandObject: cmd.commandObject, args: cmd.args }, `_error ${description}`);
  }

  private endStream(s: NetStream, reason: string, discarded?: Discarded): void {
    if (!s.sink) return;
    const sink = s.sink;
    s.sink = undefined;
    sink.end(reason, discarded);
  }
}
