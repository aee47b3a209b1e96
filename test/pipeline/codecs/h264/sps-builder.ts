// Test builder: an H.264 SPS NAL unit from field values (ITU-T H.264 §7.3.2.1.1, Annex E.1.1), with emulation prevention.

/** MSB-first bit writer with Exp-Golomb codes, the inverse of pipeline/core/bit-reader.ts. */
export class BitWriter {
  private readonly bitsOut: number[] = [];

  u(n: number, value: number): this {
    for (let i = n - 1; i >= 0; i--) this.bitsOut.push(Math.floor(value / 2 ** i) % 2);
    return this;
  }

  flag(v: boolean): this {
    return this.u(1, v ? 1 : 0);
  }

  ue(value: number): this {
    const v = value + 1;
    const len = Math.floor(Math.log2(v));
    return this.u(len, 0).u(len + 1, v);
  }

  se(value: number): this {
    return this.ue(value > 0 ? 2 * value - 1 : -2 * value);
  }

  /** rbsp_trailing_bits(): a one and zeros up to the byte boundary. */
  trailing(): this {
    this.bitsOut.push(1);
    while (this.bitsOut.length % 8) this.bitsOut.push(0);
    return this;
  }

  /** The bits so far, zero-padded to whole bytes. */
  bytes(): Uint8Array {
    const out = new Uint8Array(Math.ceil(this.bitsOut.length / 8));
    this.bitsOut.forEach((b, i) => {
      out[i >> 3] |= b << (7 - (i & 7));
    });
    return out;
  }
}

/** Inserts emulation_prevention_three_byte after two zeros followed by a byte ≤ 3 (§7.4.1). */
export function addEmulationPrevention(rbsp: Uint8Array): Uint8Array {
  const out: number[] = [];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros >= 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return Uint8Array.from(out);
}

export interface SpsFields {
  profileIdc: number;
  constraintFlags: number;
  levelIdc: number;
  spsId: number;
  /** Written only for the high profiles. */
  chromaFormatIdc: number;
  separateColourPlane: boolean;
  bitDepthLumaMinus8: number;
  bitDepthChromaMinus8: number;
  /** Per list: null when absent, else the delta_scale values to write (a list ends at a zero next scale). */
  scalingLists: (number[] | null)[] | null;
  log2MaxFrameNumMinus4: number;
  pocType: 0 | 1 | 2;
  log2MaxPocLsbMinus4: number;
  pocCycle: number[];
  maxNumRefFrames: number;
  widthInMbs: number;
  heightInMapUnits: number;
  frameMbsOnly: boolean;
  crop: [number, number, number, number] | null;
  vui: VuiFields | null;
}

export interface VuiFields {
  aspectRatioIdc: number | null;
  sar: [number, number];
  colour: boolean;
  timing: { numUnitsInTick: number; timeScale: number } | null;
  nalHrdCpbCount: number | null;
  vclHrdCpbCount: number | null;
  maxNumReorderFrames: number | null;
}

export const HIGH_PROFILE_IDCS = [100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135];

export function buildSps(f: SpsFields): Uint8Array {
  const w = new BitWriter().u(8, f.profileIdc).u(8, f.constraintFlags).u(8, f.levelIdc).ue(f.spsId);
  if (HIGH_PROFILE_IDCS.includes(f.profileIdc)) {
    w.ue(f.chromaFormatIdc);
    if (f.chromaFormatIdc === 3) w.flag(f.separateColourPlane);
    w.ue(f.bitDepthLumaMinus8).ue(f.bitDepthChromaMinus8).flag(false).flag(f.scalingLists !== null);
    if (f.scalingLists) {
      f.scalingLists.forEach((list, i) => {
        w.flag(list !== null);
        if (list) writeScalingList(w, list, i < 6 ? 16 : 64);
      });
    }
  }
  w.ue(f.log2MaxFrameNumMinus4).ue(f.pocType);
  if (f.pocType === 0) w.ue(f.log2MaxPocLsbMinus4);
  if (f.pocType === 1) {
    w.flag(false).se(-1).se(2).ue(f.pocCycle.length);
    for (const o of f.pocCycle) w.se(o);
  }
  w.ue(f.maxNumRefFrames).flag(false).ue(f.widthInMbs - 1).ue(f.heightInMapUnits - 1).flag(f.frameMbsOnly);
  if (!f.frameMbsOnly) w.flag(true);
  w.flag(true).flag(f.crop !== null);
  if (f.crop) for (const c of f.crop) w.ue(c);
  w.flag(f.vui !== null);
  if (f.vui) writeVui(w, f.vui);
  return Uint8Array.from([0x67, ...addEmulationPrevention(w.trailing().bytes())]);
}

/** scaling_list(): deltas while the next scale is non-zero, padded with 0 (repeat) up to the list size. */
function writeScalingList(w: BitWriter, deltas: number[], size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size && next !== 0; j++) {
    const d = deltas[j] ?? 0;
    w.se(d);
    next = (((last + d) % 256) + 256) % 256;
    if (next !== 0) last = next;
  }
}

function writeVui(w: BitWriter, v: VuiFields): void {
  w.flag(v.aspectRatioIdc !== null);
  if (v.aspectRatioIdc !== null) {
    w.u(8, v.aspectRatioIdc);
    if (v.aspectRatioIdc === 255) w.u(16, v.sar[0]).u(16, v.sar[1]);
  }
  w.flag(false); // overscan_info_present_flag
  w.flag(v.colour);
  if (v.colour) w.u(3, 5).flag(false).flag(true).u(8, 1).u(8, 1).u(8, 1);
  w.flag(true).ue(0).ue(0); // chroma_loc_info
  w.flag(v.timing !== null);
  if (v.timing) w.u(32, v.timing.numUnitsInTick).u(32, v.timing.timeScale).flag(true);
  for (const count of [v.nalHrdCpbCount, v.vclHrdCpbCount]) {
    w.flag(count !== null);
    if (count !== null) {
      w.ue(count - 1).u(4, 2).u(4, 3);
      for (let i = 0; i < count; i++) w.ue(1000 + i).ue(2000 + i).flag(i % 2 === 0);
      w.u(5, 23).u(5, 23).u(5, 23).u(5, 24);
    }
  }
  if (v.nalHrdCpbCount !== null || v.vclHrdCpbCount !== null) w.flag(false);
  w.flag(false); // pic_struct_present_flag
  w.flag(v.maxNumReorderFrames !== null);
  if (v.maxNumReorderFrames !== null) w.flag(true).ue(2).ue(1).ue(16).ue(16).ue(v.maxNumReorderFrames).ue(4);
}
