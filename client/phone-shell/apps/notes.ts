/**
 * Notes: a list (tap to edit, long press to delete, + to create) and an
 * editor with a title and a body. Every keystroke updates the store, which
 * saves shortly after (notesStore.ts).
 */
import { h } from '../dom.ts';
import { bindLongPress } from '../gestures.ts';
import { icon } from '../icons.ts';
import type { ScreenEntry } from '../navigation.ts';
import { type Note, noteLabel } from '../notesStore.ts';
import type { AppView, ShellContext } from './types.ts';

export class NotesApp implements AppView {
  readonly id = 'notes' as const;
  readonly title = 'Notes';
  readonly root: ScreenEntry = { screen: 'list' };
  readonly el: HTMLElement;
  private readonly listScreen: HTMLElement;
  private readonly list: HTMLElement;
  private readonly editScreen: HTMLElement;
  private readonly titleInput: HTMLInputElement;
  private readonly bodyInput: HTMLTextAreaElement;
  private editingId: string | undefined;

  constructor(private readonly ctx: ShellContext) {
    this.list = h('ul', { class: 'note-list scroll-y', attrs: { 'data-testid': 'note-list' } });
    const add = h('button', { class: 'fab', attrs: { type: 'button', 'aria-label': 'New note', 'data-testid': 'note-new' } }, icon('plus'));
    add.addEventListener('click', () => this.createNote());
    this.listScreen = h('div', { class: 'screen' }, h('div', { class: 'app-bar' }, h('h1', { text: 'Notes' })), this.list, add);

    this.titleInput = h('input', {
      class: 'note-title',
      attrs: { type: 'text', placeholder: 'Title', enterkeyhint: 'next', autocomplete: 'off', 'data-testid': 'note-title', 'aria-label': 'Title' },
    });
    this.bodyInput = h('textarea', { class: 'note-body scroll-y', attrs: { placeholder: 'Note', 'data-testid': 'note-body', 'aria-label': 'Note' } });
    // The title is a one-line form: Enter (on-screen or real) moves on to the body.
    const titleForm = h('form', { class: 'note-title-form', attrs: { novalidate: '' } }, this.titleInput);
    titleForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this.bodyInput.focus();
    });
    this.titleInput.addEventListener('input', () => this.save());
    this.bodyInput.addEventListener('input', () => this.save());
    const del = h('button', { class: 'icon-button', attrs: { type: 'button', 'aria-label': 'Delete note', 'data-testid': 'note-delete' } }, icon('trash'));
    del.addEventListener('click', () => this.editingId && void this.askDelete(this.editingId, true));
    this.editScreen = h('div', { class: 'screen note-editor' }, h('div', { class: 'app-bar' }, titleForm, del), this.bodyInput);

    this.el = h('section', { class: 'app app-notes', attrs: { 'data-testid': 'app-notes-view' } }, this.listScreen, this.editScreen);
    ctx.notes.onChange(() => {
      if (!this.listScreen.hidden) this.renderList();
    });
  }

  show(entry: ScreenEntry): void {
    const note = entry.screen === 'edit' && entry.data ? this.ctx.notes.get(entry.data) : undefined;
    if (this.editingId && this.editingId !== note?.id) this.ctx.notes.removeIfEmpty(this.editingId);
    this.editingId = note?.id;
    this.listScreen.hidden = note !== undefined;
    this.editScreen.hidden = note === undefined;
    if (note) this.fillEditor(note);
    else this.renderList();
  }

  hide(): void {
    if (this.editingId) this.ctx.notes.flush();
  }

  describe(entry: ScreenEntry): string {
    const note = entry.screen === 'edit' && entry.data ? this.ctx.notes.get(entry.data) : undefined;
    return note ? noteLabel(note) : `${this.ctx.notes.count} notes`;
  }

  private fillEditor(note: Note): void {
    // Only when switching notes: rewriting the value under the caret would move it.
    if (this.titleInput.dataset.noteId === note.id) return;
    this.titleInput.dataset.noteId = note.id;
    this.titleInput.value = note.title;
    this.bodyInput.value = note.body;
  }

  private save(): void {
    if (this.editingId) this.ctx.notes.update(this.editingId, { title: this.titleInput.value, body: this.bodyInput.value });
  }

  private createNote(): void {
    const note = this.ctx.notes.create();
    delete this.titleInput.dataset.noteId;
    this.ctx.nav.push({ screen: 'edit', data: note.id });
    this.ctx.render();
    this.titleInput.focus();
  }

  private renderList(): void {
    const notes = this.ctx.notes.list();
    if (notes.length === 0) {
      this.list.replaceChildren(h('li', { class: 'empty', text: 'No notes yet. Tap + to write one.' }));
      return;
    }
    this.list.replaceChildren(...notes.map((n) => this.listItem(n)));
  }

  private listItem(note: Note): HTMLElement {
    const excerpt = note.title.trim() ? (note.body.trim().split('\n', 1)[0] ?? '') : '';
    const li = h(
      'li',
      { class: 'note-item', attrs: { 'data-note-id': note.id, 'data-testid': 'note-item', role: 'button', tabindex: '0' } },
      h('span', { class: 'note-item-title', text: noteLabel(note) }),
      excerpt ? h('span', { class: 'note-item-excerpt', text: excerpt }) : null,
      h('span', { class: 'note-item-date', text: new Date(note.updatedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) }),
    );
    li.addEventListener('click', () => {
      this.ctx.nav.push({ screen: 'edit', data: note.id });
      this.ctx.render();
    });
    bindLongPress(li, () => void this.askDelete(note.id, false));
    return li;
  }

  private async askDelete(id: string, fromEditor: boolean): Promise<void> {
    const note = this.ctx.notes.get(id);
    if (!note) return;
    const ok = await this.ctx.confirm({ title: 'Delete this note?', message: noteLabel(note), okLabel: 'Delete', danger: true });
    if (!ok) return;
    this.ctx.notes.remove(id);
    if (fromEditor) {
      this.editingId = undefined;
      this.ctx.nav.back();
      this.ctx.render();
    }
  }
}
