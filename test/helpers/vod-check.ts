// Judges a recording's outputs the way a user's tools would: ffmpeg decodes it from start to end
// without a message, and ffprobe's duration; for an MP4 also the order of its top-level boxes.
import { expect } from 'vitest';
import { run } from './processes.js';

export interface VodProbe {
  readonly decodeErrors: string;
  readonly durationSec: number;
  readonly codecs: string[];
}

/** Decodes the whole input (a URL or a file) and reads its duration and codecs. */
export async function probeVod(input: string): Promise<VodProbe> {
  const [decode, probe] = await Promise.all([
    run('ffmpeg', ['-v', 'error', '-i', input, '-enc_time_base', '-1', '-f', 'null', '-'], { timeoutMs: 60_000 }),
    run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_name', '-of', 'json', input], { timeoutMs: 30_000 }),
  ]);
  const out = JSON.parse(probe.stdout.toString() || '{}') as { format?: { duration?: string }; streams?: { codec_name: string }[] };
  return {
    decodeErrors: (decode.code === 0 ? '' : `exit ${decode.code}: `) + decode.stderr + probe.stderr,
    durationSec: Number(out.format?.duration ?? NaN),
    codecs: (out.streams ?? []).map((s) => s.codec_name).sort(),
  };
}

/** The top-level box types of an ISO BMFF file, in order. */
export function topLevelBoxes(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const types: string[] = [];
  for (let at = 0; at + 8 <= bytes.length; ) {
    let size = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (size === 1) size = Number(view.getBigUint64(at + 8));
    if (size === 0) size = bytes.length - at;
    if (size < 8) break;
    types.push(type);
    at += size;
  }
  return types;
}

export interface PlayableRecording {
  readonly id: string;
  readonly discontinuities: number;
  readonly urls: { readonly hls: string | null; readonly dash: string | null; readonly mp4: string | null };
}

/**
 * A finished recording plays from start to end as HLS, DASH and MP4: ffmpeg decodes each without
 * a message and each lasts `expectedSec` within 0.5 s. ffmpeg 5.1's DASH reader keeps one Period
 * and reads durations in whole seconds, so the MPD's own duration is checked exactly, and ffmpeg
 * decodes it only when it has one Period (dash.js plays multi-Period MPDs in the browser tests).
 */
export async function expectPlayableVod(r: PlayableRecording, expectedSec: number): Promise<void> {
  const mpd = await (await fetch(r.urls.dash as string)).text();
  expect(mpd.match(/<Period /g)?.length, `${r.id}: one Period per publish`).toBe(r.discontinuities + 1);
  const total = Number(/mediaPresentationDuration="PT([\d.]+)S"/.exec(mpd)?.[1]);
  expect(Math.abs(total - expectedSec), `${r.id}: MPD duration ${total} s vs ${expectedSec} s`).toBeLessThanOrEqual(0.5);
  const inputs: [string, string, number][] = [['HLS', r.urls.hls as string, 0.5], ['MP4', r.urls.mp4 as string, 0.5]];
  if (r.discontinuities === 0) inputs.push(['DASH', r.urls.dash as string, 1]);
  for (const [kind, url, tolerance] of inputs) {
    expect(url, `${kind} URL of ${r.id}`).toBeTruthy();
    const p = await probeVod(url);
    expect(p.decodeErrors, `${kind} of ${r.id} decodes from start to end without a message`).toBe('');
    expect(p.codecs, `${kind} codecs`).toEqual(['aac', 'h264']);
    expect(Math.abs(p.durationSec - expectedSec), `${kind} duration ${p.durationSec} s vs ${expectedSec} s`).toBeLessThanOrEqual(tolerance);
  }
}
