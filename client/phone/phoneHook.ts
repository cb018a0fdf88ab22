/**
 * `window.edgeplayPhone`: the phone app's own state for tests and QA tools,
 * next to `window.edgeplay` (client/hook.ts, the streaming session's state,
 * shared with the game player). `document.body.dataset.view` mirrors `view`.
 */
import type { InstanceView } from '../../protocol/phone.ts';
import type { Rect } from '../letterbox.ts';
import type { NavPlacement, Size } from './layout.ts';

/** 'loading': before the first answer from the broker. */
export type PhoneAppView = 'loading' | 'list' | 'phone' | 'error';

export type EdgeplayPhoneHook = {
  view: PhoneAppView;
  /** The list as last fetched. */
  instances: InstanceView[];
  maxInstances?: number;
  /** The instance shown (or being opened) in the phone view. */
  openInstanceId?: string;
  /** Times the open instance's picture came back after its connection dropped (reset when another is opened). */
  reconnects: number;
  /** Reconnect attempts for the open instance (each /open again), successful or not. */
  reconnectAttempts: number;
  /** The error screen's code ('no-token', 'token-expired', ...) when view is 'error'. */
  errorCode?: string;
  /** The list's notice line, when shown. */
  notice?: { kind: 'info' | 'error'; title: string; detail: string; code?: string };
  /** Where the phone picture is, in client CSS px, and how the stream maps onto it: tests tap with it. */
  layout?: { picture: Rect; navPlacement: NavPlacement; frame: Size; hiddenRows: number };
};

export function installPhoneHook(win: Window): EdgeplayPhoneHook {
  const hook: EdgeplayPhoneHook = { view: 'loading', instances: [], reconnects: 0, reconnectAttempts: 0 };
  win.edgeplayPhone = hook;
  win.document.body.dataset.view = hook.view;
  return hook;
}

export function setView(hook: EdgeplayPhoneHook, view: PhoneAppView, doc: Document): void {
  hook.view = view;
  doc.body.dataset.view = view;
}
