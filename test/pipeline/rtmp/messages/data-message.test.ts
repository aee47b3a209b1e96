import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError, UnsupportedError } from '../../../../pipeline/core/errors.js';
import { AmfEcmaArray, createAmfObject, type AmfObject, type AmfValue } from '../../../../pipeline/rtmp/amf/index.js';
import {
  decodeDataMessage,
  encodeDataMessage,
  metadataForPlayers,
  metadataProperties,
  type DataMessage,
} from '../../../../pipeline/rtmp/messages/data-message.js';
import { MESSAGE_TYPE } from '../../../../pipeline/rtmp/messages/message-types.js';
import { amf0Value, ascii, expectOnlyPipelineErrors, fromHex, shape, toHex } from '../amf/amf-arbitraries.js';

const obj = (o: Record<string, AmfValue>): AmfObject => createAmfObject(Object.entries(o));
const { DATA_AMF0, DATA_AMF3 } = MESSAGE_TYPE;

/** The part after @setDataFrame: onMetaData and an ECMA array (AMF0 §2.10), as ffmpeg writes it. */
const ON_METADATA_HEX = [
  `02 00 0a ${ascii('onMetaData')}`,
  '08 00 00 00 04', // ECMA array, 4 properties
  `00 08 ${ascii('duration')} 00 00 00 00 00 00 00 00 00`, // 0
  `00 05 ${ascii('width')} 00 40 94 00 00 00 00 00 00`, // 1280
  `00 06 ${ascii('height')} 00 40 86 80 00 00 00 00 00`, // 720
  `00 07 ${ascii('encoder')} 02 00 0c ${ascii('Lavf61.7.100')}`,
  '00 00 09',
].join(' ');

/** What a publisher (ffmpeg, OBS) sends: @setDataFrame("onMetaData", {...}). */
const SET_DATA_FRAME_HEX = `02 00 0d ${ascii('@setDataFrame')} ${ON_METADATA_HEX}`;

const METADATA = new AmfEcmaArray(obj({ duration: 0, width: 1280, height: 720, encoder: 'Lavf61.7.100' }));

describe('RTMP data messages: metadata', () => {
  it('decodes the publisher form @setDataFrame("onMetaData", ECMA array) (type 18)', () => {
    const msg = decodeDataMessage(DATA_AMF0, fromHex(SET_DATA_FRAME_HEX));
    expect(msg).toStrictEqual({ name: '@setDataFrame', values: ['onMetaData', METADATA] });
  });

  it('turns it into the player form onMetaData(ECMA array), byte for byte what servers send', () => {
    const forPlayers = metadataForPlayers(decodeDataMessage(DATA_AMF0, fromHex(SET_DATA_FRAME_HEX)));
    expect(forPlayers).toStrictEqual({ name: 'onMetaData', values: [METADATA] });
    expect(toHex(encodeDataMessage(forPlayers as DataMessage)), 'still an ECMA array').toBe(toHex(fromHex(ON_METADATA_HEX)));
  });

  it('reads the metadata properties from an ECMA array or an object', () => {
    const fromEcma = metadataForPlayers(decodeDataMessage(DATA_AMF0, fromHex(SET_DATA_FRAME_HEX))) as DataMessage;
    expect(metadataProperties(fromEcma)?.width).toBe(1280);
    const fromObject: DataMessage = { name: 'onMetaData', values: [obj({ width: 640 })] };
    expect(metadataProperties(fromObject)?.width).toBe(640);
    expect(metadataProperties({ name: 'onMetaData', values: ['nonsense'] })).toBeUndefined();
  });

  it('passes a bare onMetaData through and ignores other data messages', () => {
    const bare: DataMessage = { name: 'onMetaData', values: [METADATA] };
    expect(metadataForPlayers(bare)).toBe(bare);
    expect(metadataForPlayers({ name: '@setDataFrame', values: ['onCuePoint', obj({})] })).toBeUndefined();
    expect(metadataForPlayers({ name: 'onTextData', values: [obj({ text: 'hi' })] })).toBeUndefined();
    expect(metadataForPlayers({ name: '@setDataFrame', values: [] })).toBeUndefined();
  });

  it('decodes a type 15 body: the 0x00 format byte, then AMF0 values', () => {
    const msg = decodeDataMessage(DATA_AMF3, fromHex(`00 ${ON_METADATA_HEX}`));
    expect(msg).toStrictEqual({ name: 'onMetaData', values: [METADATA] });
  });

  it('decodes a type 15 body whose metadata is an AMF3 array with an associative part', () => {
    const hex = `00 02 00 0a ${ascii('onMetaData')} 11 09 01 0b ${ascii('width')} 04 8a 00 01`;
    const msg = decodeDataMessage(DATA_AMF3, fromHex(hex));
    expect(msg).toStrictEqual({ name: 'onMetaData', values: [new AmfEcmaArray(obj({ width: 1280 }))] });
  });
});

describe('RTMP data messages: errors', () => {
  it('rejects a handler name that is not a string', () => {
    expect(() => decodeDataMessage(DATA_AMF0, fromHex('05'))).toThrow(ProtocolError);
    expect(() => decodeDataMessage(DATA_AMF0, fromHex('05'))).toThrow(/handler name is a null/);
  });

  it('rejects a command message type', () => {
    expect(() => decodeDataMessage(MESSAGE_TYPE.COMMAND_AMF0, fromHex('02 00 01 61'))).toThrow(UnsupportedError);
  });

  it('rejects a type 15 body whose format byte is not 0x00', () => {
    expect(() => decodeDataMessage(DATA_AMF3, fromHex('02 00 01 61'))).toThrow(/format byte 0x02/);
  });
});

const dataMessage: fc.Arbitrary<DataMessage> = fc.record({
  name: fc.string({ unit: 'binary', maxLength: 16 }),
  values: fc.array(amf0Value, { maxLength: 4 }),
});

describe('RTMP data messages: properties', () => {
  it('decode(encode(msg)) deep-equals msg, as type 18 and as type 15', () => {
    fc.assert(
      fc.property(dataMessage, (msg) => {
        const body = encodeDataMessage(msg);
        expect(shape(decodeDataMessage(DATA_AMF0, body)), `type 18 ${toHex(body)}`).toStrictEqual(shape({ ...msg }));
        expect(shape(decodeDataMessage(DATA_AMF3, Uint8Array.of(0, ...body))), 'type 15').toStrictEqual(shape({ ...msg }));
      }),
      { numRuns: 300 },
    );
  });

  it('the player form of any set metadata re-encodes to the publisher bytes after @setDataFrame', () => {
    fc.assert(
      fc.property(amf0Value, (value) => {
        const published = encodeDataMessage({ name: '@setDataFrame', values: ['onMetaData', value] });
        const forPlayers = metadataForPlayers(decodeDataMessage(DATA_AMF0, published)) as DataMessage;
        const prefix = 3 + '@setDataFrame'.length;
        expect(toHex(encodeDataMessage(forPlayers))).toBe(toHex(published.subarray(prefix)));
      }),
      { numRuns: 200 },
    );
  });

  it('random bytes raise only PipelineErrors', () => {
    fc.assert(
      fc.property(fc.constantFrom(DATA_AMF0, DATA_AMF3), fc.uint8Array({ maxLength: 96 }), (typeId, bytes) => {
        expectOnlyPipelineErrors(() => decodeDataMessage(typeId, bytes), bytes);
      }),
      { numRuns: 3000 },
    );
  });
});
