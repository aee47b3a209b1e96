// Golden init segments and fragments for synthetic H.264, AAC and MP3 tracks, compared byte for
// byte (UPDATE_GOLDEN=1 rewrites them; see test/fixtures/fmp4/README.md).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeFragment, encodeInitSegment } from '../../../pipeline/fmp4/index.js';
import { boxTree, concat } from './box-reader.js';
import { AAC, audioSamples, mp3Track, VIDEO, videoSamples } from './fmp4-media.js';

const GOLDEN_DIR = new URL('../../fixtures/fmp4/', import.meta.url);
const UPDATE = process.env.UPDATE_GOLDEN === '1';

const INIT_TREE = (media: 'vmhd' | 'smhd', entry: string[]) => [
  'ftyp',
  'moov',
  'moov/mvhd',
  'moov/trak',
  'moov/trak/tkhd',
  'moov/trak/mdia',
  'moov/trak/mdia/mdhd',
  'moov/trak/mdia/hdlr',
  'moov/trak/mdia/minf',
  `moov/trak/mdia/minf/${media}`,
  'moov/trak/mdia/minf/dinf',
  'moov/trak/mdia/minf/dinf/dref',
  'moov/trak/mdia/minf/dinf/dref/url ',
  'moov/trak/mdia/minf/stbl',
  'moov/trak/mdia/minf/stbl/stsd',
  ...entry.map((e) => `moov/trak/mdia/minf/stbl/stsd/${e}`),
  'moov/trak/mdia/minf/stbl/stts',
  'moov/trak/mdia/minf/stbl/stsc',
  'moov/trak/mdia/minf/stbl/stsz',
  'moov/trak/mdia/minf/stbl/stco',
  'moov/mvex',
  'moov/mvex/trex',
];
const FRAGMENT_TREE = ['moof', 'moof/mfhd', 'moof/traf', 'moof/traf/tfhd', 'moof/traf/tfdt', 'moof/traf/trun', 'mdat'];

const CASES = [
  { name: 'video-init.mp4', bytes: () => encodeInitSegment(VIDEO), tree: INIT_TREE('vmhd', ['avc1', 'avc1/avcC']) },
  { name: 'video-fragment.m4s', bytes: () => concat(encodeFragment(VIDEO, 1, videoSamples())), tree: FRAGMENT_TREE },
  { name: 'aac-init.mp4', bytes: () => encodeInitSegment(AAC), tree: INIT_TREE('smhd', ['mp4a', 'mp4a/esds']) },
  { name: 'aac-fragment.m4s', bytes: () => concat(encodeFragment(AAC, 1, audioSamples())), tree: FRAGMENT_TREE },
  { name: 'mp3-init.mp4', bytes: () => encodeInitSegment(mp3Track(44_100)), tree: INIT_TREE('smhd', ['mp4a', 'mp4a/esds']) },
];

describe.each(CASES)('golden $name', ({ name, bytes, tree }) => {
  const out = bytes();
  const file = fileURLToPath(new URL(name, GOLDEN_DIR));

  it('equals the golden file byte for byte', () => {
    if (UPDATE) writeFileSync(file, out);
    expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1`).toBe(true);
    const golden = new Uint8Array(readFileSync(file));
    const firstDiff = out.findIndex((b, i) => b !== golden[i]);
    expect(firstDiff, `first differing byte at ${firstDiff}`).toBe(-1);
    expect(out.length).toBe(golden.length);
  });

  it('has the expected box tree', () => {
    expect(boxTree(out)).toEqual(tree);
  });
});
