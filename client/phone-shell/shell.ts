/**
 * The shell's frame: status bar, the screen area (home, recents or an
 * app), the on-screen keyboard and the nav bar, tied to the navigation
 * model. Each navigation change calls render(), which shows the place in
 * front and lets the app show its top screen.
 */
import type { NavAction } from '../../protocol/input.ts';
import type { PhoneShellState } from './api.ts';
import { BrowserApp } from './apps/browser.ts';
import { LatencyApp } from './apps/latency.ts';
import { NotesApp } from './apps/notes.ts';
import { PhoneApp } from './apps/phone.ts';
import { SettingsApp } from './apps/settings.ts';
import type { AppView, ShellContext } from './apps/types.ts';
import type { DialRecents } from './dialerModel.ts';
import { focusedTextField, h } from './dom.ts';
import { APP_IDS, type AppId, Navigation } from './navigation.ts';
import type { NotesStore } from './notesStore.ts';
import type { SettingsStore } from './settingsStore.ts';
import { Dialog } from './ui/dialog.ts';
import { homeScreen } from './ui/home.ts';
import { OnScreenKeyboard } from './ui/keyboard.ts';
import { navBar } from './ui/navBar.ts';
import { RecentsView } from './ui/recents.ts';
import { StatusBar } from './ui/statusBar.ts';

export type ShellDeps = {
  notes: NotesStore;
  settings: SettingsStore;
  dialRecents: DialRecents;
  instanceName: string;
  watchFrameInput(win: Window): void;
};

export class Shell {
  readonly el: HTMLElement;
  readonly keyboard = new OnScreenKeyboard();
  private readonly nav: Navigation;
  private readonly apps: Record<AppId, AppView>;
  private readonly dialog = new Dialog();
  private readonly statusBar: StatusBar;
  private readonly home: HTMLElement;
  private readonly recents: RecentsView;
  private front: AppId | undefined;

  constructor(private readonly deps: ShellDeps) {
    // The apps' first screens are the navigation's roots; it asks for them only once the apps exist.
    this.nav = new Navigation((app) => this.apps[app].root);
    const ctx: ShellContext = {
      nav: this.nav,
      render: () => this.render(),
      notes: deps.notes,
      settings: deps.settings,
      dialRecents: deps.dialRecents,
      confirm: (opts) => this.dialog.confirm(opts),
      instanceName: deps.instanceName,
      watchFrameInput: (win) => deps.watchFrameInput(win),
    };
    const apps: Record<AppId, AppView> = {
      browser: new BrowserApp(ctx),
      notes: new NotesApp(ctx),
      phone: new PhoneApp(ctx),
      settings: new SettingsApp(ctx),
      latency: new LatencyApp(),
    };
    this.apps = apps;

    this.statusBar = new StatusBar(deps.instanceName);
    this.home = homeScreen(
      APP_IDS.map((id) => ({ id, title: apps[id].title })),
      (app) => this.openApp(app),
    );
    this.recents = new RecentsView({
      open: (app) => this.openApp(app),
      close: (app) => this.closeApp(app),
      closeAll: () => {
        for (const app of this.nav.recents) this.closeApp(app);
      },
    });
    const screen = h(
      'main',
      { class: 'screen-area', attrs: { 'data-testid': 'screen' } },
      this.home,
      this.recents.el,
      ...APP_IDS.map((id) => apps[id].el),
      this.dialog.el,
    );
    this.el = h(
      'div',
      { class: 'phone', attrs: { id: 'phone' } },
      this.statusBar.el,
      screen,
      this.keyboard.el,
      navBar((a) => this.navigate(a)),
    );
    this.keyboard.onToggle((open) => this.el.classList.toggle('keyboard-open', open));
    this.listenKeys();
    // No desktop context menu on long presses: it is drawn outside the page and would cover the phone.
    window.addEventListener('contextmenu', (e) => e.preventDefault());
  }

  start(): void {
    this.statusBar.start();
    this.render();
  }

  openApp(app: AppId): void {
    this.nav.open(app);
    this.render();
  }

  navigate(action: NavAction): void {
    if (this.dialog.open) {
      this.dialog.close(false);
      if (action === 'back') return; // back closes the dialog and nothing else
    }
    switch (action) {
      case 'back':
        if (this.keyboard.dismiss()) return; // as on Android: back hides the keyboard first
        this.nav.back();
        break;
      case 'home':
        this.keyboard.dismiss();
        this.nav.home();
        break;
      case 'recents':
        this.keyboard.dismiss();
        this.nav.toggleRecents();
        break;
    }
    this.render();
  }

  state(appliedInputTs: number): PhoneShellState {
    const cur = this.nav.current();
    const app = cur.place === 'app' ? cur.app : cur.place;
    const screen = cur.place === 'app' ? cur.entry.screen : cur.place;
    return { app, screen, notes: this.deps.notes.count, theme: this.deps.settings.get().theme, keyboardOpen: this.keyboard.isOpen, appliedInputTs };
  }

  private closeApp(app: AppId): void {
    if (app === 'notes') this.deps.notes.flush();
    this.apps[app].hide?.();
    this.nav.close(app);
    if (this.front === app) this.front = undefined;
    this.render();
  }

  private render(): void {
    const cur = this.nav.current();
    const app = cur.place === 'app' ? cur.app : undefined;
    if (this.front && this.front !== app) this.apps[this.front].hide?.();
    this.front = app;
    this.home.hidden = cur.place !== 'home';
    this.recents.el.hidden = cur.place !== 'recents';
    for (const id of APP_IDS) this.apps[id].el.hidden = id !== app;
    if (cur.place === 'app') this.apps[cur.app].show(cur.entry);
    if (cur.place === 'recents') {
      this.recents.render(cur.recents.map((id) => ({ id, title: this.apps[id].title, detail: this.apps[id].describe(this.nav.topOf(id)) })));
    }
    // A field that just went out of sight must not keep the keyboard open.
    const field = focusedTextField();
    if (field?.closest('[hidden]')) field.blur();
    document.body.dataset.place = app ?? cur.place;
  }

  private listenKeys(): void {
    window.addEventListener('keydown', (e) => {
      if (e.defaultPrevented) return;
      const typing = focusedTextField() !== undefined;
      if (e.key === 'BrowserBack' || e.key === 'Escape') {
        e.preventDefault(); // also keeps Chromium from acting on BrowserBack itself
        this.navigate('back');
      } else if (e.key === 'BrowserHome' || (e.key === 'Home' && !typing)) {
        e.preventDefault();
        this.navigate('home');
      } else if (!typing && !(document.activeElement instanceof HTMLButtonElement) && this.front && this.apps[this.front].onKey?.(e)) {
        e.preventDefault();
      }
    });
  }
}
