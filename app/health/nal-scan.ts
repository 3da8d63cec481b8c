/**
 * What a keyframe's NAL units say about its GOP, read in place (no copy, no
 * array of units): closed when it holds an IDR picture, open when it is an
 * I picture that only a recovery point SEI (H.264) or a CRA picture (HEVC)
 * makes a random access point. Called on keyframes only.
 */

/** 1 closed, 0 open, -1 the bitstream does not say (other codecs, no slice found, malformed). */
export type GopKind = 1 | 0 | -1;

const AVC_IDR = 5;
const AVC_NON_IDR = 1;
const AVC_SEI = 6;
const SEI_RECOVERY_POINT = 6;

/**
 * H.264 (length-prefixed NAL units, `nalLengthSize` 1..4): an IDR slice
 * (nal_unit_type 5) is closed; a non-IDR slice (1) with a recovery point SEI
 * (payloadType 6, H.264 D.1.8) in the same access unit is open.
 */
export function avcGopKind(data: Uint8Array, nalLengthSize: number): GopKind {
  let pos = 0;
  let recovery = false;
  let nonIdr = false;
  while (pos + nalLengthSize <= data.length) {
    let len = 0;
    for (let i = 0; i < nalLengthSize; i++) len = len * 256 + data[pos + i];
    pos += nalLengthSize;
    if (len === 0 || len > data.length - pos) return -1;
    const type = data[pos] & 0x1f;
    if (type === AVC_IDR) return 1;
    if (type === AVC_NON_IDR) nonIdr = true;
    else if (type === AVC_SEI && seiHasPayload(data, pos + 1, pos + len, SEI_RECOVERY_POINT)) recovery = true;
    pos += len;
  }
  return nonIdr && recovery ? 0 : -1;
}

/**
 * HEVC: IDR_W_RADL/IDR_N_LP (19, 20) closed; BLA (16..18) closed too (a
 * splice point that drops leading pictures); CRA (21) open.
 */
export function hevcGopKind(data: Uint8Array, nalLengthSize: number): GopKind {
  let pos = 0;
  while (pos + nalLengthSize <= data.length) {
    let len = 0;
    for (let i = 0; i < nalLengthSize; i++) len = len * 256 + data[pos + i];
    pos += nalLengthSize;
    if (len === 0 || len > data.length - pos) return -1;
    const type = (data[pos] >> 1) & 0x3f;
    if (type >= 16 && type <= 20) return 1;
    if (type === 21) return 0;
    pos += len;
  }
  return -1;
}

/**
 * Whether an SEI RBSP (H.264 7.3.2.3) holds a message of `wanted` type:
 * `do { payloadType += byte } while (byte == 0xff)`, the same for
 * payloadSize, then the payload. Emulation prevention bytes are not removed:
 * the types and sizes of the messages before a recovery point are small, and
 * a misread only makes the answer "does not say".
 */
function seiHasPayload(data: Uint8Array, pos: number, end: number, wanted: number): boolean {
  while (pos < end && data[pos] !== 0x80) {
    let type = 0;
    while (pos < end && data[pos] === 0xff) type += data[pos++];
    if (pos >= end) return false;
    type += data[pos++];
    let size = 0;
    while (pos < end && data[pos] === 0xff) size += data[pos++];
    if (pos >= end) return false;
    size += data[pos++];
    if (type === wanted) return true;
    pos += size;
  }
  return false;
}
