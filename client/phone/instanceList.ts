/**
 * The list view (phone.html #list-view): the subscriber's phones with
 * their state and last use, Open / Stop / Delete (delete asks first, in
 * the row: a browser dialog is easy to tap through on a phone), the "New
 * phone" form with the `n of max` limit, and a notice line for what just
 * happened (a phone that stopped, an error from the broker).
 *
 * Test ids: each row is `instance` (with data-instance-id, data-name,
 * data-phase); inside it `instance-open`, `instance-stop`,
 * `instance-delete`, `instance-delete-confirm`, `instance-delete-cancel`.
 * The buttons also have ids: open-<id>, stop-<id>, delete-<id>, confirm-delete-<id>.
 */
import type { InstanceView, PhoneHome } from '../../protocol/phone.ts';
import { byId } from './dom.ts';
import { formatLastUsed, phaseLabel } from './phoneMessages.ts';
import type { ScreenText } from './phoneMessages.ts';

export type InstanceListHandlers = {
  open(instance: InstanceView): void;
  stop(instance: InstanceView): void;
  remove(instance: InstanceView): void;
  /** Resolves to an error to show under the form, or undefined when the phone was made. */
  create(name: string): Promise<{ text: ScreenText; code: string } | undefined>;
};

/** The broker's limit on names (sessions/phone/instances.ts MAX_INSTANCE_NAME_CHARS). */
export const MAX_NAME_CHARS = 40;

export type NoticeKind = 'info' | 'error';

export class InstanceList {
  readonly root: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLParagraphElement;
  private readonly limit: HTMLSpanElement;
  private readonly notice: HTMLDivElement;
  private readonly noticeTitle: HTMLElement;
  private readonly noticeDetail: HTMLSpanElement;
  private readonly form: HTMLFormElement;
  private readonly nameField: HTMLInputElement;
  private readonly submit: HTMLButtonElement;
  private readonly formError: HTMLParagraphElement;
  private readonly formNote: HTMLParagraphElement;
  /** Instance ids with an action under way: their buttons are disabled. */
  private readonly busy = new Set<string>();
  private home: PhoneHome | undefined;
  private creating = false;
  /** The row asking "Delete?", kept across re-renders (the list refreshes by itself). */
  private confirming: string | undefined;

