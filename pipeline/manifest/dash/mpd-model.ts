// The live MPD model (ISO/IEC 23009-1 §5.3.1 MPD, §5.3.2 Period, §5.3.3 AdaptationSet, §5.3.5 Representation).

/** XML namespace of every MPD (§5.3.1.1, Annex B). */
export const MPD_NAMESPACE = 'urn:mpeg:dash:schema:mpd:2011';
/** ISOBMFF live profile (§8.4): SegmentTemplate addressing, one init segment per Representation. */
export const DASH_PROFILE_ISOFF_LIVE = 'urn:mpeg:dash:profile:isoff-live:2011';
/** CMAF profile (§8.12); claim it only for segments that carry the CMAF brands (cmfc/cmf2). */
export const DASH_PROFILE_CMAF = 'urn:mpeg:dash:profile:cmaf:2019';
/** Written when LiveMpd.profiles is absent: the live profile alone (see README of the goldens). */
export const DEFAULT_PROFILES = DASH_PROFILE_ISOFF_LIVE;
/** UTCTiming scheme: an HTTP GET returning the server clock as ISO 8601 (§5.8.5.7). */
export const UTC_TIMING_HTTP_ISO = 'urn:mpeg:dash:utc:http-iso:2014';
/** AudioChannelConfiguration scheme whose value is a CICP ChannelConfiguration (ISO/IEC 23091-3). */
export const CICP_CHANNEL_CONFIGURATION = 'urn:mpeg:mpegB:cicp:ChannelConfiguration';

/** One media segment: start and duration in timescale ticks (§5.3.9.6 S@t, S@d). */
export interface DashSegmentTiming {
  readonly t: number;
  readonly d: number;
}

export interface DashRepresentation {
  readonly id: 'v' | 'a';
  readonly contentType: 'video' | 'audio';
  readonly mimeType: 'video/mp4' | 'audio/mp4';
  /** RFC 6381, e.g. avc1.64001f, mp4a.40.2. */
  readonly codecs: string;
  /** bits/s (measured or estimated by the caller). */
  readonly bandwidth: number;
  readonly timescale: number;
  /** URI of the init segment, e.g. init-v-3fa9c2.mp4 (may use $RepresentationID$). */
  readonly initialization: string;
  /** Template with $Time$ (and optionally $RepresentationID$), e.g. $RepresentationID$-$Time$.m4s. */
  readonly media: string;
  /** The available window, oldest first, contiguous unless a gap is real. */
  readonly segments: readonly DashSegmentTiming[];
  readonly width?: number;
  readonly height?: number;
  /** Frames per second; written as an integer or a fraction (30000/1001 for 29.97). */
  readonly frameRate?: number;
  readonly audioSamplingRate?: number;
  /** Channel count, written as its CICP ChannelConfiguration (1–6 as is, 7 → 11, 8 → 12). */
  readonly audioChannels?: number;
  /** Media time (ticks) that maps to the start of the Period (§5.3.9.2). */
  readonly presentationTimeOffset?: number;
}

export interface DashPeriod {
  readonly id: string;
  /** Period@start relative to availabilityStartTime, in seconds. */
  readonly startSec: number;
  readonly representations: readonly DashRepresentation[];
}

export interface LiveMpd {
  readonly type: 'dynamic' | 'static';
  /** Fixed for the life of the stream: it anchors every segment's availability (§5.3.9.5.3). */
  readonly availabilityStartTimeMs: number;
  readonly publishTimeMs: number;
  /** Dynamic only. */
  readonly minimumUpdatePeriodSec: number;
  /** Dynamic only. */
  readonly timeShiftBufferDepthSec: number;
  /** Dynamic only; not written for a static MPD. */
  readonly suggestedPresentationDelaySec: number;
  readonly minBufferTimeSec: number;
  readonly maxSegmentDurationSec: number;
  /** Server clock endpoint for <UTCTiming> (without it dash.js asks a public time server).
   *  Required when dynamic; a static MPD (VOD) may leave it out: nothing in it depends on the
   *  client's clock, and dash.js consults only the MPD's own UTCTiming sources for static MPDs. */
  readonly utcTimingUrl?: string;
  /** Required when static (an ended stream); optional for a dynamic stream with a known end. */
  readonly mediaPresentationDurationSec?: number;
  readonly periods: readonly DashPeriod[];
  /** Comma-separated profile URNs; DEFAULT_PROFILES when absent. */
  readonly profiles?: string;
}
