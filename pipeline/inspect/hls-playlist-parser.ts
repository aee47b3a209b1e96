// Parses HLS media and multivariant playlists (RFC 8216 §4; rfc8216bis §4.4) strictly enough for tests to find syntax errors.
import { ProtocolError } from '../core/errors.js';
import {
  parseAttributeList,
  readAttribute,
  type AttributeType,
  type HlsAttribute,
} from '../manifest/hls/attribute-list.js';
import { durationMs, parseProgramDateTime } from '../manifest/hls/hls-time.js';

/** The rule a syntax error breaks; ProtocolError.context.rule carries it, with the line. */
export type HlsSyntaxRule =
  | 'encoding'
  | 'extm3u'
  | 'media-playlist'
  | 'attribute-list'
  | 'tag-value'
  | 'extinf'
  | 'target-duration'
  | 'media-sequence'
  | 'discontinuity-sequence'
  | 'program-date-time'
  | 'playlist-type'
  | 'version'
  | 'multivariant-playlist';

export interface HlsTag {
  /** "EXTINF", "EXT-X-MAP", …; unknown tags are kept as they are. */
  readonly name: string;
  /** Text after the first ":", if any. */
  readonly value?: string;
  /** Parsed and type-checked attribute list, for tags whose value is one (§4.2). */
  readonly attributes?: readonly HlsAttribute[];
  /** 1-based line number. */
  readonly line: number;
}

/** An EXT-X-PART (rfc8216bis §4.4.4.9). */
export interface ParsedPart {
  readonly uri: string;
  readonly durationSec: number;
  /** DURATION in integer milliseconds (see hls-time durationMs). */
  readonly durationMs: number;
  readonly independent: boolean;
  readonly gap: boolean;
  readonly line: number;
}

export interface ParsedServerControl {
  readonly canBlockReload: boolean;
  readonly canSkipUntilSec?: number;
  readonly canSkipDateRanges: boolean;
  readonly holdBackSec?: number;
  readonly partHoldBackSec?: number;
  readonly line: number;
}

export interface ParsedSegment {
  /** Media sequence number; in a delta update the skipped segments are counted. */
  readonly sequence: number;
  readonly uri: string;
  readonly uriLine: number;
  /** The tags between the previous URI and this one (segment tags and unknown tags). */
  readonly tags: readonly HlsTag[];
  readonly durationSec: number;
  /** The EXTINF value in integer milliseconds (see hls-time durationMs). */
  readonly durationMs: number;
  readonly title: string;
  readonly discontinuity: boolean;
  /** Discontinuity sequence number of this segment (§4.3.3.3, §6.2.2). In a delta update only
   *  the listed discontinuities are counted: those of the skipped segments are unknown. */
  readonly discontinuitySequence: number;
  readonly programDateTimeMs?: number;
  /** Its EXT-X-PART tags, in order (the Part Index is the position). */
  readonly parts: readonly ParsedPart[];
  /** URI of the EXT-X-MAP in effect for it. */
  readonly mapUri?: string;
}

export interface ParsedMediaPlaylist {
  /** Every tag in document order. */
  readonly tags: readonly HlsTag[];
  readonly segments: readonly ParsedSegment[];
  /** Segment tags after the last URI (e.g. low-latency parts), not attached to any segment. */
  readonly trailingTags: readonly HlsTag[];
  /** Values of the first occurrence of each playlist tag; counts are left to the caller. */
  readonly version?: number;
  readonly targetDurationSec?: number;
  readonly mediaSequence: number;
  readonly discontinuitySequence: number;
  readonly playlistType?: string;
  readonly endList: boolean;
  readonly independentSegments: boolean;
  readonly iFramesOnly: boolean;
  readonly map?: { readonly uri: string };
  readonly partTargetSec?: number;
  readonly serverControl?: ParsedServerControl;
  /** EXT-X-SKIP:SKIPPED-SEGMENTS, present in a delta update. */
  readonly skippedSegments?: number;
  readonly skipsDateRanges: boolean;
  /** Parts after the last segment (the segment in progress), its discontinuity and map. */
  readonly pendingParts: readonly ParsedPart[];
  readonly pendingDiscontinuity: boolean;
  readonly pendingMapUri?: string;
  readonly preloadHints: readonly { readonly type: string; readonly uri: string; readonly line: number }[];
}

