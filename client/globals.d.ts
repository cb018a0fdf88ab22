/**
 * The globals our pages publish, declared once for the pages and for the
 * tests and QA tools that read them (Playwright's page.evaluate runs in the page).
 */
import type { EdgeplayHook } from './hook.ts';
import type { EdgeplayPhoneHook } from './phone/phoneHook.ts';
import type { PhoneShellApi } from './phone-shell/api.ts';

declare global {
  interface Window {
    /** The streaming session's state, on the game page and in the phone app (client/hook.ts). */
    edgeplay?: EdgeplayHook;
    /** The phone app's own state (client/phone/phoneHook.ts). */
    edgeplayPhone?: EdgeplayPhoneHook;
    /** What the phone shell lets its launcher and the tests call (client/phone-shell/api.ts). */
    phoneShell?: PhoneShellApi;
  }
}
