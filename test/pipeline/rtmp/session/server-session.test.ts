// The server session's command flow: the replies and status codes that OBS, ffmpeg, librtmp and
// Flash-era clients expect, and the decisions the service takes.
import { describe, expect, it } from 'vitest';
import { amfPropertiesOf } from '../../../../pipeline/rtmp/amf/amf-types.js';
import { encodeDataMessage } from '../../../../pipeline/rtmp/messages/data-message.js';
import { ClientSession } from '../../../../pipeline/rtmp/session/client-session.js';
import { ServerSession } from '../../../../pipeline/rtmp/session/server-session.js';
import type { SessionEvent } from '../../../../pipeline/rtmp/session/session-events.js';
import { STATUS } from '../../../../pipeline/rtmp/session/status-codes.js';
import { ProtocolError } from '../../../../pipeline/core/errors.js';
import { clientOpts, pump, RawClient, SERVER_OPTS } from '../../../helpers/session-pair.js';

const statusCode = (args: unknown[]): unknown => amfPropertiesOf(args[0] as never)?.code;

describe('ServerSession: connect', () => {
  it('reports connect with app, query, tcUrl, flashVer, objectEncoding and fourCcList', () => {
    const c = new RawClient();
    expect(c.server.phase).toBe('awaitConnect');
    c.command('connect', 1, { app: 'live?token=abc', tcUrl: 'rtmp://h/live', flashVer: 'FMLE/3.0', objectEncoding: 3, fourCcList: ['av01', 'hvc1'] });
    const [ev] = c.takeEvents();
    expect(ev).toMatchObject({ type: 'connect', request: { app: 'live', query: 'token=abc', tcUrl: 'rtmp://h/live', flashVer: 'FMLE/3.0', objectEncoding: 3, fourCcList: ['av01', 'hvc1'] } });
    expect(c.server.phase).toBe('connectPending');
  });

  it('answers an accepted connect with window, bandwidth, chunk size and _result NetConnection.Connect.Success', () => {
    const c = new RawClient();
    c.command('connect', 1, { app: 'live', tcUrl: 'rtmp://h/live', objectEncoding: 3, fourCcList: ['hvc1'] });
    c.take(c.server.acceptConnect());
    expect(c.replies.slice(0, 3).map((m) => m.typeId), 'Window Ack Size, Set Peer Bandwidth, Set Chunk Size').toEqual([5, 6, 1]);
    const [result] = c.takeCommands();
    expect(result.name).toBe('_result');
    expect(result.transactionId).toBe(1);
    const props = amfPropertiesOf(result.commandObject);
    expect(props?.fmsVer).toMatch(/^FMS\//);
    expect(props?.fourCcList, 'Enhanced RTMP: the server answers with its codecs').toEqual(['avc1', 'hvc1']);
    expect(amfPropertiesOf(result.args[0])).toMatchObject({ level: 'status', code: STATUS.CONNECT_SUCCESS, objectEncoding: 3 });
    expect(c.server.phase).toBe('connected');
  });

  it('answers a rejected connect with _error NetConnection.Connect.Rejected and closes', () => {
    const c = new RawClient();
    c.command('connect', 1, { app: 'live' });
    c.take({ events: [], outbound: c.server.rejectConnect('not allowed') });
    const [err] = c.takeCommands();
    expect(err.name).toBe('_error');
    expect(amfPropertiesOf(err.args[0])).toMatchObject({ level: 'error', code: STATUS.CONNECT_REJECTED, description: 'not allowed' });
    expect(c.server.phase).toBe('closed');
  });

  it.each([
    ['a command before connect', (c: RawClient) => c.command('createStream', 2, null), /before connect/],
    ['connect without an app', (c: RawClient) => c.command('connect', 1, { tcUrl: 'rtmp://h/' }), /no app/],
    ['connect with no command object', (c: RawClient) => c.command('connect', 1, null), /command object/],
  ])('rejects %s with a ProtocolError', (_label, act, message) => {
    const c = new RawClient();
    expect(() => act(c)).toThrow(ProtocolError);
    expect(() => act(new RawClient())).toThrow(message);
  });

  it('holds messages that arrive while connect is pending and handles them after acceptance', () => {
    const c = new RawClient();
    c.command('connect', 1, { app: 'live' });
    c.command('createStream', 2, null);
    expect(c.takeCommands(), 'nothing answered before the decision').toEqual([]);
    c.take(c.server.acceptConnect());
    expect(c.takeCommands().map((m) => [m.name, m.transactionId])).toEqual([['_result', 1], ['_result', 2]]);
  });
});

describe('ServerSession: publish flow (as OBS and ffmpeg send it)', () => {
  function publishing(): RawClient {
    const c = new RawClient();
    c.connected();
    c.command('releaseStream', 2, null, ['key']);
    c.command('FCPublish', 3, null, ['key']);
    c.command('createStream', 4, null);
    const replies = c.takeCommands();
    expect(replies.map((m) => [m.name, m.transactionId])).toEqual([['_result', 2], ['_result', 3], ['_result', 4]]);
    expect(replies[2].args[0]).toBe(1);
    c.command('publish', 0, null, ['key?secret=1', 'live'], 1);
    expect(c.takeEvents()).toEqual([{ type: 'publish', streamId: 1, name: 'key', query: 'secret=1', publishType: 'live' }]);
    c.take(c.server.acceptPublish(1));
    const [status] = c.takeCommands();
    expect(status.name).toBe('onStatus');
    expect(statusCode(status.args)).toBe(STATUS.PUBLISH_START);
    return c;
  }

  it('reports media, @setDataFrame metadata (unwrapped for players) and unpublish', () => {
    const c = publishing();
    c.send(9, 1, 0, new Uint8Array([0x17, 0, 0, 0, 0]));
    c.send(8, 1, 5, new Uint8Array([0xaf, 0x01, 0xaa]));
    c.send(18, 1, 0, encodeDataMessage({ name: '@setDataFrame', values: ['onMetaData', { width: 1280 }] }), 5);
    const events = c.takeEvents();
    expect(events.map((e) => e.type)).toEqual(['media', 'media', 'data']);
    const data = events[2] as Extract<SessionEvent, { type: 'data' }>;
    expect(data.name).toBe('onMetaData');
    expect(data.keep).toBe(true);
    expect(Buffer.from(data.payload)).toEqual(Buffer.from(encodeDataMessage({ name: 'onMetaData', values: [{ width: 1280 }] })));
    c.command('FCUnpublish', 5, null, ['key']);
    c.command('deleteStream', 6, null, [1]);
    expect(c.takeEvents()).toEqual([{ type: 'unpublish', streamId: 1, reason: 'FCUnpublish' }]);
    const codes = c.takeCommands().filter((m) => m.name === 'onStatus').map((m) => statusCode(m.args));
    expect(codes).toEqual([STATUS.UNPUBLISH_SUCCESS]);
  });

  it('answers a refused publish with NetStream.Publish.BadName and drops the media that came early', () => {
    const c = new RawClient();
    c.connected();
    c.command('createStream', 2, null);
    c.command('publish', 0, null, ['taken'], 1);
    c.send(9, 1, 0, new Uint8Array([0x17, 1, 0, 0, 0]));
    c.takeCommands();
    expect(c.takeEvents().map((e) => e.type)).toEqual(['publish']);
    c.take(c.server.rejectPublish(1, STATUS.PUBLISH_BAD_NAME, 'live/taken is already being published'));
    expect(statusCode(c.takeCommands()[0].args)).toBe(STATUS.PUBLISH_BAD_NAME);
    expect(c.takeEvents().filter((e) => e.type === 'media')).toEqual([]);
  });

  it('refuses publish without a name, and media on a stream that is not publishing is only noticed', () => {
    const c = new RawClient();
    c.connected();
    c.command('createStream', 2, null);
    c.takeCommands();
    c.command('publish', 0, null, [''], 1);
    expect(statusCode(c.takeCommands()[0].args)).toBe(STATUS.PUBLISH_BAD_NAME);
    c.send(9, 1, 0, new Uint8Array([0x17, 1, 0, 0, 0]));
    expect(c.takeEvents().map((e) => e.type)).toEqual(['notice']);
  });
});

describe('ServerSession: play flow', () => {
  function playRequest(args: unknown[]): RawClient {
    const c = new RawClient();
    c.connected();
    c.command('createStream', 2, null);
    c.takeCommands();
    c.command('play', 0, null, args as never, 1);
    return c;
  }

  it.each([
    [['cam'], { start: -2, durationMs: -1, reset: true }],
    [['cam', -1], { start: -1, durationMs: -1, reset: true }],
    [['cam', 0, -1, false], { start: 0, durationMs: -1, reset: false }],
  ])('reports play %j with its start, duration and reset', (args, expected) => {
    const c = playRequest(args);
    expect(c.takeEvents()[0]).toMatchObject({ type: 'play', streamId: 1, name: 'cam', ...expected });
  });

  it('answers an accepted play with Stream Begin, Play.Reset, Play.Start, |RtmpSampleAccess and Data.Start', () => {
    const c = playRequest(['cam']);
    c.take(c.server.acceptPlay(1, { reset: true }));
    expect(c.replies[0].typeId, 'User Control Stream Begin first').toBe(4);
    const codes = c.replies.filter((m) => m.typeId === 20).map((m) => m);
    expect(c.takeCommands().map((m) => statusCode(m.args))).toEqual([STATUS.PLAY_RESET, STATUS.PLAY_START, STATUS.DATA_START]);
    expect(codes.length).toBe(3);
  });

  it('answers a refused play with NetStream.Play.StreamNotFound', () => {
    const c = playRequest(['cam', 0]);
    c.take(c.server.rejectPlay(1, STATUS.PLAY_STREAM_NOT_FOUND, 'no such stream'));
    expect(statusCode(c.takeCommands()[0].args)).toBe(STATUS.PLAY_STREAM_NOT_FOUND);
  });

  it('handles pause, receiveAudio/receiveVideo, getStreamLength and closeStream', () => {
    const c = playRequest(['cam']);
    c.take(c.server.acceptPlay(1, { reset: false }));
    c.takeCommands();
    c.takeEvents();
    c.command('pause', 0, null, [true, 1500], 1);
    expect(statusCode(c.takeCommands()[0].args)).toBe(STATUS.PAUSE_NOTIFY);
    expect(c.server.sendMedia(1, 9, 0, new Uint8Array([0x17])), 'nothing is sent while paused').toEqual([]);
    c.command('pause', 0, null, [false, 1500], 1);
    expect(statusCode(c.takeCommands()[0].args)).toBe(STATUS.UNPAUSE_NOTIFY);
    c.command('receiveAudio', 0, null, [false], 1);
    c.command('receiveVideo', 0, null, [true], 1);
    c.command('getStreamLength', 7, null, ['cam']);
    const [len] = c.takeCommands();
    expect([len.name, len.transactionId, len.args[0]]).toEqual(['_result', 7, 0]);
    c.command('closeStream', 0, null, [], 1);
    expect(c.takeEvents()).toEqual([
      { type: 'pause', streamId: 1, paused: true, positionMs: 1500 },
      { type: 'pause', streamId: 1, paused: false, positionMs: 1500 },
      { type: 'receive', streamId: 1, kind: 'audio', enabled: false },
      { type: 'receive', streamId: 1, kind: 'video', enabled: true },
      { type: 'stopPlay', streamId: 1, reason: 'closeStream' },
    ]);
  });

  it('answers an unknown command that expects a reply with _error NetConnection.Call.Failed', () => {
    const c = new RawClient();
    c.connected();
    c.command('someRpc', 9, null);
    const [err] = c.takeCommands();
    expect([err.name, err.transactionId, statusCode(err.args)]).toEqual(['_error', 9, STATUS.CALL_FAILED]);
    expect(c.takeEvents()[0].type).toBe('notice');
  });
});

describe('ServerSession with ClientSession', () => {
  it('publishes end to end in memory, answering pings', () => {
    const server = new ServerSession(SERVER_OPTS);
    const client = new ClientSession(clientOpts('publish'));
    const events = pump(client, server, client.start(), (e) => {
      if (e.type === 'connect') return server.acceptConnect().outbound;
      if (e.type === 'publish') return server.acceptPublish(e.streamId).outbound;
      return [];
    });
    expect(events.map((e) => e.type)).toContain('ready');
    expect(client.phase).toBe('ready');
    const media = server.receive(Buffer.concat(client.sendMedia(9, 40, new Uint8Array([0x17, 1, 0, 0, 0, 1]))));
    expect(media.events).toMatchObject([{ type: 'media', typeId: 9, timestamp: 40 }]);
    const ping = server.ping();
    const reply = client.receive(Buffer.concat(ping));
    const back = server.receive(Buffer.concat(reply.outbound));
    expect(back.events.map((e) => e.type)).toEqual(['pingResponse']);
  });
});
