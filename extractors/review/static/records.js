/* bilan review, records: the reviewer's corrections (kept in this browser's local storage), the
   golden file built from them (the format `bilan validate --golden` reads: golden/README.md), and
   the panel that shows one record, its differences with a golden file, and its editor.
   Document text only ever becomes text nodes or form values: never HTML. */
(function () {
  'use strict';
  const BR = (window.BilanReview = window.BilanReview || {});
  const STORE_VERSION = 1;
  const LONG_TEXT = 50; // characters: longer values are edited in a text area
  const TITLE_FIELDS = ['title', 'text', 'label'];

  /* An element; string children become text nodes, props are attributes (never from document text
     for href/src), `text` its text content, `on...` listeners, `dataset` data attributes. */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'text') node.textContent = String(value);
      else if (name === 'dataset') Object.assign(node.dataset, value);
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }
  BR.el = el;

  const clone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
  const isEmpty = (v) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  BR.isEmpty = isEmpty;

  /* --- corrections ------------------------------------------------------------------------------ */

  function Corrections(doc) {
    this.doc = doc;
    this.key = 'bilan-review:' + doc.source.sha256 + ':' + doc.id;
    this.state = { version: STORE_VERSION, fingerprint: doc.fingerprint, edits: {}, rejected: {}, added: [], nextAdded: 1 };
    this.notice = '';
    let saved = null;
    try {
      saved = JSON.parse(window.localStorage.getItem(this.key) || 'null');
    } catch (e) {
      this.notice = 'This browser keeps no corrections between visits here (no local storage): download the golden before closing the page.';
    }
    if (saved && saved.version === STORE_VERSION) {
      if (saved.fingerprint === doc.fingerprint) this.state = saved;
      else this.notice = 'Corrections saved in this browser were made on another extraction of this document: they are not applied.';
    }
  }
  Corrections.prototype.save = function () {
    try {
      window.localStorage.setItem(this.key, JSON.stringify(this.state));
    } catch (e) {
      this.notice = 'Corrections could not be saved in this browser: download the golden before closing the page.';
    }
  };
  Corrections.prototype.reset = function () {
    this.state = { version: STORE_VERSION, fingerprint: this.doc.fingerprint, edits: {}, rejected: {}, added: [], nextAdded: 1 };
    try {
      window.localStorage.removeItem(this.key);
    } catch (e) { /* nothing was stored */ }
  };

  /* --- records ---------------------------------------------------------------------------------- */

  /* The records of the document as the browser handles them, with the golden file's marks. */
  BR.extractedRecords = function (doc) {
    const marks = doc.golden.marks;
    return doc.records.map((r) => ({
      key: r.kind + ':' + r.index, kind: r.kind, index: r.index, original: r.fields, page: r.page, bbox: r.bbox,
      line: r.line, confidence: r.confidence, flagged: r.flagged, added: false,
      mark: marks && marks.records[r.kind] ? marks.records[r.kind][r.index] : null,
    }));
  };

  BR.Store = function (doc) {
    const corrections = new Corrections(doc);
    const extracted = BR.extractedRecords(doc);
    const byKey = new Map(extracted.map((r) => [r.key, r]));
    const forms = {};
    for (const kind of doc.kinds) {
      forms[kind] = doc.forms[kind].concat([{ name: 'page', type: 'number', optional: true, description: 'page where the record starts' }]);
    }

    function addedRecord(item) {
      return { key: 'added:' + item.id, kind: item.kind, index: null, original: null, page: item.fields.page,
        bbox: null, line: null, confidence: null, flagged: false, added: true, item, mark: null };
    }
    const store = {
      doc, forms, corrections,
      all() {
        return extracted.concat(corrections.state.added.map(addedRecord));
      },
      get(key) {
        if (byKey.has(key)) return byKey.get(key);
        const item = corrections.state.added.find((a) => 'added:' + a.id === key);
        return item ? addedRecord(item) : null;
      },
      fields(record) {
        if (record.added) return record.item.fields;
        return corrections.state.edits[record.key] || record.original;
      },
      edited: (record) => !record.added && record.key in corrections.state.edits,
      rejected: (record) => !record.added && !!corrections.state.rejected[record.key],
      /* A copy of the record's fields to edit; `commit` stores it (an edit back to the extracted
         values is no edit). */
      draft(record) {
        return record.added ? record.item.fields : clone(store.fields(record));
      },
      commit(record, draft) {
        if (!record.added) {
          if (same(draft, record.original)) delete corrections.state.edits[record.key];
          else corrections.state.edits[record.key] = draft;
        }
        corrections.save();
      },
      toggleRejected(record) {
        if (record.added) {
          corrections.state.added = corrections.state.added.filter((a) => a !== record.item);
        } else if (corrections.state.rejected[record.key]) {
          delete corrections.state.rejected[record.key];
        } else {
          corrections.state.rejected[record.key] = true;
        }
        corrections.save();
      },
      revert(record) {
        delete corrections.state.edits[record.key];
        corrections.save();
      },
      add(kind, fields, fromGolden) {
        const item = { id: corrections.state.nextAdded++, kind, fields, fromGolden: fromGolden || null };
        corrections.state.added.push(item);
        corrections.save();
        return addedRecord(item);
      },
      emptyFields(kind, page) {
        const fields = emptyOf(forms[kind]);
        fields.page = page;
        return fields;
      },
      /* The golden file: every record kept, as corrected, plus those added; every kind present. */
      golden() {
        const records = {};
        for (const kind of doc.kinds) records[kind] = [];
        for (const record of extracted) {
          if (!store.rejected(record)) records[record.kind].push(clone(store.fields(record)));
        }
        for (const item of corrections.state.added) records[item.kind].push(clone(item.fields));
        return Object.assign(clone(doc.golden.head), { records });
      },
      goldenFileName() {
        const stem = String(doc.golden.head.document || doc.id).replace(/\.[A-Za-z0-9]+$/, '');
        return stem.replace(/[^A-Za-z0-9._-]+/g, '_') + '.golden.json';
      },
      counts() {
        const s = corrections.state;
        return { edited: Object.keys(s.edits).length, rejected: Object.keys(s.rejected).length, added: s.added.length };
      },
    };
    return store;
  };

  function emptyOf(specs) {
    const fields = {};
    for (const spec of specs) {
      if (spec.name === 'page') continue;
      if (spec.type === 'texts' || spec.type === 'objects') fields[spec.name] = [];
      else if (spec.type === 'text' && !spec.optional) fields[spec.name] = '';
      else fields[spec.name] = null;
    }
    return fields;
  }

  /* What a record is called in a list: its id and title (or text, label), whatever its kind. */
  BR.recordTitle = function (fields) {
    const id = fields.measure_id || fields.id || fields.date || '';
    const title = TITLE_FIELDS.map((n) => fields[n]).find((v) => typeof v === 'string' && v.trim()) || '(untitled)';
    return (id ? id + ' · ' : '') + title;
  };

  BR.download = function (text, name) {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const link = el('a', { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  };

  /* --- showing a record ------------------------------------------------------------------------- */

  function showValue(spec, value) {
    if (isEmpty(value)) {
      return el('span', { class: 'empty', text: value === '' ? '(empty)' : Array.isArray(value) ? '(none)' : '—' });
    }
    if (spec.type === 'texts' && Array.isArray(value)) return el('ul', null, value.map((v) => el('li', null, String(v))));
    if (spec.type === 'objects' && Array.isArray(value)) {
      return el('ol', null, value.map((item) => el('li', null, el('dl', null, spec.fields.flatMap((f) =>
        (item && !isEmpty(item[f.name]) ? [el('dt', { text: f.name }), el('dd', null, showValue(f, item[f.name]))] : []))))));
    }
    if (typeof value === 'object' || spec.type === 'json') return el('code', { text: JSON.stringify(value) });
    return String(value);
  }

  /* The read-only view of a record: its fields, and where a golden file differs, its value. */
  BR.recordView = function (store, record, onChange) {
    const fields = store.fields(record);
    const differs = (record.mark && record.mark.differs) || {};
    const list = el('dl');
    for (const spec of store.forms[record.kind]) {
      const value = fields[spec.name];
      const differing = Object.prototype.hasOwnProperty.call(differs, spec.name);
      const row = el('dd', { class: differing ? 'differs' : null, dataset: { field: spec.name } }, showValue(spec, value));
      if (differing) {
        row.append(el('div', { class: 'golden-value' }, 'golden: ', showValue(spec, differs[spec.name])));
        if (!same(value, differs[spec.name])) {
          row.append(el('button', { type: 'button', onclick: () => {
            const draft = store.draft(record);
            draft[spec.name] = clone(differs[spec.name]);
            store.commit(record, draft);
            onChange();
          } }, 'use the golden value'));
        }
      }
      list.append(el('dt', { text: spec.name }), row);
    }
    return list;
  };

  /* --- editing a record ------------------------------------------------------------------------- */

  function parseNumber(text) {
    const cleaned = text.replace(/[\s\u00a0\u202f%]/g, '').replace(',', '.');
    if (cleaned === '') return null;
    const value = Number(cleaned);
    return Number.isFinite(value) ? value : undefined;
  }

  function fieldLabel(spec, id) {
    return el('label', { class: 'field', for: id }, spec.name, spec.description ? el('span', { class: 'help', text: ' — ' + spec.description }) : null);
  }

  /* One field's control; it writes into holder[spec.name] and calls commit() on every change. */
  function fieldEditor(spec, holder, commit, prefix) {
    const id = prefix + spec.name;
    const value = holder[spec.name];
    let control;
    const invalid = (bad) => (bad ? control.setAttribute('aria-invalid', 'true') : control.removeAttribute('aria-invalid'));
    if (spec.type === 'objects') return objectsEditor(spec, holder, commit, prefix);
    if (spec.type === 'number') {
      control = el('input', { type: 'text', inputmode: 'decimal', id, autocomplete: 'off' });
      control.value = value === null || value === undefined ? '' : String(value);
      control.addEventListener('input', () => {
        const parsed = parseNumber(control.value);
        invalid(parsed === undefined);
        if (parsed !== undefined) {
          holder[spec.name] = parsed;
          commit();
        }
      });
    } else if (spec.type === 'bool' || spec.type === 'choice') {
      const options = spec.type === 'bool' ? [['true', true], ['false', false]] : spec.options.map((o) => [String(o), o]);
      control = el('select', { id }, el('option', { value: '' }, spec.optional ? '(none)' : '(choose)'),
        options.map(([label], i) => el('option', { value: String(i) }, label)));
      const at = options.findIndex(([, v]) => v === value);
      control.value = at < 0 ? '' : String(at);
      control.addEventListener('change', () => {
        holder[spec.name] = control.value === '' ? null : options[Number(control.value)][1];
        commit();
      });
    } else if (spec.type === 'texts') {
      const lines = Array.isArray(value) ? value : [];
      control = el('textarea', { id, rows: Math.max(2, lines.length + 1) });
      control.value = lines.join('\n');
      control.addEventListener('input', () => {
        holder[spec.name] = control.value.split('\n').map((s) => s.trim()).filter(Boolean);
        commit();
      });
    } else if (spec.type === 'json') {
      control = el('textarea', { id, rows: 3 });
      control.value = value === undefined ? 'null' : JSON.stringify(value);
      control.addEventListener('input', () => {
        try {
          holder[spec.name] = JSON.parse(control.value);
          invalid(false);
          commit();
        } catch (e) {
          invalid(true);
        }
      });
    } else {
      const text = value === null || value === undefined ? '' : String(value);
      const long = text.length > LONG_TEXT || TITLE_FIELDS.includes(spec.name) || spec.name === 'description';
      control = long ? el('textarea', { id, rows: Math.min(6, Math.max(2, Math.ceil(text.length / 45))) }) : el('input', { type: 'text', id, autocomplete: 'off' });
      control.value = text;
      control.addEventListener('input', () => {
        holder[spec.name] = control.value === '' && spec.optional ? null : control.value;
        commit();
      });
    }
    return el('div', { class: 'field-row' }, fieldLabel(spec, id), control,
      spec.type === 'texts' ? el('div', { class: 'hint', text: 'one per line' }) : null);
  }

  function objectsEditor(spec, holder, commit, prefix) {
    const box = el('div', { class: 'objects' });
    const singular = spec.name.replace(/ies$/, 'y').replace(/s$/, '');
    function draw() {
      if (!Array.isArray(holder[spec.name])) holder[spec.name] = [];
      const items = holder[spec.name];
      box.replaceChildren(el('div', { class: 'field', text: spec.name }));
      items.forEach((item, i) => {
        const set = el('fieldset', null, el('legend', null, `${singular} ${i + 1} `,
          el('button', { type: 'button', 'aria-label': `remove ${singular} ${i + 1}`, onclick: () => {
            items.splice(i, 1);
            commit();
            draw();
          } }, 'remove')));
        for (const sub of spec.fields) set.append(fieldEditor(sub, item, commit, `${prefix}${spec.name}-${i}-`));
        box.append(set);
      });
      box.append(el('button', { type: 'button', onclick: () => {
        items.push(emptyOf(spec.fields));
        commit();
        draw();
      } }, `add ${singular}`));
    }
    draw();
    return box;
  }

  /* The editor of a record: every field of its kind (schemas/records.py), changes kept as typed. */
  BR.recordEditor = function (store, record, onCommit) {
    const draft = store.draft(record);
    const commit = () => {
      store.commit(record, draft);
      onCommit();
    };
    const form = el('form', { class: 'editor', 'aria-label': 'edit record', onsubmit: (e) => e.preventDefault() });
    for (const spec of store.forms[record.kind]) form.append(fieldEditor(spec, draft, commit, 'edit-'));
    return form;
  };
})();
