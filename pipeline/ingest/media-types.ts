// The data between the track builder and the muxers (ARCHITECTURE.md, "track builder → muxers"):
// track descriptions and samples with integer timestamps on an explicit timescale.

/** MPEG-TS and video tracks run on the 90 kHz clock (ISO/IEC 13818-1 §2.4.2.2). */
export const VIDEO_TIMESCALE = 90_000;

export interface H264Config {
  readonly codec: 'avc1';
  /** The AVCDecoderConfigurationRecord (ISO/IEC 14496-15 §5.3.3.1) as received. */
  readonly avcC: Uint8Array;
  /** SPS and PPS NAL units (without start codes or length prefixes). */
  readonly sps: readonly Uint8Array[];
  readonly pps: readonly Uint8Array[];
  /** Bytes of each NAL unit's length prefix in samples (1, 2 or 4). */
  readonly nalLengthSize: number;
}

export interface VideoTrackInfo {
  readonly kind: 'video';
  /** 1 for video, 2 for audio: stable ids shared by TS PIDs and MP4 track ids. */
  readonly id: number;
  readonly timescale: number;
  /** RFC 6381 codecs string, e.g. "avc1.64001f". */
  readonly codecString: string;
  readonly width: number;
  readonly height: number;
  /** From the SPS timing info when present. */
  readonly frameRate?: number;
  readonly config: H264Config;
}

export interface AacConfig {
  readonly codec: 'mp4a';
  /** The AudioSpecificConfig (ISO/IEC 14496-3 §1.6.2.1) as received. */
  readonly asc: Uint8Array;
  /** Audio object type written in ADTS (1 = Main, 2 = LC, 3 = SSR, 4 = LTP); for HE-AAC the core (LC). */
  readonly adtsObjectType: number;
  /** Sample rate of the core decoder, as ADTS signals it. */
  readonly coreSampleRate: number;
  readonly channelConfig: number;
}

export interface Mp3Config {
  readonly codec: '.mp3';
}

export interface AudioTrackInfo {
  readonly kind: 'audio';
  readonly id: number;
  /** The output sample rate (after SBR for HE-AAC); also the track timescale. */
  readonly timescale: number;
  readonly sampleRate: number;
  readonly channels: number;
  /** Samples per coded frame in the track timescale: 1024 or 960 for AAC (2048/1920 with SBR), 1152 or 576 for MP3. */
  readonly samplesPerFrame: number;
  /** RFC 6381 codecs string, e.g. "mp4a.40.2", "mp4a.40.5", "mp4a.40.34". */
  readonly codecString: string;
  readonly config: AacConfig | Mp3Config;
}

export type TrackInfo = VideoTrackInfo | AudioTrackInfo;

/** One coded frame (video access unit or audio frame). */
export interface Sample {
  readonly trackId: number;
  /** Decode time in the track's timescale ticks. */
  readonly dts: number;
  /** Presentation time in the track's timescale ticks (dts + the signed composition offset). */
  readonly pts: number;
  /** Duration in ticks when known (audio: samplesPerFrame); 0 when only the next sample tells. */
  readonly duration: number;
  /** A random access point (IDR for H.264; every audio frame). */
  readonly keyframe: boolean;
  /** Video: length-prefixed NAL units as in the FLV tag; audio: one raw frame (no ADTS). */
  readonly data: Uint8Array;
}
