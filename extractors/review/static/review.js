/* bilan review, one document: its pages (images loaded as they scroll into view) with boxes over
   records, table cells and repaired words; the list of records, flagged ones first; the record
   panel (records.js); keyboard navigation. Data arrive as <script src> files calling
   BilanReview.document(...) and BilanReview.page(...), which works from file:// with no server.
   Document text only ever becomes text nodes (textContent, append(string)) or form values. */
(function () {
  'use strict';
  const BR = (window.BilanReview = window.BilanReview || {});
  const PRELOAD = '150% 0px'; // pages within one and a half screens of the view are loaded
  const KEYS = [
    ['j / k', 'next / previous record in the list'], ['f', 'next flagged record or difference with the golden'],
    ['n / p', 'next / previous page'], ['e', 'edit the selected record (Esc to finish)'],
    ['x', 'reject the selected record, or restore it'], ['a', 'add a record on the page in view'],
    ['d', 'download the golden file'], ['g', 'show the golden file'], ['?', 'this help'],
    ['Tab', 'boxes of records and repaired words; their details show on focus'],
  ];
  let app = null;

  BR.document = function (doc) {
    app = BR.app = start(doc);
  };
  BR.page = function (number, data) {
    if (app) app.pageArrived(number, data);
  };

  const pad = (n) => String(n).padStart(4, '0');
  const pct = (v) => (100 * v).toFixed(4) + '%';

  function start(doc) {
    const el = BR.el;
    const root = document.getElementById('app');
    const base = root.dataset.base;
    const siteRoot = root.dataset.root;
    const store = BR.Store(doc);
    const pageInfo = new Map(doc.pages.map((p) => [p.number, p]));
    const pageData = new Map();
    const pageWaiters = new Map();
    const requested = new Set();
    const activated = new Set();
    const pageParts = new Map(); // number -> {section, overlay, lines, reading}
    const recordBoxes = new Map(); // record key -> its box
    const listItems = new Map(); // record key -> its button in the list
    let selectedKey = null;
    let editing = false;

    /* --- tooltip ---------------------------------------------------------------------------- */
    const tip = el('div', { class: 'tooltip', role: 'tooltip', id: 'tip', hidden: true });
    function showTip(node, text) {
      tip.textContent = text;
      tip.hidden = false;
      const box = node.getBoundingClientRect();
      const below = box.bottom + 6 + tip.offsetHeight < window.innerHeight;
      tip.style.top = (below ? box.bottom + 6 : Math.max(4, box.top - 6 - tip.offsetHeight)) + 'px';
      tip.style.left = Math.max(4, Math.min(box.left, window.innerWidth - tip.offsetWidth - 4)) + 'px';
    }
    const hideTip = () => { tip.hidden = true; };
    function explain(node, text) {
      node.setAttribute('aria-label', text());
      const show = () => showTip(node, text());
      node.addEventListener('mouseenter', show);
      node.addEventListener('focus', show);
      node.addEventListener('mouseleave', hideTip);
      node.addEventListener('blur', hideTip);
    }

    /* --- the bar ---------------------------------------------------------------------------- */
    const meta = el('span', { class: 'meta', id: 'meta' });
    const notice = el('p', { class: 'notice', id: 'notice', role: 'status' });
    const say = (text) => { notice.textContent = text; };
    const layers = ['records', 'tables', 'repairs'].map((layer) => {
      const input = el('input', { type: 'checkbox', id: 'layer-' + layer, checked: true });
      input.addEventListener('change', () => document.body.classList.toggle('hide-' + layer, !input.checked));
      return el('label', null, input, ' ' + layer);
    });
    const addKind = el('select', { id: 'add-kind', 'aria-label': 'kind of record to add' },
      doc.kinds.map((kind) => el('option', { value: kind }, kind)));
    const bar = el('header', { class: 'bar' },
      el('a', { href: root.dataset.index }, '← all documents'),
      el('h1', { text: doc.id }), meta,
      el('div', { class: 'tools' }, layers,
        el('span', null, addKind, ' ', el('button', { type: 'button', id: 'add-record', onclick: () => addRecord() }, 'add record (a)')),
        el('button', { type: 'button', id: 'show-golden', onclick: () => showGolden() }, 'golden JSON (g)'),
        el('button', { type: 'button', id: 'download-golden', onclick: () => downloadGolden() }, 'download golden (d)'),
        el('button', { type: 'button', id: 'show-help', onclick: () => helpDialog.showModal() }, 'keys (?)')),
      notice);

    function updateMeta() {
      const records = store.all();
      const flagged = records.filter((r) => r.flagged).length;
      const counts = store.counts();
      const parts = [doc.source.kind, doc.status, `${doc.pages.length} pages`, `${doc.records.length} records (${flagged} flagged)`,
        `${doc.repair_count} repairs`, `corrections: ${counts.edited} edited, ${counts.rejected} rejected, ${counts.added} added`];
      if (doc.golden.marks) parts.push(`golden F1 ${doc.golden.marks.f1.toFixed(3)} (${doc.golden.path})`);
      meta.textContent = parts.join(' · ');
    }

    /* --- pages ------------------------------------------------------------------------------ */
    const pagesEl = el('main', { class: 'pages', id: 'pages', lang: 'fr', 'aria-label': 'pages' });
    const recordsOnPage = new Map();
    for (const record of store.all()) {
      if (record.page === null || record.page === undefined) continue;
      if (!recordsOnPage.has(record.page)) recordsOnPage.set(record.page, []);
      recordsOnPage.get(record.page).push(record);
    }

    function pageSection(info) {
      const errors = info.errors.map((e) => `${e.level} at ${e.stage}: ${e.message}`).join('; ');
      const section = el('section', { class: 'page', id: 'page-' + info.number, dataset: { page: info.number } },
        el('h2', { class: 'page-label' }, `Page ${info.number}`, el('span', { class: 'origin', text: ` · ${info.origin}` }),
          errors ? el('span', { class: 'page-errors', text: ` · ${errors}` }) : null));
      const parts = { section, overlay: null, lines: null, reading: null, filled: false };
      if (info.width && info.height && (info.image || info.boxed)) {
        const sheet = el('div', { class: 'sheet' });
        sheet.style.aspectRatio = `${info.width} / ${info.height}`;
        if (!info.image) sheet.append(el('div', { class: 'no-image', text: 'No page image' + (info.image_problem ? ': ' + info.image_problem : '') }));
        parts.sheet = sheet;
        parts.overlay = el('div', { class: 'overlay' });
        sheet.append(parts.overlay);
        parts.lines = el('div', { class: 'lines' });
        parts.reading = el('details', { class: 'reading' }, el('summary', null, 'text read on this page'), parts.lines);
        parts.reading.addEventListener('toggle', () => { if (parts.reading.open) requestPage(info.number).then(() => fillLines(info.number)); });
        section.append(sheet, parts.reading);
      } else {
        parts.lines = el('div', { class: 'lines text-page', tabindex: 0, 'aria-label': `text of page ${info.number}` });
        section.append(parts.lines);
      }
      pageParts.set(info.number, parts);
      return section;
    }

    function place(node, bbox, info) {
      node.style.left = pct(bbox[0] / info.width);
      node.style.top = pct(bbox[1] / info.height);
      node.style.width = pct((bbox[2] - bbox[0]) / info.width);
      node.style.height = pct((bbox[3] - bbox[1]) / info.height);
    }

    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) if (entry.isIntersecting) activate(Number(entry.target.dataset.page));
    }, { root: pagesEl, rootMargin: PRELOAD });

    /* A page comes into view: its image, its record boxes, then its words, repairs and cells. */
    function activate(number) {
      if (activated.has(number) || !pageInfo.has(number)) return;
      activated.add(number);
      const info = pageInfo.get(number);
      const parts = pageParts.get(number);
      observer.unobserve(parts.section);
      if (info.image && parts.sheet) {
        const image = el('img', { alt: `page ${number}`, decoding: 'async' });
        image.src = siteRoot + info.image;
        parts.sheet.insertBefore(image, parts.overlay);
      }
      if (parts.overlay) {
        for (const record of recordsOnPage.get(number) || []) if (record.bbox) parts.overlay.append(recordBox(record, info));
      }
      requestPage(number);
    }

    function requestPage(number) {
      if (pageData.has(number)) return Promise.resolve(pageData.get(number));
      const waiting = new Promise((resolve) => {
        if (!pageWaiters.has(number)) pageWaiters.set(number, []);
        pageWaiters.get(number).push(resolve);
      });
      if (!requested.has(number)) {
        requested.add(number);
        const script = el('script', { src: `${base}p${pad(number)}.js` });
        script.addEventListener('error', () => say(`The data of page ${number} could not be loaded (${base}p${pad(number)}.js).`));
        document.head.append(script);
      }
      return waiting;
    }

    function pageArrived(number, data) {
      if (pageData.has(number) || !pageInfo.has(number)) return;
      pageData.set(number, data);
      drawPageLayers(number, data);
      if (!pageParts.get(number).reading) fillLines(number);
      for (const resolve of pageWaiters.get(number) || []) resolve(data);
      pageWaiters.delete(number);
    }

    function recordBox(record, info) {
      const box = el('div', { class: `box record kind-${record.kind}`, tabindex: 0, role: 'button', dataset: { key: record.key } });
      if (record.flagged) box.classList.add('flagged');
      if (store.rejected(record)) box.classList.add('rejected');
      if (record.key === selectedKey) box.classList.add('selected');
      place(box, record.bbox, info);
      explain(box, () => describeRecord(record));
      box.addEventListener('click', () => select(record.key, { scroll: false }));
      box.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          select(record.key, { scroll: false });
        }
      });
      recordBoxes.set(record.key, box);
      return box;
    }

    function describeRecord(record) {
      const bits = [`${record.kind}: ${BR.recordTitle(store.fields(record))}`];
      if (record.confidence !== null) bits.push(`confidence ${record.confidence.toFixed(2)}${record.flagged ? ', flagged' : ''}`);
      if (store.rejected(record)) bits.push('rejected');
      else if (store.edited(record)) bits.push('edited');
      return bits.join('\n');
    }

    const doubtful = (repair) => repair.changes.some((c) => c.score < doc.doubtful_repair);
    function describeRepair(repair) {
      const read = `${repair.before === null ? '?' : repair.before} → ${repair.after}`;
      const changes = repair.changes.map((c) => `${c.before} → ${c.after} · rule ${c.rule} · score ${c.score.toFixed(2)}`);
      if (!changes.length) return `${read}\n(no explanation of this change was found)`;
      // The word as read and as repaired, then each change made in it, unless that says the same.
      return changes.length === 1 && changes[0].startsWith(read + ' ·') ? changes[0] : [read, ...changes].join('\n');
    }

    function drawPageLayers(number, data) {
      const parts = pageParts.get(number);
      const info = pageInfo.get(number);
      if (!parts.overlay) return;
      for (const table of data.tables) {
        const box = el('div', { class: 'box table', dataset: { table: table.table } });
        place(box, table.bbox, info);
        parts.overlay.append(box);
      }
      for (const cell of data.cells) {
        const box = el('div', { class: 'box cell' + (cell.header ? ' header' : ''), dataset: { table: cell.table, row: cell.row, col: cell.col } });
        place(box, cell.bbox, info);
        const where = `table ${cell.table}, row ${cell.row + 1}, column ${cell.col + 1}` +
          (cell.row_span > 1 || cell.col_span > 1 ? ` (spans ${cell.row_span} x ${cell.col_span})` : '') + (cell.header ? ', header' : '');
        box.addEventListener('mouseenter', () => showTip(box, `${where}\n${cell.text}`));
        box.addEventListener('mouseleave', hideTip);
        parts.overlay.append(box);
      }
      for (const repair of data.repaired) {
        const word = data.words[repair.word];
        if (!word || !word[1]) continue;
        const box = el('div', { class: 'box repair' + (doubtful(repair) ? ' doubtful' : ''), tabindex: 0, role: 'img', dataset: { word: repair.word } });
        place(box, word[1], info);
        explain(box, () => describeRepair(repair));
        parts.overlay.append(box);
      }
    }

    /* The page's reading, line by line, repaired words marked (pages without images show only this). */
    function fillLines(number) {
      const parts = pageParts.get(number);
      const data = pageData.get(number);
      if (!data || parts.filled) return;
      parts.filled = true;
      const repaired = new Map(data.repaired.map((r) => [r.word, r]));
      const lines = data.lines.map((ids, i) => {
        const line = el('div', { class: 'line', dataset: { line: i } });
        ids.forEach((id, j) => {
          const word = data.words[id];
          if (!word) return;
          if (j) line.append(' ');
          const repair = repaired.get(id);
          if (!repair) {
            line.append(word[0]);
            return;
          }
          const mark = el('mark', { class: 'repaired' + (doubtful(repair) ? ' doubtful' : ''), tabindex: 0, dataset: { word: id } }, word[0]);
          explain(mark, () => describeRepair(repair));
          line.append(mark);
        });
        return line;
      });
      parts.lines.replaceChildren(...lines);
      for (const record of recordsOnPage.get(number) || []) {
        const line = record.line !== null && record.line !== undefined ? lines[record.line] : null;
        if (!line || record.bbox) continue;
        line.classList.add('record-start', `kind-${record.kind}`);
        line.addEventListener('click', () => select(record.key, { scroll: false }));
        if (record.key === selectedKey) line.classList.add('selected');
      }
      if (data.unplaced_repairs.length) {
        parts.lines.append(el('p', { class: 'unplaced' }, `${data.unplaced_repairs.length} repairs not located on a word: ` +
          data.unplaced_repairs.map((r) => `${r.before} → ${r.after} (${r.rule}, ${r.score.toFixed(2)})`).join('; ')));
      }
    }

    /* --- the list of records ---------------------------------------------------------------- */
    const kindFilter = el('select', { id: 'kind-filter', 'aria-label': 'show records of kind' },
      el('option', { value: '' }, 'all kinds'), doc.kinds.map((kind) => el('option', { value: kind }, kind)));
    const search = el('input', { type: 'search', id: 'search', placeholder: 'search records', 'aria-label': 'search records' });
    const doubtsOnly = el('input', { type: 'checkbox', id: 'doubts-only' });
    const listEl = el('ol', { class: 'record-list', id: 'record-list', 'aria-label': 'records' });
    for (const input of [kindFilter, search, doubtsOnly]) input.addEventListener('input', renderList);
    const kindRank = (kind) => doc.kinds.indexOf(kind);
    const differs = (r) => !!r.mark && (!r.mark.paired || Object.keys(r.mark.differs).length > 0);
    const doubt = (r) => r.flagged || differs(r) || r.added || store.edited(r) || store.rejected(r);

    function ordered() {
      const rank = (r) => (r.flagged ? 0 : differs(r) ? 1 : 2);
      const query = search.value.trim().toLocaleLowerCase();
      return store.all()
        .filter((r) => !kindFilter.value || r.kind === kindFilter.value)
        .filter((r) => !doubtsOnly.checked || doubt(r))
        .filter((r) => !query || JSON.stringify(store.fields(r)).toLocaleLowerCase().includes(query))
        .sort((a, b) => rank(a) - rank(b) || (a.page || 0) - (b.page || 0) || kindRank(a.kind) - kindRank(b.kind) ||
          (a.index === null ? 1e9 : a.index) - (b.index === null ? 1e9 : b.index));
    }

    function listItem(record) {
      const fields = store.fields(record);
      const badges = [];
      if (record.flagged) badges.push(el('span', { class: 'badge flagged', text: `flagged ${record.confidence.toFixed(2)}` }));
      if (record.added) badges.push(el('span', { class: 'badge added', text: 'added' }));
      if (store.edited(record)) badges.push(el('span', { class: 'badge edited', text: 'edited' }));
      if (store.rejected(record)) badges.push(el('span', { class: 'badge rejected', text: 'rejected' }));
      if (record.mark && !record.mark.paired) badges.push(el('span', { class: 'badge unpaired', text: 'not in golden' }));
      else if (differs(record)) badges.push(el('span', { class: 'badge differs', text: `≠ golden: ${Object.keys(record.mark.differs).join(', ')}` }));
      const button = el('button', { type: 'button', class: `record-item kind-${record.kind}` + (store.rejected(record) ? ' rejected' : ''),
        dataset: { key: record.key }, onclick: () => select(record.key) },
        el('span', { class: 'where', text: `${record.kind} · page ${record.page === null || record.page === undefined ? '?' : record.page} ` }),
        badges, el('div', { class: 'title', text: BR.recordTitle(fields) }));
      if (record.key === selectedKey) button.setAttribute('aria-current', 'true');
      button.addEventListener('keydown', (e) => {
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          move(e.key === 'ArrowDown' ? 1 : -1);
        }
      });
      listItems.set(record.key, button);
      return el('li', null, button);
    }

    function missingItems() {
      const marks = doc.golden.marks;
      if (!marks) return [];
      const taken = new Set(store.corrections.state.added.map((a) => a.fromGolden).filter(Boolean));
      const items = [];
      for (const kind of marks.kinds) {
        (marks.missing[kind] || []).forEach((fields, i) => {
          const ref = `${kind}:${i}`;
          if (taken.has(ref) || (kindFilter.value && kindFilter.value !== kind)) return;
          items.push(el('li', { class: 'missing' }, el('span', { class: 'where', text: `${kind} · page ${fields.page === undefined || fields.page === null ? '?' : fields.page} ` }),
            el('span', { class: 'badge unpaired', text: 'in golden only' }), el('div', { class: 'title', text: BR.recordTitle(fields) }),
            el('button', { type: 'button', onclick: () => {
              const record = store.add(kind, JSON.parse(JSON.stringify(fields)), ref);
              refresh();
              select(record.key, { edit: true });
            } }, 'add it to the corrections')));
        });
      }
      return items.length ? [el('li', { class: 'list-heading', text: `In the golden file, not extracted (${items.length})` }), ...items] : [];
    }

    function renderList() {
      listItems.clear();
      listEl.replaceChildren(...ordered().map(listItem), ...missingItems());
    }

    /* --- the selected record ---------------------------------------------------------------- */
    const detail = el('section', { class: 'detail', id: 'detail', 'aria-live': 'polite', 'aria-label': 'selected record' });

    function renderDetail() {
      const record = selectedKey && store.get(selectedKey);
      if (!record) {
        detail.replaceChildren(el('p', { class: 'hint', text: 'Select a record in the list or on a page (keys j and k; ? for all keys).' }));
        return;
      }
      const notes = [];
      if (record.flagged) notes.push(`Flagged: confidence ${record.confidence.toFixed(2)}, worth a look.`);
      if (record.mark && !record.mark.paired) notes.push('The golden file has no record paired with this one.');
      if (record.added) notes.push('Added by you: it is in the golden file you download.');
      if (store.rejected(record)) notes.push('Rejected: it is left out of the golden file you download.');
      if (!record.bbox && record.page && !record.added) notes.push('No box on the page for this record (its text has no coordinates).');
      const actions = el('div', { class: 'actions' },
        el('button', { type: 'button', id: 'edit-record', onclick: () => setEditing(!editing) }, editing ? 'done (Esc)' : 'edit (e)'),
        el('button', { type: 'button', id: 'reject-record', onclick: () => rejectSelected() }, record.added ? 'remove (x)' : store.rejected(record) ? 'restore (x)' : 'reject (x)'),
        record.page ? el('button', { type: 'button', onclick: () => select(record.key) }, 'show on page') : null,
        store.edited(record) ? el('button', { type: 'button', onclick: () => { store.revert(record); refresh(); } }, 'undo my edits') : null);
      const body = editing ? BR.recordEditor(store, record, () => { updateRecord(record); }) : BR.recordView(store, record, refresh);
      detail.replaceChildren(el('h2', { class: `kind-${record.kind}` }, el('span', { class: 'where', text: `${record.kind} · ` }), BR.recordTitle(store.fields(record))),
        el('p', { class: 'where', text: `page ${record.page === null || record.page === undefined ? '?' : record.page}` + (record.confidence !== null ? ` · confidence ${record.confidence.toFixed(2)}` : '') }),
        ...notes.map((n) => el('p', { class: 'hint', text: n })), actions, body);
    }

    function setEditing(on) {
      editing = on;
      renderDetail();
      const target = editing ? detail.querySelector('input, textarea, select') : listItems.get(selectedKey);
      if (target) target.focus();
    }

    /* After an edit: the list item and the box say so; the form keeps its focus. */
    function updateRecord(record) {
      const old = listItems.get(record.key);
      if (old) old.parentElement.replaceWith(listItem(record));
      const current = listItems.get(record.key);
      if (current) current.setAttribute('aria-current', 'true');
      updateMeta();
    }

    function refresh() {
      renderList();
      renderDetail();
      updateMeta();
      for (const [key, box] of recordBoxes) {
        const record = store.get(key);
        box.classList.toggle('rejected', !!record && store.rejected(record));
      }
    }

    function select(key, options) {
      const { scroll = true, edit = false } = options || {};
      const record = store.get(key);
      if (!record) return;
      selectedKey = key;
      editing = edit;
      for (const node of document.querySelectorAll('[aria-current="true"]')) node.removeAttribute('aria-current');
      for (const node of pagesEl.querySelectorAll('.box.record.selected, .line.selected')) node.classList.remove('selected');
      const item = listItems.get(key);
      if (item) {
        item.setAttribute('aria-current', 'true');
        item.scrollIntoView({ block: 'nearest' });
      }
      renderDetail();
      if (edit) setEditing(true);
      if (!record.page || !pageInfo.has(record.page)) return;
      activate(record.page);
      const box = recordBoxes.get(key);
      if (box) {
        box.classList.add('selected');
        if (scroll) box.scrollIntoView({ block: 'center' });
        return;
      }
      const parts = pageParts.get(record.page);
      if (scroll) parts.section.scrollIntoView({ block: 'start' });
      if (record.line !== null && record.line !== undefined) {
        requestPage(record.page).then(() => {
          fillLines(record.page);
          const line = parts.lines.children[record.line];
          if (!line || selectedKey !== key) return;
          line.classList.add('selected');
          if (scroll) line.scrollIntoView({ block: 'center' });
        });
      }
    }

    /* --- actions ---------------------------------------------------------------------------- */
    function move(step) {
      const keys = ordered().map((r) => r.key);
      if (!keys.length) return;
      const at = keys.indexOf(selectedKey);
      const next = at < 0 ? (step > 0 ? 0 : keys.length - 1) : Math.min(keys.length - 1, Math.max(0, at + step));
      select(keys[next]);
      const item = listItems.get(keys[next]);
      if (item) item.focus({ preventScroll: true });
    }

    function nextDoubt() {
      const keys = ordered().filter((r) => r.flagged || differs(r)).map((r) => r.key);
      if (!keys.length) {
        say('No flagged record and no difference with a golden file.');
        return;
      }
      const next = keys[(keys.indexOf(selectedKey) + 1) % keys.length];
      select(next);
      const item = listItems.get(next);
      if (item) item.focus({ preventScroll: true });
    }

    function pageInView() {
      const top = pagesEl.getBoundingClientRect().top;
      let current = doc.pages.length ? doc.pages[0].number : null;
      for (const info of doc.pages) {
        if (pageParts.get(info.number).section.getBoundingClientRect().top - top > 40) break;
        current = info.number;
      }
      return current;
    }

    function turnPage(step) {
      const numbers = doc.pages.map((p) => p.number);
      const at = numbers.indexOf(pageInView());
      const next = numbers[Math.min(numbers.length - 1, Math.max(0, at + step))];
      if (next !== undefined) pageParts.get(next).section.scrollIntoView({ block: 'start' });
    }

    function rejectSelected() {
      const record = selectedKey && store.get(selectedKey);
      if (!record) return;
      store.toggleRejected(record);
      if (record.added) selectedKey = null;
      refresh();
      const item = listItems.get(selectedKey);
      if (item) item.focus();
    }

    function addRecord() {
      const page = pageInView();
      const record = store.add(addKind.value, store.emptyFields(addKind.value, page));
      refresh();
      select(record.key, { scroll: false, edit: true });
      say(`A new ${addKind.value} record on page ${page}: fill in its fields.`);
    }

    const goldenText = () => JSON.stringify(store.golden(), null, 1) + '\n';
    function downloadGolden() {
      BR.download(goldenText(), store.goldenFileName());
      say(`Golden file ${store.goldenFileName()} downloaded: check it with  bilan validate DOC.json --golden ${store.goldenFileName()}`);
    }

    const goldenArea = el('textarea', { id: 'golden-json', readonly: true, 'aria-label': 'golden file' });
    const goldenDialog = el('dialog', { id: 'golden-dialog', 'aria-label': 'golden file' },
      el('p', null, 'The golden file made of the extraction and your corrections (the format `bilan validate --golden` reads).'),
      goldenArea,
      el('p', { class: 'actions' },
        el('button', { type: 'button', onclick: () => downloadGolden() }, 'download'),
        el('button', { type: 'button', onclick: () => {
          if (window.confirm('Discard every correction made to this document in this browser?')) {
            store.corrections.reset();
            selectedKey = null;
            refresh();
            goldenArea.value = goldenText();
          }
        } }, 'discard all corrections'),
        el('button', { type: 'button', onclick: () => goldenDialog.close() }, 'close')));
    function showGolden() {
      goldenArea.value = goldenText();
      goldenDialog.showModal();
    }

    const helpDialog = el('dialog', { id: 'help-dialog', 'aria-label': 'keys' },
      el('h2', null, 'Keys'), el('table', null, KEYS.map(([key, what]) => el('tr', null, el('th', null, el('kbd', null, key)), el('td', null, what)))),
      el('p', null, 'Corrections are kept in this browser (local storage) until you discard them; the golden file you download is what to keep.'),
      el('p', null, el('button', { type: 'button', onclick: () => helpDialog.close() }, 'close')));

    document.addEventListener('keydown', (e) => {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'Escape') {
        hideTip();
        if (editing && !goldenDialog.open && !helpDialog.open) setEditing(false);
        return;
      }
      const t = e.target;
      if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement || t.isContentEditable) return;
      if (goldenDialog.open || helpDialog.open) return;
      const actions = { j: () => move(1), k: () => move(-1), f: nextDoubt, n: () => turnPage(1), p: () => turnPage(-1),
        e: () => selectedKey && setEditing(!editing), x: rejectSelected, a: addRecord, d: downloadGolden, g: showGolden,
        '?': () => helpDialog.showModal() };
      if (!actions[e.key]) return;
      e.preventDefault();
      actions[e.key]();
    });

    /* --- assembled ---------------------------------------------------------------------------- */
    const panel = el('aside', { class: 'panel', 'aria-label': 'records' },
      el('div', { class: 'filters' }, kindFilter, search, el('label', null, doubtsOnly, ' only flagged, differing or corrected')),
      listEl, detail);
    for (const info of doc.pages) pagesEl.append(pageSection(info));
    root.className = 'review';
    root.replaceChildren(bar, el('div', { class: 'main' }, pagesEl, panel));
    document.body.append(tip, goldenDialog, helpDialog);
    if (store.corrections.notice) say(store.corrections.notice);
    renderList();
    renderDetail();
    updateMeta();
    for (const info of doc.pages) observer.observe(pageParts.get(info.number).section);
    return { pageArrived, select, store };
  }
})();
