import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ProtocolError,
  TruncatedError,
  UnsupportedError,
  type PipelineError,
} from '../../../../pipeline/core/errors.js';
import { createAmfObject, type AmfObject, type AmfValue } from '../../../../pipeline/rtmp/amf/index.js';
import {
  decodeCommandMessage,
  encodeCommandMessage,
  type CommandMessage,
} from '../../../../pipeline/rtmp/messages/command-message.js';
import { MESSAGE_TYPE } from '../../../../pipeline/rtmp/messages/message-types.js';
import { amf0Value, ascii, expectOnlyPipelineErrors, fromHex, shape, toHex } from '../amf/amf-arbitraries.js';

const obj = (o: Record<string, AmfValue>): AmfObject => createAmfObject(Object.entries(o));
const { COMMAND_AMF0, COMMAND_AMF3 } = MESSAGE_TYPE;

/**
 * The connect that ffmpeg (libavformat/rtmpproto.c gen_connect) sends when publishing, with
 * Enhanced RTMP codecs: app, type, flashVer, tcUrl, fourCcList. Written by hand from AMF0 §2.
 */
const FFMPEG_CONNECT_HEX = [
  `02 00 07 ${ascii('connect')}`, // command name
  '00 3f f0 00 00 00 00 00 00', // transaction id 1
  '03', // command object
  `00 03 ${ascii('app')} 02 00 04 ${ascii('live')}`,
  `00 04 ${ascii('type')} 02 00 0a ${ascii('nonprivate')}`,
  `00 08 ${ascii('flashVer')} 02 00 1f ${ascii('FMLE/3.0 (compatible; FMSc/1.0)')}`,
  `00 05 ${ascii('tcUrl')} 02 00 1a ${ascii('rtmp://127.0.0.1:1935/live')}`,
  `00 0a ${ascii('fourCcList')} 0a 00 00 00 03`, // strict array of 3
  `02 00 04 ${ascii('av01')} 02 00 04 ${ascii('hvc1')} 02 00 04 ${ascii('avc1')}`,
  '00 00 09', // object end
].join(' ');

const FFMPEG_CONNECT: CommandMessage = {
  name: 'connect',
  transactionId: 1,
  commandObject: obj({
    app: 'live',
    type: 'nonprivate',
    flashVer: 'FMLE/3.0 (compatible; FMSc/1.0)',
    tcUrl: 'rtmp://127.0.0.1:1935/live',
    fourCcList: ['av01', 'hvc1', 'avc1'],
  }),
  args: [],
};

/**
 * A type 17 connect as a Flash client with objectEncoding 3 sends it: the 0x00 format byte,
 * name and transaction id in AMF0, the command object in AMF3 behind the avmplus marker, and an
 * argument that refers to the string "live" of the command object (one AMF3 table per body).
 */
const AMF3_CONNECT_HEX = [
  '00', // format byte
  `02 00 07 ${ascii('connect')}`,
  '00 3f f0 00 00 00 00 00 00',
  '11 0a 0b 01', // avmplus: anonymous dynamic object, no sealed members
  `07 ${ascii('app')} 06 09 ${ascii('live')}`, // strings 0 and 1
  `1d ${ascii('objectEncoding')} 04 03`, // string 2, integer 3
  '01', // end of dynamic members
  '11 06 02', // avmplus: string reference 1 = "live"
].join(' ');

