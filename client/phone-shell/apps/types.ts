/** What the shell gives an app, and what an app gives the shell. */
import type { DialRecents } from '../dialerModel.ts';
import type { AppId, Navigation, ScreenEntry } from '../navigation.ts';
import type { NotesStore } from '../notesStore.ts';
import type { SettingsStore } from '../settingsStore.ts';
import type { ConfirmOptions } from '../ui/dialog.ts';

export type ShellContext = {
  nav: Navigation;
  /** Re-renders after the app changed the navigation (push, back...). */
  render(): void;
  notes: NotesStore;
  settings: SettingsStore;
  dialRecents: DialRecents;
  confirm(opts: ConfirmOptions): Promise<boolean>;
  /** The instance's name from `?name=`, or ''. */
  instanceName: string;
  /** Makes input inside a same-origin frame count for the latency stamp's row 1. */
  watchFrameInput(win: Window): void;
};

export interface AppView {
  readonly id: AppId;
  readonly title: string;
  /** The app's root, mounted once in the screen area; hidden while another place is in front. */
  readonly el: HTMLElement;
  /** The first screen of the app. */
  readonly root: ScreenEntry;
  /** Shows `entry` (called each time the app comes to the front or its top screen changes). */
  show(entry: ScreenEntry): void;
  /** The app left the front. */
  hide?(): void;
  /** A key while the app is in front and no text field is focused; true when handled. */
  onKey?(e: KeyboardEvent): boolean;
  /** One line about `entry` for its recents card. */
  describe(entry: ScreenEntry): string;
}