type ValueKind = 'none' | 'integer' | 'attributes' | 'extinf' | 'date-time' | 'playlist-type' | 'byterange' | 'free';

/** Known media playlist tags (§4.3.1-§4.3.5 and the low-latency tags of rfc8216bis). */
const VALUE_KINDS: Readonly<Record<string, ValueKind>> = {
  EXTM3U: 'none', 'EXT-X-VERSION': 'integer', EXTINF: 'extinf', 'EXT-X-BYTERANGE': 'byterange',
  'EXT-X-DISCONTINUITY': 'none', 'EXT-X-KEY': 'attributes', 'EXT-X-MAP': 'attributes',
  'EXT-X-PROGRAM-DATE-TIME': 'date-time', 'EXT-X-DATERANGE': 'attributes', 'EXT-X-GAP': 'none',
  'EXT-X-BITRATE': 'integer', 'EXT-X-PART': 'attributes', 'EXT-X-TARGETDURATION': 'integer',
  'EXT-X-MEDIA-SEQUENCE': 'integer', 'EXT-X-DISCONTINUITY-SEQUENCE': 'integer', 'EXT-X-ENDLIST': 'none',
  'EXT-X-PLAYLIST-TYPE': 'playlist-type', 'EXT-X-I-FRAMES-ONLY': 'none', 'EXT-X-INDEPENDENT-SEGMENTS': 'none',
  'EXT-X-START': 'attributes', 'EXT-X-PART-INF': 'attributes', 'EXT-X-SERVER-CONTROL': 'attributes',
  'EXT-X-SKIP': 'attributes', 'EXT-X-PRELOAD-HINT': 'attributes', 'EXT-X-RENDITION-REPORT': 'attributes',
  'EXT-X-DEFINE': 'attributes',
};

/** Tags that describe the playlist rather than the next segment. */
const PLAYLIST_TAGS = new Set([
  'EXTM3U', 'EXT-X-VERSION', 'EXT-X-TARGETDURATION', 'EXT-X-MEDIA-SEQUENCE', 'EXT-X-DISCONTINUITY-SEQUENCE',
  'EXT-X-ENDLIST', 'EXT-X-PLAYLIST-TYPE', 'EXT-X-I-FRAMES-ONLY', 'EXT-X-INDEPENDENT-SEGMENTS', 'EXT-X-START',
  'EXT-X-PART-INF', 'EXT-X-SERVER-CONTROL', 'EXT-X-SKIP', 'EXT-X-PRELOAD-HINT', 'EXT-X-RENDITION-REPORT',
  'EXT-X-DEFINE',
]);

/** Tags allowed in both kinds of playlist (§4.3.5); any other media playlist tag is not. */
const SHARED_TAGS = new Set(['EXTM3U', 'EXT-X-VERSION', 'EXT-X-INDEPENDENT-SEGMENTS', 'EXT-X-START', 'EXT-X-DEFINE']);

/** §4.1: a playlist holding any of these is a master playlist and must not hold segments. */
const MASTER_TAGS = new Set([
  'EXT-X-STREAM-INF', 'EXT-X-MEDIA', 'EXT-X-I-FRAME-STREAM-INF', 'EXT-X-SESSION-DATA', 'EXT-X-SESSION-KEY',
]);