  constructor(
    private readonly doc: Document,
    private readonly handlers: InstanceListHandlers,
  ) {
    this.root = byId(doc, 'list-view', HTMLElement);
    this.list = byId(doc, 'instances', HTMLUListElement);
    this.empty = byId(doc, 'instances-empty', HTMLParagraphElement);
    this.limit = byId(doc, 'instance-limit', HTMLSpanElement);
    this.notice = byId(doc, 'notice', HTMLDivElement);
    this.noticeTitle = byId(doc, 'notice-title', HTMLElement);
    this.noticeDetail = byId(doc, 'notice-detail', HTMLSpanElement);
    this.form = byId(doc, 'new-phone-form', HTMLFormElement);
    this.nameField = byId(doc, 'new-phone-name', HTMLInputElement);
    this.submit = byId(doc, 'new-phone-submit', HTMLButtonElement);
    this.formError = byId(doc, 'new-phone-error', HTMLParagraphElement);
    this.formNote = byId(doc, 'new-phone-note', HTMLParagraphElement);
    this.nameField.maxLength = MAX_NAME_CHARS;
    byId(doc, 'notice-close', HTMLButtonElement).addEventListener('click', () => this.setNotice(undefined));
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.onCreate();
    });
    this.nameField.addEventListener('input', () => this.setFormError(undefined));
  }

  show(): void {
    this.root.hidden = false;
  }

  hide(): void {
    this.root.hidden = true;
  }

  /** The line above the list; undefined hides it. Errors carry their code as data-error-code. */
  setNotice(text: ScreenText | undefined, kind: NoticeKind = 'info', code?: string): void {
    this.notice.hidden = text === undefined;
    this.notice.dataset.kind = kind;
    if (code) this.notice.dataset.errorCode = code;
    else delete this.notice.dataset.errorCode;
    this.noticeTitle.textContent = text?.title ?? '';
    this.noticeDetail.textContent = text?.detail ?? '';
  }

  setBusy(instanceId: string, busy: boolean): void {
    if (busy) this.busy.add(instanceId);
    else this.busy.delete(instanceId);
    if (this.home) this.render(this.home);
  }

  render(home: PhoneHome, nowMs = Date.now()): void {
    this.home = home;
    const rows = home.instances.map((i) => this.row(i, nowMs));
    this.list.replaceChildren(...rows);
    this.empty.hidden = rows.length > 0;
    const n = home.instances.length;
    this.limit.textContent = `${n} of ${home.maxInstances} phone${home.maxInstances === 1 ? '' : 's'}`;
    this.limit.dataset.count = String(n);
    this.limit.dataset.max = String(home.maxInstances);
    const full = n >= home.maxInstances;
    this.nameField.disabled = full || this.creating;
    this.submit.disabled = full || this.creating;
    this.formNote.hidden = !full;
    this.formNote.textContent = full ? `You have ${n} of ${home.maxInstances} phones, as many as your plan allows. Delete one to make a new one.` : '';
  }

  private row(i: InstanceView, nowMs: number): HTMLLIElement {
    const doc = this.doc;
    const busy = this.busy.has(i.instanceId);
    const li = doc.createElement('li');
    li.className = 'instance';
    li.id = `instance-${i.instanceId}`;
    li.dataset.testid = 'instance';
    li.dataset.instanceId = i.instanceId;
    li.dataset.name = i.name;
    li.dataset.phase = i.phase;
    li.dataset.connected = String(i.connected === true);
    if (busy) li.setAttribute('aria-busy', 'true');

    const info = doc.createElement('div');
    info.className = 'instance-info';
    const name = doc.createElement('span');
    name.className = 'instance-name';
    name.dataset.testid = 'instance-name';
    name.textContent = i.name || 'Unnamed phone';
    const phase = doc.createElement('span');
    phase.className = `instance-phase phase-${i.phase}`;
    phase.dataset.testid = 'instance-phase';
    phase.textContent = phaseLabel(i);
    const used = doc.createElement('span');
    used.className = 'instance-used';
    const ago = formatLastUsed(i.lastUsedAt, nowMs);
    used.textContent = ago ? `Used ${ago}` : '';
    info.append(name, phase, used);

    const actions = doc.createElement('div');
    actions.className = 'instance-actions';
    const open = this.button('Open', 'instance-open', `open-${i.instanceId}`, 'primary', busy, () => this.handlers.open(i));
    const stop = this.button('Stop', 'instance-stop', `stop-${i.instanceId}`, '', busy, () => this.handlers.stop(i));
    stop.hidden = i.phase === 'stopped';
    const asking = (yes: boolean) => {
      this.confirming = yes ? i.instanceId : undefined;
      confirm.hidden = !yes;
      actions.hidden = yes;
    };
    const del = this.button('Delete', 'instance-delete', `delete-${i.instanceId}`, 'quiet', busy, () => {
      asking(true);
      confirmYes.focus();
    });
    actions.append(open, stop, del);

    const confirm = doc.createElement('div');
    confirm.className = 'instance-confirm';
    confirm.dataset.testid = 'delete-confirm';
    const question = doc.createElement('p');
    question.textContent = `Delete “${i.name || 'Unnamed phone'}”? Its apps and data are erased for good.`;
    const confirmYes = this.button('Delete', 'instance-delete-confirm', `confirm-delete-${i.instanceId}`, 'danger', busy, () => {
      this.confirming = undefined;
      this.handlers.remove(i);
    });
    const confirmNo = this.button('Keep', 'instance-delete-cancel', `cancel-delete-${i.instanceId}`, '', false, () => asking(false));
    const confirmButtons = doc.createElement('div');
    confirmButtons.className = 'instance-actions';
    confirmButtons.append(confirmYes, confirmNo);
    confirm.append(question, confirmButtons);
    confirm.hidden = this.confirming !== i.instanceId;
    actions.hidden = !confirm.hidden;

    li.append(info, actions, confirm);
    return li;
  }

  private button(text: string, testid: string, id: string, variant: string, disabled: boolean, onClick: () => void): HTMLButtonElement {
    const b = this.doc.createElement('button');
    b.type = 'button';
    b.className = `button ${variant}`.trim();
    b.textContent = text;
    b.id = id;
    b.dataset.testid = testid;
    b.disabled = disabled;
    b.addEventListener('click', onClick);
    return b;
  }

  private setFormError(text: ScreenText | undefined, code?: string): void {
    this.formError.hidden = text === undefined;
    this.formError.textContent = text ? `${text.title}. ${text.detail}` : '';
    if (code) this.formError.dataset.errorCode = code;
    else delete this.formError.dataset.errorCode;
  }

  private async onCreate(): Promise<void> {
    if (this.creating) return;
    const name = this.nameField.value.trim();
    if (name === '') {
      this.setFormError({ title: 'Name needed', detail: 'Give the new phone a name, e.g. Work.' }, 'bad-request');
      this.nameField.focus();
      return;
    }
    this.creating = true;
    this.submit.disabled = true;
    this.setFormError(undefined);
    try {
      const err = await this.handlers.create(name);
      if (err) this.setFormError(err.text, err.code);
      else this.nameField.value = '';
    } finally {
      this.creating = false;
      if (this.home) this.render(this.home);
      else this.submit.disabled = false;
    }
  }
}
