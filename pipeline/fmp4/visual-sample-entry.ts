// The video sample entry of an init segment: 'avc1' (ISO/IEC 14496-12 §12.1.3 VisualSampleEntry)
// with the track's AVCDecoderConfigurationRecord as its avcC box (ISO/IEC 14496-15 §5.4.2.1).
import { ProtocolError } from '../core/errors.js';
import type { VideoTrackInfo } from '../ingest/media-types.js';
import type { BoxWriter } from './box-writer.js';

/** 72 dpi in 16.16 fixed point, the template value of horiz/vertresolution. */
const RESOLUTION_72_DPI = 0x0048_0000;
/** Bytes of the compressorname field (a Pascal string padded with zeros). */
const COMPRESSOR_NAME_BYTES = 32;
/** depth 0x0018: images in colour with no alpha. */
const DEPTH_COLOUR = 0x0018;
/** configurationVersion of an AVCDecoderConfigurationRecord (14496-15 §5.3.3.1.2). */
const AVC_CONFIGURATION_VERSION = 1;
/** configurationVersion … numOfSequenceParameterSets: the fixed head of an avcC. */
const MIN_AVCC_BYTES = 6;

export function writeVisualSampleEntry(w: BoxWriter, track: VideoTrackInfo): void {
  const { width, height } = track;
  const avcC = track.config.avcC;
  if (!isDimension(width) || !isDimension(height)) throw new ProtocolError('video track needs a width and height from 1 to 65535', { width, height });
  if (avcC.length < MIN_AVCC_BYTES || avcC[0] !== AVC_CONFIGURATION_VERSION) {
    throw new ProtocolError('avcC is not an AVCDecoderConfigurationRecord (version 1)', { length: avcC.length });
  }
  w.box(track.config.codec, () => {
    w.zeros(6).u16(1); // SampleEntry: reserved, data_reference_index 1 (the one dref entry)
    w.u16(0).u16(0).zeros(12); // pre_defined, reserved, pre_defined[3]
    w.u16(width).u16(height);
    w.u32(RESOLUTION_72_DPI).u32(RESOLUTION_72_DPI);
    w.u32(0); // reserved
    w.u16(1); // frame_count: one frame per sample
    w.zeros(COMPRESSOR_NAME_BYTES);
    w.u16(DEPTH_COLOUR).u16(0xffff); // depth, pre_defined = −1
    w.box('avcC', () => w.bytes(avcC)); // as received: the SPS/PPS travel out of band
  });
}

function isDimension(v: number): boolean {
  return Number.isInteger(v) && v >= 1 && v <= 0xffff;
}