type Schema = Readonly<Record<string, AttributeType>>;
/** Attribute types per tag (§4.3.2.4, §4.3.2.5, §4.3.2.7, §4.3.5.2; rfc8216bis §4.4.3-§4.4.5). */
const ATTRIBUTE_SCHEMAS: Readonly<Record<string, { types: Schema; required: readonly string[] }>> = {
  'EXT-X-KEY': {
    types: { METHOD: 'enumerated-string', URI: 'quoted-string', IV: 'hexadecimal-sequence',
      KEYFORMAT: 'quoted-string', KEYFORMATVERSIONS: 'quoted-string' },
    required: ['METHOD'],
  },
  'EXT-X-MAP': { types: { URI: 'quoted-string', BYTERANGE: 'quoted-string' }, required: ['URI'] },
  'EXT-X-DATERANGE': {
    types: { ID: 'quoted-string', CLASS: 'quoted-string', 'START-DATE': 'quoted-string', 'END-DATE': 'quoted-string',
      DURATION: 'decimal-floating-point', 'PLANNED-DURATION': 'decimal-floating-point', 'END-ON-NEXT': 'enumerated-string' },
    required: ['ID', 'START-DATE'],
  },
  'EXT-X-START': { types: { 'TIME-OFFSET': 'signed-decimal-floating-point', PRECISE: 'enumerated-string' }, required: ['TIME-OFFSET'] },
  'EXT-X-PART-INF': { types: { 'PART-TARGET': 'decimal-floating-point' }, required: ['PART-TARGET'] },
  'EXT-X-SERVER-CONTROL': {
    types: { 'CAN-SKIP-UNTIL': 'decimal-floating-point', 'CAN-SKIP-DATERANGES': 'enumerated-string',
      'HOLD-BACK': 'decimal-floating-point', 'PART-HOLD-BACK': 'decimal-floating-point', 'CAN-BLOCK-RELOAD': 'enumerated-string' },
    required: [],
  },
  'EXT-X-PART': {
    types: { URI: 'quoted-string', DURATION: 'decimal-floating-point', INDEPENDENT: 'enumerated-string',
      BYTERANGE: 'quoted-string', GAP: 'enumerated-string' },
    required: ['URI', 'DURATION'],
  },
  'EXT-X-PRELOAD-HINT': {
    types: { TYPE: 'enumerated-string', URI: 'quoted-string', 'BYTERANGE-START': 'decimal-integer', 'BYTERANGE-LENGTH': 'decimal-integer' },
    required: ['TYPE', 'URI'],
  },
  'EXT-X-SKIP': { types: { 'SKIPPED-SEGMENTS': 'decimal-integer', 'RECENTLY-REMOVED-DATERANGES': 'quoted-string' }, required: ['SKIPPED-SEGMENTS'] },
  'EXT-X-RENDITION-REPORT': { types: { URI: 'quoted-string', 'LAST-MSN': 'decimal-integer', 'LAST-PART': 'decimal-integer' }, required: ['URI'] },
  'EXT-X-DEFINE': { types: { NAME: 'quoted-string', VALUE: 'quoted-string', IMPORT: 'quoted-string' }, required: [] },
};

/** Attributes whose only valid value is YES (rfc8216bis §4.4.3.8, §4.4.4.9). */
const YES_ONLY: Readonly<Record<string, readonly string[]>> = {
  'EXT-X-SERVER-CONTROL': ['CAN-BLOCK-RELOAD', 'CAN-SKIP-DATERANGES'],
  'EXT-X-PART': ['INDEPENDENT', 'GAP'],
};

/** Multivariant playlist attribute types (§4.3.4.1, §4.3.4.2). */
const MULTIVARIANT_SCHEMAS: Readonly<Record<string, { types: Schema; required: readonly string[] }>> = {
  'EXT-X-MEDIA': {
    types: { TYPE: 'enumerated-string', URI: 'quoted-string', 'GROUP-ID': 'quoted-string', LANGUAGE: 'quoted-string',
      NAME: 'quoted-string', DEFAULT: 'enumerated-string', AUTOSELECT: 'enumerated-string', CHANNELS: 'quoted-string' },
    required: ['TYPE', 'GROUP-ID', 'NAME'],
  },
  'EXT-X-STREAM-INF': {
    types: { BANDWIDTH: 'decimal-integer', 'AVERAGE-BANDWIDTH': 'decimal-integer', CODECS: 'quoted-string',
      RESOLUTION: 'decimal-resolution', 'FRAME-RATE': 'decimal-floating-point', AUDIO: 'quoted-string', VIDEO: 'quoted-string' },
    required: ['BANDWIDTH'],
  },
};

const RULE_OF_TAG: Readonly<Record<string, HlsSyntaxRule>> = {
  EXTINF: 'extinf', 'EXT-X-TARGETDURATION': 'target-duration', 'EXT-X-MEDIA-SEQUENCE': 'media-sequence',
  'EXT-X-DISCONTINUITY-SEQUENCE': 'discontinuity-sequence', 'EXT-X-PROGRAM-DATE-TIME': 'program-date-time',
  'EXT-X-PLAYLIST-TYPE': 'playlist-type', 'EXT-X-VERSION': 'version',
};

