/**
 * The argument of each UI request, checked. Requests arrive over a WebSocket
 * or Electron IPC, so every argument is untrusted: each parser takes
 * `unknown` and returns the request's typed argument or throws
 * UiError('bad-request') saying what is wrong. A request missing from
 * {@link REQUEST_ARGS} fails to compile.
 */
import { RECORD_FORMATS, isRecordFormat } from '../contract/recording-format.js';
import { FOLLOW_MAX, TIMELINE_PAGE_MAX } from '../contract/limits.js';
import type { UiRequestName, UiRequests } from '../contract/ui.js';
import { checkSettingsChange } from './settings.js';
import { UiError } from './ui-error.js';

/** One argument parser per request, typed by the request. */
export type RequestArgParsers = { [K in UiRequestName]: (arg: unknown) => UiRequests[K]['req'] };

/** The argument as an object of its own fields (not an array, not null); `what` names the request in the error. */
function fields(arg: unknown, what: string): Record<string, unknown> {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) throw new UiError('bad-request', `${what} takes an object argument`);
  return arg as Record<string, unknown>;
}

/**
 * A field the argument itself holds. Why not `obj[key]`: that walks the
 * prototype chain, so `toString` or `constructor` would be "present" on any
 * object; only fields the sender put there count.
 */
function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function streamPath(arg: unknown, what: string): string {
  const p = own(fields(arg, what), 'path');
  if (typeof p !== 'string' || p === '') throw new UiError('bad-request', 'a stream path ("app/key") is required');
  return p;
}

/** Every request's argument parser. */
export const REQUEST_ARGS: RequestArgParsers = {
  // Nothing to read: the argument is ignored (clients send undefined or null).
  snapshot: () => undefined,
  'set-settings': (arg) => checkSettingsChange(arg),
  preview: (arg) => {
    // No argument, or no path, stops the preview, as a null path does.
    if (arg === undefined || arg === null) return { path: null };
    const p = own(fields(arg, 'preview'), 'path') ?? null;
    if (p !== null && (typeof p !== 'string' || p === '')) throw new UiError('bad-request', 'path must be a string or null');
    return { path: p };
  },
  'start-recording': (arg) => {
    const format = arg && typeof arg === 'object' ? own(arg as Record<string, unknown>, 'format') : undefined;
    if (format !== undefined && !isRecordFormat(format)) throw new UiError('bad-request', `format must be one of ${RECORD_FORMATS.join(', ')}`);
    return format === undefined ? { path: streamPath(arg, 'start-recording') } : { path: streamPath(arg, 'start-recording'), format };
  },
  'stop-recording': (arg) => ({ path: streamPath(arg, 'stop-recording') }),
  timeline: (arg) => {
    const f = fields(arg, 'timeline');
    const id = own(f, 'connectionId');
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new UiError('bad-request', 'connectionId must be a number');
    const out: UiRequests['timeline']['req'] = { connectionId: id };
    const from = own(f, 'from');
    if (from !== undefined) {
      if (typeof from !== 'number' || !Number.isSafeInteger(from) || from < 0) throw new UiError('bad-request', 'from must be a position (an integer, 0 or more)');
      out.from = from;
    }
    const count = own(f, 'count');
    if (count !== undefined) {
      if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1 || count > TIMELINE_PAGE_MAX) {
        throw new UiError('bad-request', `count must be an integer from 1 to ${TIMELINE_PAGE_MAX}`);
      }
      out.count = count;
    }
    return out;
  },
  follow: (arg) => {
    const ids = own(fields(arg, 'follow'), 'connectionIds');
    if (ids === null) return { connectionIds: null };
    if (!Array.isArray(ids) || ids.length > FOLLOW_MAX || !ids.every((id) => typeof id === 'number' && Number.isSafeInteger(id))) {
      throw new UiError('bad-request', `connectionIds must be null or a list of at most ${FOLLOW_MAX} connection ids`);
    }
    return { connectionIds: [...(ids as number[])] };
  },
  'open-folder': (arg) => {
    if (arg === undefined || arg === null) return {};
    const p = own(fields(arg, 'open-folder'), 'path');
    if (p === undefined) return {};
    if (typeof p !== 'string' || p === '') throw new UiError('bad-request', 'path must be a file or folder path');
    return { path: p };
  },
  // Nothing to read: the folder comes from the OS's dialog, never from the page.
  'choose-folder': () => undefined,
  'open-external': (arg) => {
    const url = own(fields(arg, 'open-external'), 'url');
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new UiError('bad-request', 'only http(s) URLs can be opened');
    return { url };
  },
  // Nothing to read, as for snapshot.
  ping: () => undefined,
  'timeline-at': (arg) => {
    const f = fields(arg, 'timeline-at');
    const id = own(f, 'connectionId');
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw new UiError('bad-request', 'connectionId must be a number');
    const atMs = own(f, 'atMs');
    if (typeof atMs !== 'number' || !Number.isFinite(atMs) || atMs < 0) throw new UiError('bad-request', 'atMs must be a time (ms since the accept, 0 or more)');
    return { connectionId: id, atMs };
  },
};

/** True for a name the contract defines (own keys only: 'constructor' or '__proto__' are not requests). */
export function isRequestName(name: string): name is UiRequestName {
  return Object.hasOwn(REQUEST_ARGS, name);
}
