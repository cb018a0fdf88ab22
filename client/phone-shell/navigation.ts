/**
 * The shell's navigation model: which place is in front (home, recents or
 * an app), each app's own stack of screens, and the recents list. Back
 * follows Android: inside an app it pops the app's previous screen, at an
 * app's first screen it goes home (the app stays in recents); from recents
 * it returns to where recents was opened. Pure: the views render whatever
 * current() says after each call.
 */
export const APP_IDS = ['browser', 'notes', 'phone', 'settings', 'latency'] as const;
export type AppId = (typeof APP_IDS)[number];
export const isAppId = (v: unknown): v is AppId => (APP_IDS as readonly unknown[]).includes(v);

/** One screen of an app; `data` says which one (a note id, a page address, a number). */
export type ScreenEntry = { screen: string; data?: string };

export type Place = 'home' | 'recents' | AppId;

export type Current = { place: 'home' } | { place: 'recents'; recents: AppId[] } | { place: 'app'; app: AppId; entry: ScreenEntry; depth: number };

export type BackResult = 'popped' | 'home' | 'left-recents' | 'none';

export const MAX_SCREEN_DEPTH = 50;

export class Navigation {
  private place: Place = 'home';
  /** Where recents was opened from, to return there on back or a second recents press. */
  private beforeRecents: 'home' | AppId = 'home';
  private readonly stacks = new Map<AppId, ScreenEntry[]>();
  /** Most recently used first. */
  private recentApps: AppId[] = [];

  constructor(private readonly rootScreen: (app: AppId) => ScreenEntry) {}

  current(): Current {
    if (this.place === 'home') return { place: 'home' };
    if (this.place === 'recents') return { place: 'recents', recents: [...this.recentApps] };
    const stack = this.stack(this.place);
    return { place: 'app', app: this.place, entry: stack.at(-1) ?? this.rootScreen(this.place), depth: stack.length };
  }

  /** The app in front, if any. */
  get app(): AppId | undefined {
    return this.place === 'home' || this.place === 'recents' ? undefined : this.place;
  }

  get recents(): AppId[] {
    return [...this.recentApps];
  }

  /** The top screen of `app` (its root if it has never been opened). */
  topOf(app: AppId): ScreenEntry {
    return this.stacks.get(app)?.at(-1) ?? this.rootScreen(app);
  }

  /** Brings `app` to the front where it was left (its first screen if it is not in recents). */
  open(app: AppId): void {
    this.stack(app);
    this.recentApps = [app, ...this.recentApps.filter((a) => a !== app)];
    this.place = app;
  }

  /**
   * Opens another screen on top of `app` (default: the app in front). An
   * app that is not open (home, recents, or closed) is left alone, so a
   * page that finishes loading in the background cannot push onto another
   * app's stack.
   */
  push(entry: ScreenEntry, app: AppId | undefined = this.app): void {
    if (!app || !this.stacks.has(app)) return;
    const stack = this.stack(app);
    stack.push(entry);
    if (stack.length > MAX_SCREEN_DEPTH) stack.splice(1, 1); // keep the root, forget the oldest
  }

  /** Replaces the top screen of `app` (same depth: back skips the old one). */
  replace(entry: ScreenEntry, app: AppId | undefined = this.app): void {
    if (!app || !this.stacks.has(app)) return;
    const stack = this.stack(app);
    stack[stack.length - 1] = entry;
  }

  back(): BackResult {
    if (this.place === 'home') return 'none';
    if (this.place === 'recents') {
      this.place = this.beforeRecents;
      return 'left-recents';
    }
    const stack = this.stack(this.place);
    if (stack.length > 1) {
      stack.pop();
      return 'popped';
    }
    this.place = 'home';
    return 'home';
  }

  home(): void {
    this.place = 'home';
  }

  /** Opens recents; pressed again, returns to where it was opened from. */
  toggleRecents(): void {
    if (this.place === 'recents') {
      this.place = this.beforeRecents;
      return;
    }
    this.beforeRecents = this.place;
    this.place = 'recents';
  }

  /** Removes `app` from recents and forgets its screens (it restarts at its first screen). */
  close(app: AppId): void {
    this.recentApps = this.recentApps.filter((a) => a !== app);
    this.stacks.delete(app);
    if (this.beforeRecents === app) this.beforeRecents = 'home';
    if (this.place === app) this.place = 'home';
  }

  closeAll(): void {
    for (const app of [...this.recentApps]) this.close(app);
  }

  private stack(app: AppId): ScreenEntry[] {
    let s = this.stacks.get(app);
    if (!s) {
      s = [this.rootScreen(app)];
      this.stacks.set(app, s);
    }
    return s;
  }
}