const DECIMAL_INTEGER = /^[0-9]{1,20}$/;
/** §4.3.2.1: EXTINF:<duration>,[<title>] with a decimal-integer or decimal-floating-point duration. */
const EXTINF_VALUE = /^([0-9]+(?:\.[0-9]+)?),(.*)$/;
const BYTERANGE_VALUE = /^[0-9]+(?:@[0-9]+)?$/;
/** §4.1: no control characters except CR and LF. */
const CONTROL_CHARACTER = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

function syntaxError(rule: HlsSyntaxRule, line: number, message: string): never {
  throw new ProtocolError(`${message} (line ${line})`, { rule, line });
}

export function attributeOf(tag: HlsTag, name: string): HlsAttribute | undefined {
  return tag.attributes?.find((a) => a.name === name);
}

function parseTag(text: string, line: number, multivariant = false): HlsTag {
  const colon = text.indexOf(':');
  const name = colon < 0 ? text.slice(1) : text.slice(1, colon);
  const value = colon < 0 ? undefined : text.slice(colon + 1);
  if (!multivariant && MASTER_TAGS.has(name)) syntaxError('media-playlist', line, `master playlist tag #${name} in a media playlist`);
  const kind = multivariant && MULTIVARIANT_SCHEMAS[name] !== undefined ? 'attributes' : VALUE_KINDS[name] ?? 'free';
  const rule = RULE_OF_TAG[name] ?? 'tag-value';
  const bad = (what: string): never => syntaxError(rule, line, `#${name} ${what}: "${text}"`);
  if (kind === 'none' && value !== undefined) bad('takes no value');
  if (kind !== 'none' && kind !== 'free' && value === undefined) bad('needs a value');
  const v = value ?? '';
  if (kind === 'integer' && !DECIMAL_INTEGER.test(v)) bad('is not a decimal-integer');
  if (kind === 'extinf' && !EXTINF_VALUE.test(v)) bad('is not <duration>,[<title>]');
  if (kind === 'date-time' && parseProgramDateTime(v) === undefined) bad('is not an ISO 8601 date-time');
  if (kind === 'playlist-type' && v !== 'EVENT' && v !== 'VOD') bad('is neither EVENT nor VOD');
  if (kind === 'byterange' && !BYTERANGE_VALUE.test(v)) bad('is not <n>[@<o>]');
  if (kind !== 'attributes') return value === undefined ? { name, line } : { name, value, line };
  const attributes = parseAttributeList(v, line);
  const schema = (multivariant ? MULTIVARIANT_SCHEMAS[name] : undefined) ?? ATTRIBUTE_SCHEMAS[name];
  for (const a of attributes) {
    const type = schema?.types[a.name];
    if (type !== undefined) readAttribute(a, type, line);
    if (YES_ONLY[name]?.includes(a.name) && a.value !== 'YES') syntaxError('attribute-list', line, `#${name} ${a.name} can only be YES`);
  }
  for (const req of schema?.required ?? []) {
    if (!attributes.some((a) => a.name === req)) syntaxError('attribute-list', line, `#${name} lacks ${req}`);
  }
  return { name, value: v, attributes, line };
}

function firstValue(tags: readonly HlsTag[], name: string): string | undefined {
  return tags.find((t) => t.name === name)?.value;
}

/** §4.1 line rules shared by both kinds of playlist; calls back with each tag and each URI line. */
function readLines(text: string, multivariant: boolean, onTag: (tag: HlsTag) => void, onUri: (uri: string, line: number) => void): void {
  if (text.startsWith('\uFEFF')) syntaxError('encoding', 1, 'byte order mark before #EXTM3U (§4.1)');
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines[0] !== '#EXTM3U') syntaxError('extm3u', 1, 'the first line must be #EXTM3U (§4.3.1.1)');
  lines.forEach((l, i) => {
    const line = i + 1;
    if (CONTROL_CHARACTER.test(l) || l.includes('\r')) syntaxError('encoding', line, 'control character (§4.1)');
    if (l.trim() === '') return; // §4.1: blank lines are ignored
    if (!l.startsWith('#')) onUri(l, line);
    else if (l.startsWith('#EXT')) onTag(parseTag(l, line, multivariant)); // other lines starting with # are comments
  });
}