describe('RTMP command messages: real payloads', () => {
  it('decodes the ffmpeg connect command (type 20)', () => {
    const cmd = decodeCommandMessage(COMMAND_AMF0, fromHex(FFMPEG_CONNECT_HEX));
    expect(cmd).toStrictEqual(FFMPEG_CONNECT);
  });

  it('re-encodes the ffmpeg connect command byte for byte', () => {
    expect(toHex(encodeCommandMessage(FFMPEG_CONNECT))).toBe(toHex(fromHex(FFMPEG_CONNECT_HEX)));
  });

  it('decodes an AMF3 command (type 17) with string references across avmplus values', () => {
    const cmd = decodeCommandMessage(COMMAND_AMF3, fromHex(AMF3_CONNECT_HEX));
    expect(cmd).toStrictEqual({
      name: 'connect',
      transactionId: 1,
      commandObject: obj({ app: 'live', objectEncoding: 3 }),
      args: ['live'],
    });
  });

  it('encodes the createStream _result (AMF0 §2.2, §2.4, §2.7)', () => {
    const bytes = encodeCommandMessage({ name: '_result', transactionId: 2, commandObject: null, args: [1] });
    expect(toHex(bytes)).toBe(toHex(fromHex(`02 00 07 ${ascii('_result')} 00 40 00 00 00 00 00 00 00 05 00 3f f0 00 00 00 00 00 00`)));
  });

  it('round-trips the connect _result with its info object', () => {
    const reply: CommandMessage = {
      name: '_result',
      transactionId: 1,
      commandObject: obj({ fmsVer: 'FMS/3,0,1,123', capabilities: 31 }),
      args: [obj({ level: 'status', code: 'NetConnection.Connect.Success', objectEncoding: 0 })],
    };
    expect(decodeCommandMessage(COMMAND_AMF0, encodeCommandMessage(reply))).toStrictEqual(reply);
  });

  it('reads a command that ends after its transaction id with a null command object', () => {
    const cmd = decodeCommandMessage(COMMAND_AMF0, fromHex(`02 00 04 ${ascii('ping')} 00 00 00 00 00 00 00 00 00`));
    expect(cmd).toStrictEqual({ name: 'ping', transactionId: 0, commandObject: null, args: [] });
  });

  it('accepts a type 17 name sent as an AMF3 string', () => {
    const cmd = decodeCommandMessage(COMMAND_AMF3, fromHex(`00 11 06 07 ${ascii('abc')} 00 00 00 00 00 00 00 00 00 05`));
    expect(cmd.name).toBe('abc');
  });
});

interface ErrorCase {
  readonly name: string;
  readonly typeId: number;
  readonly hex: string;
  readonly error: new (...args: never[]) => PipelineError;
  readonly message: RegExp;
}

const ERROR_CASES: readonly ErrorCase[] = [
  { name: 'empty type 20 body', typeId: COMMAND_AMF0, hex: '', error: TruncatedError, message: /RTMP command message/ },
  { name: 'empty type 17 body', typeId: COMMAND_AMF3, hex: '', error: TruncatedError, message: /RTMP command message/ },
  { name: 'name is a number', typeId: COMMAND_AMF0, hex: '00 3f f0 00 00 00 00 00 00', error: ProtocolError, message: /command name is a number/ },
  { name: 'transaction id is null', typeId: COMMAND_AMF0, hex: '02 00 01 61 05', error: ProtocolError, message: /"a": the transaction id is a null/ },
  { name: 'transaction id missing', typeId: COMMAND_AMF0, hex: '02 00 01 61', error: TruncatedError, message: /needs 1 more bytes/ },
  { name: 'type 17 format byte 0x01', typeId: COMMAND_AMF3, hex: '01 02 00 01 61', error: ProtocolError, message: /format byte 0x01, expected 0x00/ },
  { name: 'data message type 18', typeId: MESSAGE_TYPE.DATA_AMF0, hex: '02 00 01 61', error: UnsupportedError, message: /message type 18/ },
];

describe('RTMP command messages: errors', () => {
  it.each(ERROR_CASES)('$name: throws $error.name', ({ typeId, hex, error, message }) => {
    expect(() => decodeCommandMessage(typeId, fromHex(hex))).toThrow(error);
    expect(() => decodeCommandMessage(typeId, fromHex(hex))).toThrow(message);
  });
});

const command: fc.Arbitrary<CommandMessage> = fc.record({
  name: fc.string({ unit: 'binary', maxLength: 16 }),
  transactionId: fc.double(),
  commandObject: amf0Value,
  args: fc.array(amf0Value, { maxLength: 4 }),
});

describe('RTMP command messages: properties', () => {
  it('decode(encode(cmd)) deep-equals cmd, as type 20 and as type 17', () => {
    fc.assert(
      fc.property(command, (cmd) => {
        const body = encodeCommandMessage(cmd);
        expect(shape(decodeCommandMessage(COMMAND_AMF0, body)), `type 20 ${toHex(body)}`).toStrictEqual(shape({ ...cmd }));
        const amf3Body = Uint8Array.of(0x00, ...body);
        expect(shape(decodeCommandMessage(COMMAND_AMF3, amf3Body)), `type 17 ${toHex(amf3Body)}`).toStrictEqual(shape({ ...cmd }));
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes raise only PipelineErrors', () => {
    fc.assert(
      fc.property(fc.constantFrom(COMMAND_AMF0, COMMAND_AMF3), fc.uint8Array({ maxLength: 96 }), (typeId, bytes) => {
        expectOnlyPipelineErrors(() => decodeCommandMessage(typeId, bytes), bytes);
      }),
      { numRuns: 3000 },
    );
  });
});
