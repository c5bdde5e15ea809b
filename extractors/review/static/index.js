/* bilan review, the index: documents sorted by any column (click its heading; again to reverse). */
(function () {
  'use strict';
  const table = document.getElementById('documents');
  if (!table) return;
  const body = table.tBodies[0];
  const headings = Array.from(table.tHead.rows[0].cells);
  headings.forEach((heading, column) => {
    heading.querySelector('button').addEventListener('click', () => {
      const ascending = heading.getAttribute('aria-sort') !== 'ascending';
      for (const other of headings) other.setAttribute('aria-sort', 'none');
      heading.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      const numeric = heading.dataset.type === 'number';
      const value = (row) => row.cells[column].dataset.value;
      const rows = Array.from(body.rows).sort((a, b) => {
        let order;
        if (numeric) {
          const x = value(a) === '' ? -Infinity : Number(value(a));
          const y = value(b) === '' ? -Infinity : Number(value(b));
          order = x === y ? 0 : x < y ? -1 : 1;
        } else {
          order = value(a).localeCompare(value(b), 'fr', { numeric: true, sensitivity: 'base' });
        }
        return ascending ? order : -order;
      });
      body.append(...rows);
    });
  });
})();
