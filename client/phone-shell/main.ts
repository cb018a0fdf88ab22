/**
 * The phone shell's entry point (bundled into shell.js): starts the latency
 * stamp, reads the profile's data (profileStorage.ts), builds the shell and
 * installs window.phoneShell for the launcher.
 */
import { NAV_ACTIONS } from '../../protocol/input.ts';
import { installApi } from './api.ts';
import { DIAL_RECENTS_KEY, DialRecents } from './dialerModel.ts';
import { InputTsTracker } from './inputTs.ts';
import { watchInput } from './inputWatch.ts';
import { NOTES_KEY, NotesStore } from './notesStore.ts';
import { instanceNameFrom } from './params.ts';
import { openIndexedDbBackend, ProfileStorage } from './profileStorage.ts';
import { SETTINGS_KEY, SettingsStore } from './settingsStore.ts';
import { Shell } from './shell.ts';
import { StampPainter } from './stamp.ts';
import { applySettings } from './theme.ts';

async function main(): Promise<void> {
  const inputTs = new InputTsTracker();
  const onInput = () => void inputTs.onInput();
  watchInput(window, onInput);

  const canvas = document.getElementById('stamp');
  if (!(canvas instanceof HTMLCanvasElement)) throw new Error('phone shell: #stamp canvas missing');
  new StampPainter(canvas, () => inputTs.applied).start();

  let local: Storage | undefined;
  try {
    local = window.localStorage;
  } catch {
    local = undefined; // storage disabled for this profile: data lives in IndexedDB or memory only
  }
  const storage = await ProfileStorage.open(await openIndexedDbBackend(), local, [NOTES_KEY, SETTINGS_KEY, DIAL_RECENTS_KEY]);
  const notes = new NotesStore({ storage });
  const settings = new SettingsStore(storage);
  applySettings(settings.get());
  settings.onChange(applySettings);
  const instanceName = instanceNameFrom(location.search);
  if (instanceName) document.title = instanceName;

  const shell = new Shell({ notes, settings, dialRecents: new DialRecents(storage), instanceName, watchFrameInput: (win) => watchInput(win, onInput) });
  document.body.append(shell.el);
  shell.start();

  // Typing saves after a short pause; leaving the page must not lose that pause's changes.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') notes.flush();
  });
  window.addEventListener('pagehide', () => notes.flush());

  installApi({
    setInputTs: (ts) => inputTs.setPending(ts),
    nav: (action) => {
      if (!NAV_ACTIONS.includes(action)) throw new TypeError(`phoneShell.nav: unknown action ${String(action)}`);
      inputTs.onInput(); // the launcher turns the subscriber's nav button into this call: it is the input
      shell.navigate(action);
    },
    state: () => shell.state(inputTs.applied),
  });
  document.documentElement.dataset.ready = 'true';
}

// The stamp and input watching start before the await above; the shell and its API once the profile's data is read.
void main();
