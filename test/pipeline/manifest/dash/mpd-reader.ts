// Reads an MPD written by serializeMpd and checks its structure and attributes (ISO/IEC 23009-1 §5.3, Annex B).
// MPD → Period+ → AdaptationSet+ → Representation → [AudioChannelConfiguration] SegmentTemplate →
// SegmentTimeline → S+, then one UTCTiming; any other element or attribute is an error.
import { parseXml, type XmlNode } from './xml-check.js';

export interface ReadSegment { readonly t: number; readonly d: number }
export interface ReadRepresentation {
  readonly attributes: Readonly<Record<string, string>>;
  readonly channelConfiguration?: Readonly<Record<string, string>>;
  readonly template: Readonly<Record<string, string>>;
  readonly s: readonly Readonly<Record<string, string>>[];
  /** The S elements expanded into segments (§5.3.9.6.2). */
  readonly segments: readonly ReadSegment[];
}
export interface ReadAdaptationSet { readonly attributes: Readonly<Record<string, string>>; readonly representations: readonly ReadRepresentation[] }
export interface ReadPeriod { readonly attributes: Readonly<Record<string, string>>; readonly adaptationSets: readonly ReadAdaptationSet[] }
export interface ReadMpd {
  readonly attributes: Readonly<Record<string, string>>;
  readonly periods: readonly ReadPeriod[];
  readonly utcTiming: Readonly<Record<string, string>>;
}

const XS_DURATION = /^PT(?:0|[1-9][0-9]*)(?:\.[0-9]{1,3})?S$/;
const XS_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UNSIGNED = /^(?:0|[1-9][0-9]*)$/;
const FRAME_RATE = /^[1-9][0-9]*(?:\/[1-9][0-9]*)?$/;

const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  MPD: ['xmlns', 'profiles', 'type', 'availabilityStartTime', 'publishTime', 'mediaPresentationDuration', 'minimumUpdatePeriod',
    'timeShiftBufferDepth', 'suggestedPresentationDelay', 'maxSegmentDuration', 'minBufferTime'],
  Period: ['id', 'start'],
  AdaptationSet: ['id', 'contentType', 'mimeType', 'segmentAlignment', 'startWithSAP', 'maxWidth', 'maxHeight', 'maxFrameRate'],
  Representation: ['id', 'bandwidth', 'codecs', 'width', 'height', 'frameRate', 'audioSamplingRate'],
  AudioChannelConfiguration: ['schemeIdUri', 'value'],
  SegmentTemplate: ['timescale', 'presentationTimeOffset', 'initialization', 'media'],
  SegmentTimeline: [],
  S: ['t', 'd', 'r'],
  UTCTiming: ['schemeIdUri', 'value'],
};

function fail(message: string): never {
  throw new Error(`MPD structure: ${message}`);
}

function checked(node: XmlNode, name: string, required: readonly string[] = []): Readonly<Record<string, string>> {
  if (node.name !== name) fail(`expected <${name}>, found <${node.name}>`);
  if (node.text.trim() !== '') fail(`<${name}> has text content`);
  for (const a of Object.keys(node.attributes)) if (!ALLOWED[name].includes(a)) fail(`<${name}> has unexpected @${a}`);
  for (const a of required) if (node.attributes[a] === undefined) fail(`<${name}> lacks @${a}`);
  return node.attributes;
}

function matches(value: string | undefined, re: RegExp, what: string): void {
  if (value !== undefined && !re.test(value)) fail(`${what}="${value}" is malformed`);
}

function readTimeline(node: XmlNode): { s: Record<string, string>[]; segments: ReadSegment[] } {
  checked(node, 'SegmentTimeline');
  if (node.children.length === 0) fail('SegmentTimeline without S');
  const segments: ReadSegment[] = [];
  let time = 0;
  const s = node.children.map((child, i) => {
    const a = checked(child, 'S', ['d']);
    for (const k of ['t', 'd', 'r']) matches(a[k], UNSIGNED, `S@${k}`);
    if (child.children.length > 0) fail('S has children');
    if (i === 0 && a.t === undefined) fail('the first S lacks @t');
    if (a.t !== undefined) {
      if (Number(a.t) < time) fail(`S@t=${a.t} overlaps the previous segment`);
      time = Number(a.t);
    }
    for (let k = 0; k <= Number(a.r ?? 0); k++) {
      segments.push({ t: time, d: Number(a.d) });
      time += Number(a.d);
    }
    return a;
  });
  return { s, segments };
}

