// One document: header (engine, trace id, claim), thumbnails, the page with overlays,
// the text layer, the fields, and the decisions. Keyboard shortcuts: help.ts.
import { getBlob, getJson, jobPath, patchJson, postJson, sendBeaconPost } from './api';
import { asReview, claim, claimLine, type ClaimOutcome } from './claim';
import { docKeys } from './dockeys';
import { h } from './dom';
import { applyPatched, buildFields, isLow } from './fields';
import { FieldPanel } from './fieldpanel';
import { isCell, newRow } from './lineitems';
import { humanize } from './format';
import { toggleHelp } from './help';
import { setViewKeys } from './keys';
import { showError, showNotice, showWarning } from './messages';
import { pickRejection } from './rejectdialog';
import { pickRerun } from './rerundialog';
import { goDoc, goQueue } from './router';
import { neighbour, nextQueued } from './navigation';
import { rejectReasons } from './state';
import { renderTextLayer } from './textlayer';
import { Thumbs } from './thumbs';
import type { BBox, FieldModel, FieldsResponse, Job, Result, Word } from './types';
import { syncToggleBoxes, toggleBoxes, toggleByKey, toggles } from './toggles';
import { PageViewer } from './viewer';
import { wordsText } from './wordpick';

let current: DocView | null = null;

export async function renderDoc(root: HTMLElement, id: string, page: number): Promise<void> {
  const view = new DocView(root, id);
  current = view;
  await view.load(page);
}

/** False when the open document has unsaved edits and the reviewer wants to stay. */
export function mayLeaveDoc(nextHash: string): boolean {
  return !current || current.mayLeave(nextHash);
}

/** Leaves the open document: gives its claim back unless it was decided. */
export async function leaveDoc(): Promise<void> {
  const v = current;
  current = null;
  await v?.dispose();
}

window.addEventListener('pagehide', () => current?.releaseOnUnload());
window.addEventListener('beforeunload', (e) => {
  if (current?.hasUnsavedEdits()) e.preventDefault();
});

class DocView {
  private job!: Job;
  private result!: Result;
  private fields: FieldModel[] = [];
  private edits = new Map<string, string>();
  private selected: string | null = null;
  private page = 1;
  private outcome: ClaimOutcome = { kind: 'skipped' };
  private decided = false;
  private busy = false;
  private images = new Map<number, Promise<string>>();
  private urls: string[] = [];
  private readonly viewer: PageViewer;
  private readonly panel: FieldPanel;
  private thumbs: Thumbs | null = null;
  private readonly textPane = h('section', { class: 'text-layer', 'aria-label': 'Recognized text' });
  private readonly zoomLabel = h('output', { class: 'zoom-label', 'aria-live': 'polite' }, '100%');
  private readonly saveButton = h('button', { type: 'button', class: 'save', 'aria-keyshortcuts': 's' }, 'Save edits');
  private readonly editReason = h('input', { id: 'edit-reason', type: 'text', placeholder: 'corrected in the review UI' });
  private readonly comment = h('input', { id: 'decision-comment', type: 'text' });
  private readonly decisionButtons: HTMLButtonElement[] = [];

  constructor(private readonly root: HTMLElement, private readonly id: string) {
    this.viewer = new PageViewer({
      onWordClick: (w, append) => this.wordClicked(w, append),
      onFieldBoxClick: (name) => this.selectField(name, true),
      onAreaSelect: (rect) => this.areaSelected(rect),
      onZoom: (s) => (this.zoomLabel.textContent = `${Math.round(s * 100)}%`),
    });
    this.panel = new FieldPanel({
      onSelect: (name) => this.selectField(name, false),
      onEdit: (name, value) => this.edited(name, value),
      onAddRow: () => this.addItemRow(),
    });
    root.replaceChildren(h('p', { class: 'loading', role: 'status' }, `Loading ${id}…`));
  }

