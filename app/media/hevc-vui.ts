/**
 * The rest of an H.265 SPS after the bit depths (7.3.2.2.1), read only to
 * reach its VUI's colour description: every field is skipped but the ones
 * later ones depend on (log2_max_pic_order_cnt_lsb, the short-term reference
 * picture sets' delta counts).
 */
import { MediaError } from '../errors.js';
import type { BitReader } from './bit-reader.js';
import { type VideoColour, readVuiColour } from './vui-colour.js';

/** scaling_list_data(), 7.3.4: read and discarded. */
function skipScalingListData(b: BitReader): void {
  for (let sizeId = 0; sizeId < 4; sizeId++) {
    for (let matrixId = 0; matrixId < 6; matrixId += sizeId === 3 ? 3 : 1) {
      if (!b.readFlag()) {
        b.readUE(); // scaling_list_pred_matrix_id_delta
        continue;
      }
      const coefNum = Math.min(64, 1 << (4 + (sizeId << 1)));
      if (sizeId > 1) b.readSE(); // scaling_list_dc_coef_minus8
      for (let i = 0; i < coefNum; i++) b.readSE();
    }
  }
}

/** st_ref_pic_set(idx), 7.3.7: skipped; returns its NumDeltaPocs, which a later set predicted from it needs. */
function skipStRefPicSet(b: BitReader, idx: number, count: number, numDeltaPocs: number[]): number {
  if (idx !== 0 && b.readFlag()) {
    // inter_ref_pic_set_prediction_flag
    const deltaIdx = idx === count ? b.readUE() + 1 : 1;
    const ref = idx - deltaIdx;
    if (ref < 0) throw new MediaError('H.265 SPS: a reference picture set predicted from none');
    b.skipBits(1); // delta_rps_sign
    b.readUE(); // abs_delta_rps_minus1
    let n = 0;
    for (let j = 0; j <= numDeltaPocs[ref]; j++) {
      const used = b.readFlag();
      if (used || b.readFlag()) n++; // use_delta_flag when not used_by_curr_pic
    }
    return n;
  }
  const negative = b.readUE();
  const positive = b.readUE();
  if (negative + positive > 32) throw new MediaError('H.265 SPS: too many reference pictures');
  for (let i = 0; i < negative + positive; i++) {
    b.readUE(); // delta_poc_s0/s1_minus1
    b.skipBits(1); // used_by_curr_pic_s0/s1_flag
  }
  return negative + positive;
}

/** From `log2_max_pic_order_cnt_lsb_minus4` to the VUI's colour description; undefined without one. */
export function readHevcSpsColour(b: BitReader, maxSubLayersMinus1: number): VideoColour | undefined {
  const pocLsbBits = b.readUE() + 4;
  const allSubLayers = b.readFlag(); // sps_sub_layer_ordering_info_present_flag
  for (let i = allSubLayers ? 0 : maxSubLayersMinus1; i <= maxSubLayersMinus1; i++) {
    b.readUE();
    b.readUE();
    b.readUE();
  }
  for (let i = 0; i < 6; i++) b.readUE(); // coding and transform block sizes, transform hierarchy depths
  if (b.readFlag() && b.readFlag()) skipScalingListData(b); // scaling_list_enabled, sps_scaling_list_data_present
  b.skipBits(2); // amp_enabled_flag, sample_adaptive_offset_enabled_flag
  if (b.readFlag()) {
    // pcm_enabled_flag: bit depths (4 + 4), two sizes, loop filter flag
    b.skipBits(8);
    b.readUE();
    b.readUE();
    b.skipBits(1);
  }
  const sets = b.readUE();
  if (sets > 64) throw new MediaError(`H.265 SPS: num_short_term_ref_pic_sets ${sets}`);
  const numDeltaPocs: number[] = [];
  for (let i = 0; i < sets; i++) numDeltaPocs.push(skipStRefPicSet(b, i, sets, numDeltaPocs));
  if (b.readFlag()) {
    // long_term_ref_pics_present_flag
    const n = b.readUE();
    if (n > 32) throw new MediaError(`H.265 SPS: num_long_term_ref_pics_sps ${n}`);
    for (let i = 0; i < n; i++) b.skipBits(pocLsbBits + 1);
  }
  b.skipBits(2); // sps_temporal_mvp_enabled_flag, strong_intra_smoothing_enabled_flag
  return b.readFlag() ? readVuiColour(b) : undefined;
}