const yes = (tag: HlsTag, name: string): boolean => attributeOf(tag, name)?.value === 'YES';
const decimal = (tag: HlsTag, name: string): number | undefined => {
  const a = attributeOf(tag, name);
  return a === undefined ? undefined : Number(a.value);
};

function parsePart(tag: HlsTag): ParsedPart {
  const durationSec = decimal(tag, 'DURATION') ?? 0;
  return {
    uri: attributeOf(tag, 'URI')?.value ?? '', durationSec, durationMs: durationMs(durationSec),
    independent: yes(tag, 'INDEPENDENT'), gap: yes(tag, 'GAP'), line: tag.line,
  };
}

function parseServerControl(tag: HlsTag): ParsedServerControl {
  const optional = (name: string, key: string): Record<string, number> => {
    const v = decimal(tag, name);
    return v === undefined ? {} : { [key]: v };
  };
  return {
    canBlockReload: yes(tag, 'CAN-BLOCK-RELOAD'), canSkipDateRanges: yes(tag, 'CAN-SKIP-DATERANGES'), line: tag.line,
    ...optional('CAN-SKIP-UNTIL', 'canSkipUntilSec'), ...optional('HOLD-BACK', 'holdBackSec'), ...optional('PART-HOLD-BACK', 'partHoldBackSec'),
  };
}

const lastMapUri = (tags: readonly HlsTag[], previous: string | undefined): string | undefined =>
  tags.filter((t) => t.name === 'EXT-X-MAP').map((t) => attributeOf(t, 'URI')?.value).at(-1) ?? previous;

export function parseMediaPlaylist(text: string): ParsedMediaPlaylist {
  const tags: HlsTag[] = [];
  const raw: { uri: string; uriLine: number; tags: HlsTag[] }[] = [];
  let pending: HlsTag[] = [];
  readLines(text, false, (tag) => {
    tags.push(tag);
    if (!PLAYLIST_TAGS.has(tag.name)) pending.push(tag);
  }, (uri, uriLine) => {
    raw.push({ uri, uriLine, tags: pending });
    pending = [];
  });
  const dangling = pending.find((t) => t.name === 'EXTINF');
  if (dangling) syntaxError('extinf', dangling.line, 'EXTINF without a segment URI after it');
  const mediaSequence = Number(firstValue(tags, 'EXT-X-MEDIA-SEQUENCE') ?? 0);
  const discontinuitySequence = Number(firstValue(tags, 'EXT-X-DISCONTINUITY-SEQUENCE') ?? 0);
  const skipTag = tags.find((t) => t.name === 'EXT-X-SKIP');
  const skippedSegments = skipTag === undefined ? undefined : decimal(skipTag, 'SKIPPED-SEGMENTS');
  let dsn = discontinuitySequence;
  let mapUri: string | undefined;
  const segments = raw.map((r, i): ParsedSegment => {
    const extinfs = r.tags.filter((t) => t.name === 'EXTINF');
    if (extinfs.length !== 1) {
      syntaxError('extinf', r.uriLine, `segment ${r.uri} has ${extinfs.length} EXTINF tags, needs one (§4.3.2.1)`);
    }
    const [, duration, title] = EXTINF_VALUE.exec(extinfs[0].value ?? '') ?? [];
    const discontinuity = r.tags.some((t) => t.name === 'EXT-X-DISCONTINUITY');
    if (discontinuity) dsn += 1;
    const pdt = firstValue(r.tags, 'EXT-X-PROGRAM-DATE-TIME');
    mapUri = lastMapUri(r.tags, mapUri);
    return {
      sequence: mediaSequence + (skippedSegments ?? 0) + i, uri: r.uri, uriLine: r.uriLine, tags: r.tags,
      durationSec: Number(duration), durationMs: durationMs(Number(duration)), title,
      discontinuity, discontinuitySequence: dsn,
      ...(pdt === undefined ? {} : { programDateTimeMs: parseProgramDateTime(pdt) }),
      parts: r.tags.filter((t) => t.name === 'EXT-X-PART').map(parsePart),
      ...(mapUri === undefined ? {} : { mapUri }),
    };
  });
  const version = firstValue(tags, 'EXT-X-VERSION');
  const target = firstValue(tags, 'EXT-X-TARGETDURATION');
  const mapTag = tags.find((t) => t.name === 'EXT-X-MAP');
  const partInf = tags.find((t) => t.name === 'EXT-X-PART-INF');
  const serverControl = tags.find((t) => t.name === 'EXT-X-SERVER-CONTROL');
  const pendingMapUri = lastMapUri(pending, mapUri);
  const has = (name: string): boolean => tags.some((t) => t.name === name);
  return {
    tags, segments, trailingTags: pending, mediaSequence, discontinuitySequence,
    ...(version === undefined ? {} : { version: Number(version) }),
    ...(target === undefined ? {} : { targetDurationSec: Number(target) }),
    ...(has('EXT-X-PLAYLIST-TYPE') ? { playlistType: firstValue(tags, 'EXT-X-PLAYLIST-TYPE') } : {}),
    endList: has('EXT-X-ENDLIST'),
    independentSegments: has('EXT-X-INDEPENDENT-SEGMENTS'),
    iFramesOnly: has('EXT-X-I-FRAMES-ONLY'),
    ...(mapTag ? { map: { uri: attributeOf(mapTag, 'URI')?.value ?? '' } } : {}),
    ...(partInf ? { partTargetSec: decimal(partInf, 'PART-TARGET') } : {}),
    ...(serverControl ? { serverControl: parseServerControl(serverControl) } : {}),
    ...(skippedSegments === undefined ? {} : { skippedSegments }),
    skipsDateRanges: skipTag !== undefined && attributeOf(skipTag, 'RECENTLY-REMOVED-DATERANGES') !== undefined,
    pendingParts: pending.filter((t) => t.name === 'EXT-X-PART').map(parsePart),
    pendingDiscontinuity: pending.some((t) => t.name === 'EXT-X-DISCONTINUITY'),
    ...(pendingMapUri === undefined ? {} : { pendingMapUri }),
    preloadHints: tags.filter((t) => t.name === 'EXT-X-PRELOAD-HINT')
      .map((t) => ({ type: attributeOf(t, 'TYPE')?.value ?? '', uri: attributeOf(t, 'URI')?.value ?? '', line: t.line })),
  };
}

