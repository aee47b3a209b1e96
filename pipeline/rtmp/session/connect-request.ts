// Reads the connect command object (RTMP 1.0 §7.2.1.1; Enhanced RTMP v1 fourCcList).
import { ProtocolError } from '../../core/errors.js';
import { amfPropertiesOf } from '../amf/amf-types.js';
import type { AmfObject, AmfValue } from '../amf/amf-value.js';
import type { ConnectRequest } from './session-events.js';

function str(obj: AmfObject, key: string): string {
  const v = obj[key];
  return typeof v === 'string' ? v : '';
}

/** The named properties of an object, ECMA array or typed object. */
export function asAmfObject(v: AmfValue): AmfObject | undefined {
  return amfPropertiesOf(v);
}

/** The parts of a connect command Onramp uses; a connect without an app is a protocol error. */
export function readConnectRequest(commandObject: AmfValue): ConnectRequest {
  const obj = asAmfObject(commandObject);
  if (!obj) throw new ProtocolError('connect: the command object is missing or not an object');
  const rawApp = str(obj, 'app');
  const tcUrl = str(obj, 'tcUrl');
  // Clients put a query on the app ("live?key=...") or only on the tcUrl.
  const appQ = rawApp.indexOf('?');
  const tcQ = tcUrl.indexOf('?');
  const query = appQ >= 0 ? rawApp.slice(appQ + 1) : tcQ >= 0 ? tcUrl.slice(tcQ + 1) : '';
  const app = (appQ >= 0 ? rawApp.slice(0, appQ) : rawApp).replace(/\/+$/, '');
  if (app === '') throw new ProtocolError('connect: no app name (the path of rtmp://host/APP)', { tcUrl });
  const encoding = obj.objectEncoding;
  const list = obj.fourCcList;
  return {
    app,
    query,
    tcUrl,
    flashVer: str(obj, 'flashVer'),
    swfUrl: str(obj, 'swfUrl'),
    pageUrl: str(obj, 'pageUrl'),
    objectEncoding: encoding === 3 ? 3 : 0,
    fourCcList: Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [],
    commandObject: obj,
  };
}