  async load(page: number): Promise<void> {
    try {
      const [job, result, current] = await Promise.all([
        getJson<Job>(jobPath(this.id)),
        getJson<Result>(jobPath(this.id, '/result')),
        getJson<FieldsResponse>(jobPath(this.id, '/fields')),
      ]);
      this.job = job;
      this.result = result;
      this.fields = buildFields(result, current.fields ?? [], job.review);
    } catch (e) {
      this.root.replaceChildren(h('p', {}, h('a', { href: '#/queue' }, '← Back to the queue')));
      showError(e, `Opening ${this.id}`);
      return;
    }
    if (current !== this) return;
    this.outcome = await claim(this.id, this.job.review);
    if (this.outcome.kind === 'held') this.job.review = this.outcome.review;
    if (this.outcome.kind === 'failed') showError(this.outcome.error, 'Claim');
    if (current !== this) {
      await this.dispose();
      return;
    }
    this.build();
    this.installKeys();
    // Not awaited: a slow page image must not hold up the next navigation.
    void this.showPage(Math.min(Math.max(1, page), this.pages().length || 1)).then(() => this.preloadThumbs());
  }

  private pages() {
    return this.result.pages ?? [];
  }

  private editable(): boolean {
    return this.outcome.kind === 'held' && !this.decided;
  }

  // ---- layout ----

  private build(): void {
    const job = this.job;
    const engine = this.result.engine ? `${this.result.engine.name} ${this.result.engine.version}` : 'unknown';
    const review = job.review;
    const meta = h(
      'dl',
      { class: 'doc-meta' },
      ...pair('Type', job.doc_type || this.result.doc_type || '—'),
      ...pair('Review', review ? humanize(review.status) : '—', 'review-status'),
      ...pair('Engine', engine, 'engine'),
      ...(this.result.extractor_version ? pair('Extractor', this.result.extractor_version) : []),
      ...pair('Trace id', job.trace_id || '—', 'trace-id'),
      ...(review?.reasons.includes('sampled') ? pair('Why', 'picked by sampling') : []),
    );
    const header = h(
      'header',
      { class: 'doc-header' },
      h('button', { type: 'button', onclick: () => goQueue(), 'aria-keyshortcuts': 'q' }, '← Queue'),
      h('h1', { class: 'doc-title' }, h('span', { class: 'visually-hidden' }, 'Document '), this.id),
      h('div', { class: 'doc-nav' },
        h('button', { type: 'button', onclick: () => void this.stepDoc(-1), 'aria-keyshortcuts': '[' }, '[ Previous'),
        h('button', { type: 'button', onclick: () => void this.stepDoc(1), 'aria-keyshortcuts': ']' }, 'Next ]'),
        h('button', { type: 'button', class: 'rerun', onclick: () => void this.rerun() }, 'Re-run…'),
        h('button', { type: 'button', onclick: () => toggleHelp(), 'aria-keyshortcuts': '?', 'aria-label': 'Keyboard shortcuts' }, '?'),
      ),
      meta,
    );
    this.thumbs = new Thumbs(this.pages().length, (n) => void this.showPage(n));
    const viewerPane = h('section', { class: 'viewer-pane', 'aria-label': 'Page' }, this.toolbar(), this.viewer.el);
    const fieldPane = h('aside', { class: 'field-pane', 'aria-labelledby': 'fields-title' },
      h('h2', { id: 'fields-title', class: 'pane-title' }, 'Fields'),
      this.panel.el,
      this.actions(),
    );
    this.root.replaceChildren(
      h('div', { class: 'doc' },
        header,
        claimLine(this.outcome, job.review),
        h('div', { class: 'doc-body' }, this.thumbs.el, viewerPane, this.textPane, fieldPane),
      ),
    );
    this.renderFields();
    this.applyToggles();
  }