function readRepresentation(node: XmlNode): ReadRepresentation {
  const attributes = checked(node, 'Representation', ['id', 'bandwidth', 'codecs']);
  for (const k of ['bandwidth', 'width', 'height', 'audioSamplingRate']) matches(attributes[k], UNSIGNED, `@${k}`);
  matches(attributes.frameRate, FRAME_RATE, '@frameRate');
  const kids = [...node.children];
  const channel = kids[0]?.name === 'AudioChannelConfiguration' ? kids.shift() : undefined;
  const channelConfiguration = channel && checked(channel, 'AudioChannelConfiguration', ['schemeIdUri', 'value']);
  if (kids.length !== 1) fail(`Representation ${attributes.id} must end with exactly one SegmentTemplate`);
  const template = checked(kids[0], 'SegmentTemplate', ['timescale', 'initialization', 'media']);
  matches(template.timescale, UNSIGNED, 'SegmentTemplate@timescale');
  matches(template.presentationTimeOffset, UNSIGNED, 'SegmentTemplate@presentationTimeOffset');
  if (kids[0].children.length !== 1) fail('SegmentTemplate must hold exactly one SegmentTimeline');
  const { s, segments } = readTimeline(kids[0].children[0]);
  return { attributes, template, s, segments, ...(channelConfiguration ? { channelConfiguration } : {}) };
}

function readAdaptationSet(node: XmlNode): ReadAdaptationSet {
  const attributes = checked(node, 'AdaptationSet', ['id', 'contentType', 'mimeType', 'segmentAlignment']);
  matches(attributes.maxFrameRate, FRAME_RATE, '@maxFrameRate');
  if (node.children.length === 0) fail('AdaptationSet without Representation');
  return { attributes, representations: node.children.map(readRepresentation) };
}

function readPeriod(node: XmlNode): ReadPeriod {
  const attributes = checked(node, 'Period', ['id', 'start']);
  matches(attributes.start, XS_DURATION, 'Period@start');
  if (node.children.length === 0) fail('Period without AdaptationSet');
  return { attributes, adaptationSets: node.children.map(readAdaptationSet) };
}

/** Parses (well-formedness) and reads (structure) an MPD; throws on any deviation. */
export function readMpd(xml: string): ReadMpd {
  const root = parseXml(xml);
  const attributes = checked(root, 'MPD', ['xmlns', 'profiles', 'type', 'availabilityStartTime', 'publishTime', 'minBufferTime']);
  const dynamic = attributes.type === 'dynamic';
  if (!dynamic && attributes.type !== 'static') fail(`MPD@type="${attributes.type}"`);
  const dynamicOnly = ['minimumUpdatePeriod', 'timeShiftBufferDepth', 'suggestedPresentationDelay'];
  for (const k of dynamicOnly) if ((attributes[k] !== undefined) !== dynamic) fail(`@${k} present=${!dynamic} in a ${attributes.type} MPD`);
  if (!dynamic && attributes.mediaPresentationDuration === undefined) fail('static MPD without mediaPresentationDuration');
  for (const k of [...dynamicOnly, 'mediaPresentationDuration', 'maxSegmentDuration', 'minBufferTime']) {
    matches(attributes[k], XS_DURATION, `MPD@${k}`);
  }
  matches(attributes.availabilityStartTime, XS_DATE_TIME, 'MPD@availabilityStartTime');
  matches(attributes.publishTime, XS_DATE_TIME, 'MPD@publishTime');
  const kids = [...root.children];
  const utc = kids.pop();
  if (utc === undefined || kids.length === 0) fail('MPD needs Periods followed by one UTCTiming');
  const utcTiming = checked(utc, 'UTCTiming', ['schemeIdUri', 'value']);
  return { attributes, periods: kids.map(readPeriod), utcTiming };
}
