// The MPEG-TS muxer for HLS segments (ISO/IEC 13818-1 §2.4): PAT and PMT at every segment start,
// one PES per sample on its PID, PCRs on the PCR_PID, continuity counters that survive a restart.
import { ProtocolError } from '../core/errors.js';
import type { Sample, TrackInfo } from '../ingest/media-types.js';
import { H264_AUD, startsWithAud } from './access-unit-delimiter.js';
import type { AdaptationFieldFlags } from './adaptation-field.js';
import { firstBytes, totalLength } from '../core/byte-views.js';
import { ContinuityCounters } from './continuity-counters.js';
import { toMpegClock } from './mpeg-clock.js';
import { PcrClock } from './pcr-clock.js';
import type { PesHeaderFields } from './pes-packet.js';
import { pesPacketsSize, writePesPackets } from './pes-packetizer.js';
import { encodePatSection, encodePmtSection, writePsiPacket } from './psi-tables.js';
import { AUDIO_PID, CONTINUITY_COUNTER_MODULUS, PAT_PID, PMT_PID, PROGRAM_NUMBER, TS_PACKET_SIZE, VIDEO_PID } from './ts-constants.js';
import { writePcrOnlyPacket } from './ts-packet.js';
import { hasAudioSync, tsStreamsFor, type TsStream } from './ts-streams.js';

/** Where the muxer writes: a fresh zeroed view of `size` bytes (by default a new buffer). */
export type TsAllocate = (size: number) => Uint8Array;

const newBuffer: TsAllocate = (size) => new Uint8Array(size);

export interface TsMuxerOptions {
  /** Only the tracks the stream really has: the PMT lists exactly these (no phantom tracks). */
  readonly tracks: readonly TrackInfo[];
}

/** What a successor process needs to continue the same packet stream: the continuity_counter
 *  (0–15) that the next packet with payload carries on each PID (§2.4.3.3). */
export interface TsMuxerState {
  readonly continuityCounters: {
    readonly pat: number;
    readonly pmt: number;
    readonly video: number;
    readonly audio: number;
  };
}

export class TsMuxer {
  private readonly video: TsStream | undefined;
  private readonly audio: TsStream | undefined;
  /** PCR_PID (§2.4.4.9): the video PID when there is video, else the audio PID. */
  private readonly pcrPid: number;
  private readonly patSection: Uint8Array;
  private readonly pmtSection: Uint8Array;
  private readonly counters = new ContinuityCounters();
  private readonly pcrClock = new PcrClock();

  constructor(opts: TsMuxerOptions) {
    const { video, audio } = tsStreamsFor(opts.tracks);
    this.video = video;
    this.audio = audio;
    const streams = [video, audio].filter((s): s is TsStream => s !== undefined);
    this.pcrPid = streams[0].pid;
    this.patSection = encodePatSection(PROGRAM_NUMBER, PMT_PID);
    this.pmtSection = encodePmtSection(PROGRAM_NUMBER, this.pcrPid, streams);
  }

  static restore(opts: TsMuxerOptions, state: TsMuxerState): TsMuxer {
    const muxer = new TsMuxer(opts);
    const cc = state.continuityCounters;
    const pairs: [number, unknown][] = [[PAT_PID, cc?.pat], [PMT_PID, cc?.pmt], [VIDEO_PID, cc?.video], [AUDIO_PID, cc?.audio]];
    for (const [pid, value] of pairs) {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= CONTINUITY_COUNTER_MODULUS) {
        throw new ProtocolError('TS muxer state has an invalid continuity counter', { pid, value: String(value) });
      }
      muxer.counters.set(pid, value);
    }
    return muxer;
  }

  state(): TsMuxerState {
    const c = this.counters;
    return { continuityCounters: { pat: c.peek(PAT_PID), pmt: c.peek(PMT_PID), video: c.peek(VIDEO_PID), audio: c.peek(AUDIO_PID) } };
  }

  /** PAT + PMT: write at the start of every segment (HLS requires each segment to be decodable on its own). */
  tables(allocate: TsAllocate = newBuffer): Uint8Array {
    const out = allocate(2 * TS_PACKET_SIZE);
    writePsiPacket(out, 0, PAT_PID, this.counters.take(PAT_PID), this.patSection);
    writePsiPacket(out, TS_PACKET_SIZE, PMT_PID, this.counters.take(PMT_PID), this.pmtSection);
    return out;
  }

  /**
   * One sample as one PES in transport packets (one buffer, a multiple of 188 bytes): H.264 as an
   * Annex B access unit (an AUD is prepended when missing), AAC as ADTS frames, MP3 frames as is.
   * PCR-only packets precede it when the PCR_PID would otherwise go quiet for over 100 ms.
   * The packets are written into what `allocate` returns.
   */
  writeSample(track: TrackInfo, sample: Sample, payload: readonly Uint8Array[], allocate: TsAllocate = newBuffer): Uint8Array[] {
    const stream = this.streamFor(track, sample);
    const timescale = stream.track.timescale;
    const dts = toMpegClock(sample.dts, timescale);
    const pts = toMpegClock(sample.pts, timescale);
    if (pts < dts) throw new ProtocolError('sample is presented before it is decoded', { trackId: track.id, pts, dts });
    const body = stream === this.video ? videoBody(payload) : audioBody(stream, payload);
    const header: PesHeaderFields = { streamId: stream.streamId, pts, dts, payloadLength: totalLength(body), unbounded: stream === this.video };
    const plan = this.pcrClock.plan(dts, stream.pid === this.pcrPid);
    const flags: AdaptationFieldFlags = { randomAccess: sample.keyframe, pcrBase: plan.pcr, discontinuity: plan.discontinuity };
    const out = allocate(plan.fills.length * TS_PACKET_SIZE + pesPacketsSize(header, flags));
    let at = 0;
    for (const pcrBase of plan.fills) {
      writePcrOnlyPacket(out, at, this.pcrPid, this.counters.repeat(this.pcrPid), pcrBase);
      at += TS_PACKET_SIZE;
    }
    writePesPackets(out, at, stream.pid, this.counters, header, body, flags);
    return [out];
  }

  private streamFor(track: TrackInfo, sample: Sample): TsStream {
    const stream = track.kind === 'video' ? this.video : this.audio;
    if (!stream || stream.track.id !== track.id) throw new ProtocolError('track is not in this program', { trackId: track.id, kind: track.kind });
    if (sample.trackId !== track.id) throw new ProtocolError('sample belongs to another track', { trackId: track.id, sampleTrackId: sample.trackId });
    return stream;
  }
}

/** §2.14.1: an AVC access unit in a transport stream begins with an access unit delimiter. */
function videoBody(payload: readonly Uint8Array[]): readonly Uint8Array[] {
  return startsWithAud(payload) ? payload : [H264_AUD, ...payload];
}

function audioBody(stream: TsStream, payload: readonly Uint8Array[]): readonly Uint8Array[] {
  const [b0, b1] = firstBytes(payload, 2);
  if (!hasAudioSync(stream, b0, b1)) {
    throw new ProtocolError('audio payload must start with a frame header (ADTS for AAC)', { streamType: stream.streamType });
  }
  return payload;
}
