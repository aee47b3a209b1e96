// Multivariant playlist cases shared by the golden-file and multivariant tests: audio+video, audio only, video only.
import { serializeMultivariantPlaylist, type MultivariantPlaylist } from '../../../../pipeline/manifest/hls/index.js';

export const AV: MultivariantPlaylist = {
  independentSegments: true,
  audio: [{ groupId: 'aud', name: 'main', uri: 'll-a.m3u8', default: true, autoselect: true, channels: 2, language: 'en' }],
  variants: [{
    uri: 'll-v.m3u8',
    bandwidth: 2_692_000,
    averageBandwidth: 2_450_000,
    codecs: 'avc1.64001f,mp4a.40.2',
    resolution: { width: 1280, height: 720 },
    frameRate: 30_000 / 1001,
    audioGroup: 'aud',
  }],
};

/** Audio only: one variant whose URI is the audio playlist and whose CODECS is the audio codec alone. */
export const AUDIO_ONLY: MultivariantPlaylist = {
  independentSegments: true,
  variants: [{ uri: 'll-a.m3u8', bandwidth: 132_000, codecs: 'mp4a.40.2' }],
};

export const VIDEO_ONLY: MultivariantPlaylist = {
  independentSegments: true,
  variants: [{ uri: 'll-v.m3u8', bandwidth: 2_560_000, codecs: 'hvc1.1.6.L93.B0', resolution: { width: 1920, height: 1080 }, frameRate: 60 }],
};

export const MULTIVARIANT_CASES: readonly { file: string; playlist: MultivariantPlaylist; text: () => string }[] = [
  { file: 'multivariant-av.m3u8', playlist: AV },
  { file: 'multivariant-audio-only.m3u8', playlist: AUDIO_ONLY },
  { file: 'multivariant-video-only.m3u8', playlist: VIDEO_ONLY },
].map((c) => ({ ...c, text: () => serializeMultivariantPlaylist(c.playlist) }));