  private toolbar(): HTMLElement {
    return h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Overlays and zoom' },
      toggleBoxes(() => this.applyToggles()),
      h('div', { class: 'zoom' },
        h('button', { type: 'button', 'aria-label': 'Zoom out', onclick: () => this.viewer.zoomBy(1 / 1.25) }, '−'),
        this.zoomLabel,
        h('button', { type: 'button', 'aria-label': 'Zoom in', onclick: () => this.viewer.zoomBy(1.25) }, '+'),
        h('button', { type: 'button', onclick: () => this.viewer.fitWidth() }, 'Fit'),
      ),
    );
  }

  private actions(): HTMLElement {
    const editable = this.editable();
    this.saveButton.onclick = () => void this.save();
    const approve = h('button', { type: 'button', class: 'approve primary', 'aria-keyshortcuts': 'a', onclick: () => void this.approve() }, 'Approve');
    const reject = h('button', { type: 'button', class: 'reject danger', 'aria-keyshortcuts': 'r', onclick: () => void this.reject() }, 'Reject…');
    const release = h('button', { type: 'button', class: 'release', onclick: () => void this.release() }, 'Release claim');
    this.decisionButtons.push(approve, reject, release, this.saveButton);
    for (const b of this.decisionButtons) b.disabled = !editable;
    this.updateSaveButton();
    return h('div', { class: 'actions' },
      h('div', { class: 'edit-row' },
        h('label', { for: 'edit-reason' }, 'Reason for edits'), this.editReason, this.saveButton),
      h('div', { class: 'decision-row' },
        h('label', { for: 'decision-comment' }, 'Comment (optional)'), this.comment,
        h('div', { class: 'decision-buttons' }, approve, reject, release)),
    );
  }

  private renderFields(): void {
    this.panel.render(this.fields, this.edits, this.editable(), this.result.review?.threshold, this.selected);
    this.viewer.setFields(this.boxedFields());
    this.viewer.select(this.selected);
  }

  private applyToggles(): void {
    this.viewer.setToggles(toggles);
    this.textPane.hidden = !toggles.text;
    syncToggleBoxes();
  }

  // ---- pages ----

  private image(n: number): Promise<string> {
    let p = this.images.get(n);
    if (!p) {
      p = getBlob(jobPath(this.id, `/pages/${n}`)).then((blob) => {
        const u = URL.createObjectURL(blob);
        this.urls.push(u);
        this.thumbs?.setImage(n, u);
        return u;
      });
      this.images.set(n, p);
      p.catch(() => this.images.delete(n));
    }
    return p;
  }

  private async showPage(n: number): Promise<void> {
    const page = this.pages().find((p) => p.number === n) ?? this.pages()[n - 1];
    if (!page) return;
    this.page = page.number;
    this.thumbs?.setCurrent(page.number);
    renderTextLayer(this.textPane, page, (w, append) => this.wordClicked(w, append));
    history.replaceState(null, '', `#/doc/${encodeURIComponent(this.id)}${page.number > 1 ? `?page=${page.number}` : ''}`);
    try {
      const src = await this.image(page.number);
      if (current !== this || this.page !== page.number) return;
      await this.viewer.show(page, src, this.boxedFields());
      this.viewer.select(this.selected);
      this.viewer.el.dataset.ready = 'true';
    } catch (e) {
      showError(e, `Page ${page.number}`);
    }
  }

  /** Thumbnails of the first pages (each may make the server draw a page from the original). */
  private async preloadThumbs(): Promise<void> {
    for (const p of this.pages().slice(0, 12)) {
      if (current !== this) return;
      await this.image(p.number).catch(() => undefined);
    }
  }

  // ---- fields ----

  private selectField(name: string | null, focusInput: boolean): void {
    this.selected = name;
    this.panel.select(name, focusInput);
    const f = this.fields.find((x) => x.name === name);
    if (f && f.page && f.page !== this.page) void this.showPage(f.page).then(() => this.viewer.select(name));
    else this.viewer.select(name);
  }

  /** The fields drawn on the page: item cells are edited in the grid, not boxed (four
   * cells share their row's box). */
  private boxedFields(): FieldModel[] {
    return this.fields.filter((f) => !isCell(f.name));
  }

  private addItemRow(): string {
    const cells = newRow(this.fields);
    this.fields.push(...cells);
    this.renderFields();
    return cells[0].name;
  }

  private edited(name: string, value: string): void {
    const f = this.fields.find((x) => x.name === name);
    if (f && value === f.value) this.edits.delete(name);
    else this.edits.set(name, value);
    this.updateSaveButton();
  }

  private updateSaveButton(): void {
    this.saveButton.textContent = this.edits.size ? `Save edits (${this.edits.size})` : 'Save edits';
  }

  private wordClicked(word: Word, append: boolean): void {
    const name = this.fillTarget(() => this.viewer.fieldAt(word), 'click a word');
    if (!name) return;
    const now = this.panel.value(name);
    this.panel.setValue(name, append && now ? `${now} ${word.text}` : word.text);
  }

  /** Shift+drag: the words centred in the rectangle, in reading order, fill the field. */
  private areaSelected(rect: BBox): void {
    const name = this.fillTarget(() => this.viewer.fieldOverlapping(rect), 'Shift+drag around words');
    if (!name) return;
    const words = this.viewer.wordsIn(rect);
    if (words.length) this.panel.setValue(name, wordsText(words));
    else showNotice('No word has its centre inside the rectangle.');
  }

  /** The selected field, to fill; with none, selects the one `fallback` finds (else says how). */
  private fillTarget(fallback: () => string | null, gesture: string): string | null {
    if (!this.selected) {
      const f = fallback();
      if (f) this.selectField(f, false);
      else showNotice(`Select a field first (click it in the list or its box), then ${gesture} to fill it.`);
      return null;
    }
    if (!this.editable()) {
      showWarning('This document is read-only for you (no claim held).');
      return null;
    }
    return this.selected;
  }

  private nextLow(): void {
    const threshold = this.result.review?.threshold;
    const n = this.fields.length;
    if (!n) return;
    const start = this.selected ? this.fields.findIndex((f) => f.name === this.selected) : -1;
    for (let i = 1; i <= n; i++) {
      const f = this.fields[(start + i + n) % n];
      if (isLow(f, threshold) && !this.edits.has(f.name)) {
        this.selectField(f.name, true);
        return;
      }
    }
    showNotice('No other low-confidence field.');
  }

  // ---- decisions ----

  private async save(): Promise<boolean> {
    if (!this.edits.size) return true;
    const edited = new Set(this.edits.keys());
    try {
      const res = await patchJson<FieldsResponse>(jobPath(this.id, '/fields'), {
        fields: Object.fromEntries(this.edits),
        reason: this.editReason.value.trim() || 'corrected in the review UI',
      });
      this.fields = applyPatched(this.fields, res.fields ?? [], edited);
      this.edits.clear();
      this.updateSaveButton();
      this.renderFields();
      showNotice(`Saved ${edited.size} field${edited.size > 1 ? 's' : ''}: ${[...edited].join(', ')}.`);
      return true;
    } catch (e) {
      showError(e, 'Save edits');
      return false;
    }
  }

  private guard(what: string): boolean {
    if (this.busy) return false;
    if (!this.editable()) {
      showWarning(`Cannot ${what}: this document is not claimed by you.`);
      return false;
    }
    return true;
  }

  private async approve(): Promise<void> {
    if (!this.guard('approve')) return;
    this.busy = true;
    try {
      if (!(await this.save())) return;
      const body = this.comment.value.trim() ? { comment: this.comment.value.trim() } : {};
      const r = asReview(await postJson(jobPath(this.id, '/review/approve'), body));
      this.decidedAs(r, `Approved ${this.id}.`);
      await this.advance();
    } catch (e) {
      showError(e, 'Approve');
    } finally {
      this.busy = false;
    }
  }

  private async reject(): Promise<void> {
    if (!this.guard('reject')) return;
    this.busy = true;
    try {
      const choice = await pickRejection(await rejectReasons(), this.comment.value.trim());
      if (!choice) return;
      if (!(await this.save())) return;
      const r = asReview(await postJson(jobPath(this.id, '/review/reject'), choice));
      this.decidedAs(r, `Rejected ${this.id} (${choice.reason_code}).`);
      await this.advance();
    } catch (e) {
      showError(e, 'Reject');
    } finally {
      this.busy = false;
    }
  }

  /** Reads the document, or the page on screen, again with a chosen engine; then the queue. */
  private async rerun(): Promise<void> {
    if (this.busy) return;
    if (this.hasUnsavedEdits()) {
      showWarning('Save or undo your edits before a re-run: it replaces the fields with what is read.');
      return;
    }
    this.busy = true;
    try {
      const choice = await pickRerun(this.page, this.pages().length || 1, this.result.engine?.name ?? '');
      if (!choice) return;
      await postJson(jobPath(this.id, '/rerun'), choice);
      this.decided = true; // the claim goes with the old result
      const what = choice.pages ? `page ${choice.pages[0]} of ${this.id}` : this.id;
      showNotice(`Re-running ${what} with ${choice.engine}; it opens for review again once read.`, true);
      goQueue();
    } catch (e) {
      showError(e, 'Re-run');
    } finally {
      this.busy = false;
    }
  }

  private decidedAs(review: ReturnType<typeof asReview>, text: string): void {
    this.decided = true;
    if (review) this.job.review = review;
    for (const b of this.decisionButtons) b.disabled = true;
    showNotice(text, true);
  }

  private async release(): Promise<void> {
    if (this.outcome.kind !== 'held' || this.decided) return;
    try {
      await postJson(jobPath(this.id, '/review/release'));
      this.outcome = { kind: 'skipped' };
      this.decided = true; // nothing left to give back
      showNotice(`Released ${this.id}.`, true);
      goQueue();
    } catch (e) {
      showError(e, 'Release');
    }
  }

  /** Opens the next queued document (after approve/reject), or the queue when none is left. */
  private async advance(): Promise<void> {
    const next = await nextQueued(this.id);
    if (next) goDoc(next);
    else {
      showNotice('No other document is open for review.', true);
      goQueue();
    }
  }

  private async stepDoc(delta: number): Promise<void> {
    try {
      const next = await neighbour(this.id, delta);
      if (next) goDoc(next);
      else showNotice(delta > 0 ? 'This is the last document in the queue.' : 'This is the first document in the queue.');
    } catch (e) {
      showError(e, 'Loading the queue');
    }
  }

  // ---- keys and leaving ----

  private installKeys(): void {
    const fieldFocused = () => {
      const a = document.activeElement;
      return a instanceof HTMLInputElement && (a.classList.contains('field-input') || a.classList.contains('cell-input'));
    };
    setViewKeys(docKeys({
      enterFields: (backwards) => {
        const a = document.activeElement;
        if (fieldFocused() || !(a === document.body || a === document.getElementById('app') || this.viewer.el.contains(a))) return false;
        const inputs = this.panel.inputs();
        const target = inputs.find((i) => i.dataset.field === this.selected) ?? (backwards ? inputs.at(-1) : inputs[0]);
        target?.focus();
        return !!target;
      },
      escape: () => {
        const a = document.activeElement;
        if (a instanceof HTMLInputElement) {
          a.blur();
          this.viewer.el.focus({ preventScroll: true });
          return true;
        }
        if (!this.selected) return false;
        this.selectField(null, false);
        return true;
      },
      toggle: (key) => {
        if (!toggleByKey(key)) return false;
        this.applyToggles();
        return true;
      },
      nextLow: () => this.nextLow(),
      approve: () => void this.approve(),
      reject: () => void this.reject(),
      save: () => void this.save(),
      stepDoc: (d) => void this.stepDoc(d),
      queue: () => goQueue(),
      stepPage: (d) => this.thumbs?.step(d),
      zoom: (f) => this.viewer.zoomBy(f),
      fit: () => this.viewer.fitWidth(),
    }));
  }

  async dispose(): Promise<void> {
    setViewKeys(null);
    for (const u of this.urls) URL.revokeObjectURL(u);
    if (this.outcome.kind === 'held' && !this.decided) {
      this.decided = true;
      await postJson(jobPath(this.id, '/review/release')).catch(() => undefined);
    }
  }

  mayLeave(nextHash: string): boolean {
    if (!this.edits.size || this.decided) return true;
    if (nextHash.startsWith(`#/doc/${encodeURIComponent(this.id)}`)) return true;
    return window.confirm(`Discard ${this.edits.size} unsaved edit${this.edits.size > 1 ? 's' : ''} on ${this.id}?`);
  }

  hasUnsavedEdits(): boolean {
    return this.edits.size > 0 && !this.decided;
  }

  releaseOnUnload(): void {
    if (this.outcome.kind === 'held' && !this.decided) sendBeaconPost(jobPath(this.id, '/review/release'));
  }
}

function pair(term: string, value: string, id?: string): HTMLElement[] {
  return [h('dt', {}, term), h('dd', { 'data-meta': id ?? null }, value)];
}
