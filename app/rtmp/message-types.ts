import type { MessageKind } from '../contract/values.js';

/** RTMP message type ids (RTMP spec 5.4 "Protocol Control Messages", 6.2, 7.1). */
export const MessageType = {
  SetChunkSize: 1,
  Abort: 2,
  Acknowledgement: 3,
  UserControl: 4,
  WindowAckSize: 5,
  SetPeerBandwidth: 6,
  Audio: 8,
  Video: 9,
  DataAmf3: 15,
  SharedObjectAmf3: 16,
  CommandAmf3: 17,
  DataAmf0: 18,
  SharedObjectAmf0: 19,
  CommandAmf0: 20,
  Aggregate: 22,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/** Coarse kinds, as the timeline filters them. */
export type { MessageKind };

/** The timeline's kind of a message type id. */
export function messageKind(typeId: number): MessageKind {
  switch (typeId) {
    case MessageType.SetChunkSize:
    case MessageType.Abort:
    case MessageType.Acknowledgement:
    case MessageType.UserControl:
    case MessageType.WindowAckSize:
    case MessageType.SetPeerBandwidth:
      return 'control';
    case MessageType.CommandAmf0:
    case MessageType.CommandAmf3:
      return 'command';
    case MessageType.DataAmf0:
    case MessageType.DataAmf3:
    case MessageType.SharedObjectAmf0:
    case MessageType.SharedObjectAmf3:
      return 'data';
    case MessageType.Audio:
      return 'audio';
    case MessageType.Video:
    case MessageType.Aggregate:
      return 'video';
    default:
      return 'other';
  }
}

const NAMES: Record<number, string> = {
  1: 'Set Chunk Size',
  2: 'Abort',
  3: 'Acknowledgement',
  4: 'User Control',
  5: 'Window Ack Size',
  6: 'Set Peer Bandwidth',
  8: 'Audio',
  9: 'Video',
  15: 'Data (AMF3)',
  16: 'Shared Object (AMF3)',
  17: 'Command (AMF3)',
  18: 'Data (AMF0)',
  19: 'Shared Object (AMF0)',
  20: 'Command (AMF0)',
  22: 'Aggregate',
};

/** A human name for a message type id ("Set Chunk Size", "type 42" when unknown). */
export function messageTypeName(typeId: number): string {
  return NAMES[typeId] ?? `type ${typeId}`;
}

/** A complete, reassembled RTMP message. */
export interface RtmpMessage {
  /** Chunk stream id it arrived on (2..65599). */
  csid: number;
  typeId: number;
  /** Message stream id (little-endian on the wire). */
  streamId: number;
  /** Absolute timestamp in ms, 32-bit (wraps after ~49.7 days). */
  timestamp: number;
  payload: Buffer;
  /** Set by the chunk reader and writer: the header formats that carried it (bit f for format f, 0-3), and how many chunks. */
  chunkFormats?: number;
  chunks?: number;
}