export interface ParsedMultivariantPlaylist {
  readonly tags: readonly HlsTag[];
  readonly version?: number;
  readonly independentSegments: boolean;
  /** EXT-X-MEDIA tags (attributes type-checked). */
  readonly media: readonly HlsTag[];
  /** Each EXT-X-STREAM-INF with the URI line that follows it. */
  readonly variants: readonly { readonly tag: HlsTag; readonly uri: string; readonly uriLine: number }[];
}

/** §4.3.4: a multivariant playlist holds no media segment tags; every EXT-X-STREAM-INF is followed by a URI. */
export function parseMultivariantPlaylist(text: string): ParsedMultivariantPlaylist {
  const tags: HlsTag[] = [];
  const variants: { tag: HlsTag; uri: string; uriLine: number }[] = [];
  let streamInf: HlsTag | undefined;
  readLines(text, true, (tag) => {
    if (streamInf !== undefined) syntaxError('multivariant-playlist', tag.line, 'EXT-X-STREAM-INF must be followed by a URI');
    if (VALUE_KINDS[tag.name] !== undefined && !SHARED_TAGS.has(tag.name)) {
      syntaxError('multivariant-playlist', tag.line, `media playlist tag #${tag.name} in a multivariant playlist (§4.1)`);
    }
    tags.push(tag);
    if (tag.name === 'EXT-X-STREAM-INF') streamInf = tag;
  }, (uri, uriLine) => {
    if (streamInf === undefined) syntaxError('multivariant-playlist', uriLine, `URI ${uri} without EXT-X-STREAM-INF`);
    variants.push({ tag: streamInf, uri, uriLine });
    streamInf = undefined;
  });
  if (streamInf !== undefined) syntaxError('multivariant-playlist', streamInf.line, 'EXT-X-STREAM-INF must be followed by a URI');
  const version = firstValue(tags, 'EXT-X-VERSION');
  return {
    tags, variants, media: tags.filter((t) => t.name === 'EXT-X-MEDIA'),
    independentSegments: tags.some((t) => t.name === 'EXT-X-INDEPENDENT-SEGMENTS'),
    ...(version === undefined ? {} : { version: Number(version) }),
  };
}
