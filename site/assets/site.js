/* stackmap: progressive enhancement only. Every page works without this
 * script; with it, tables marked .sortable sort by column, and the pricing
 * page gains filters and a monthly cost calculator. */
(function () {
  'use strict';

  /* ---------- helpers ---------- */

  // A number from a data-* attribute; NaN when empty or missing.
  function num(value) {
    if (value === undefined || value === null || value === '') return NaN;
    var n = Number(value);
    return isFinite(n) ? n : NaN;
  }

  // A number from a cell's text ("$0.88", "131,072"); NaN when none.
  function cellNumber(cell) {
    if (!cell) return NaN;
    var text = cell.textContent.replace(/[$,\s]/g, '');
    var match = text.match(/^-?\d+(\.\d+)?(e[+-]?\d+)?/i);
    return match ? Number(match[0]) : NaN;
  }

  // A token count typed by a person: "100000000", "100,000,000",
  // "100 000 000", "1e8", "100M" and "250k" all work. NaN when invalid.
  function parseTokens(text) {
    var s = String(text).trim().replace(/[,_\s]/g, '');
    if (s === '') return NaN;
    var scale = 1;
    var suffix = s.slice(-1).toLowerCase();
    if (suffix === 'k') scale = 1e3;
    else if (suffix === 'm') scale = 1e6;
    else if (suffix === 'b') scale = 1e9;
    if (scale !== 1) s = s.slice(0, -1);
    if (!/^\d*\.?\d+(e[+]?\d+)?$/i.test(s)) return NaN;
    var n = Number(s) * scale;
    return isFinite(n) && n >= 0 ? n : NaN;
  }

  function grouped(n) {
    return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  /* ---------- sortable tables ---------- */

  // Sort key of a row for a header: the row's data-KEY when the header
  // names one, else the number or text in the column's cell.
  function sortValue(row, th) {
    var key = th.getAttribute('data-key');
    var type = th.getAttribute('data-sort');
    if (type === 'num') {
      if (key) return num(row.getAttribute('data-' + key));
      return cellNumber(row.cells[th.cellIndex]);
    }
    var cell = row.cells[th.cellIndex];
    return cell ? cell.textContent.trim().toLowerCase() : '';
  }

  // Sorts tbody rows by header th; unknown numbers always sort last.
  function sortTable(table, th, direction) {
    var tbody = table.tBodies[0];
    if (!tbody) return;
    var rows = Array.prototype.slice.call(tbody.rows);
    var numeric = th.getAttribute('data-sort') === 'num';
    var sign = direction === 'descending' ? -1 : 1;
    var keyed = rows.map(function (row, i) {
      return { row: row, value: sortValue(row, th), index: i };
    });
    keyed.sort(function (a, b) {
      if (numeric) {
        var an = isNaN(a.value), bn = isNaN(b.value);
        if (an !== bn) return an ? 1 : -1;
        if (!an && a.value !== b.value) return (a.value - b.value) * sign;
      } else if (a.value !== b.value) {
        return a.value.localeCompare(b.value) * sign;
      }
      return a.index - b.index;
    });
    var frag = document.createDocumentFragment();
    keyed.forEach(function (k) { frag.appendChild(k.row); });
    tbody.appendChild(frag);
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (h) {
      if (h === th) h.setAttribute('aria-sort', direction);
      else h.removeAttribute('aria-sort');
      var ind = h.querySelector('.sort-indicator');
      if (ind) {
        ind.textContent = h === th ? (direction === 'ascending' ? '▲' : '▼') : '↕';
      }
    });
  }

  function makeSortable(table) {
    if (!table.tHead) return;
    var headers = table.tHead.querySelectorAll('th[data-sort]');
    Array.prototype.forEach.call(headers, function (th) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort-button';
      while (th.firstChild) button.appendChild(th.firstChild);
      var ind = document.createElement('span');
      ind.className = 'sort-indicator';
      ind.setAttribute('aria-hidden', 'true');
      ind.textContent = th.getAttribute('aria-sort') === 'ascending' ? '▲' : '↕';
      button.appendChild(ind);
      th.appendChild(button);
      button.addEventListener('click', function () {
        var current = th.getAttribute('aria-sort');
        // Prices start cheapest first; a second click reverses.
        var next = current === 'ascending' ? 'descending' : 'ascending';
        sortTable(table, th, next);
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), makeSortable);

  /* ---------- the pricing page ---------- */

  var offers = document.getElementById('offers');
  var tools = document.getElementById('pricing-tools');
  if (!offers || !tools) return;

  var rows = Array.prototype.slice.call(offers.querySelectorAll('tbody tr.offer'));
  var total = rows.length;
  var layerSel = document.getElementById('filter-layer');
  var modelSel = document.getElementById('filter-model');
  var vendorSel = document.getElementById('filter-vendor');
  var compatBox = document.getElementById('filter-compatible');
  var resetBtn = document.getElementById('filter-reset');
  var rowCount = document.getElementById('row-count');
  var inTokens = document.getElementById('calc-input-tokens');
  var outTokens = document.getElementById('calc-output-tokens');
  var inHint = document.getElementById('calc-input-hint');
  var outHint = document.getElementById('calc-output-hint');
  var monthlyTh = offers.querySelector('th[data-key="monthly"]');

  // Drop filter options that match no offer (vendors without offers).
  function prune(select, attr) {
    if (!select) return;
    var present = {};
    rows.forEach(function (r) { present[r.getAttribute(attr)] = true; });
    Array.prototype.slice.call(select.options).forEach(function (opt) {
      if (opt.value !== '' && !present[opt.value]) opt.remove();
    });
  }
  prune(layerSel, 'data-layer');
  prune(modelSel, 'data-model');
  prune(vendorSel, 'data-vendor');

  function applyFilters() {
    var layer = layerSel ? layerSel.value : '';
    var model = modelSel ? modelSel.value : '';
    var vendor = vendorSel ? vendorSel.value : '';
    var compat = compatBox ? compatBox.checked : false;
    var shown = 0;
    rows.forEach(function (r) {
      var ok = (!layer || r.getAttribute('data-layer') === layer) &&
        (!model || r.getAttribute('data-model') === model) &&
        (!vendor || r.getAttribute('data-vendor') === vendor) &&
        (!compat || r.getAttribute('data-compatible') === 'true');
      r.hidden = !ok;
      if (ok) shown++;
    });
    if (rowCount) {
      rowCount.textContent = shown === total
        ? 'Showing all ' + total + ' offers'
        : 'Showing ' + shown + ' of ' + total + ' offers';
    }
  }

  // Fills the Monthly cost column; returns false when an input is invalid.
  function calculate() {
    var tin = parseTokens(inTokens.value);
    var tout = parseTokens(outTokens.value);
    inTokens.setAttribute('aria-invalid', isNaN(tin) ? 'true' : 'false');
    outTokens.setAttribute('aria-invalid', isNaN(tout) ? 'true' : 'false');
    if (inHint) inHint.textContent = isNaN(tin) ? 'Enter a number of tokens' : grouped(tin) + ' tokens';
    if (outHint) outHint.textContent = isNaN(tout) ? 'Enter a number of tokens' : grouped(tout) + ' tokens';
    if (isNaN(tin) || isNaN(tout)) return false;
    rows.forEach(function (r) {
      var pin = num(r.getAttribute('data-input'));
      var pout = num(r.getAttribute('data-output'));
      var cell = r.querySelector('td.monthly-cost');
      var unknown = (tin > 0 && isNaN(pin)) || (tout > 0 && isNaN(pout));
      if (unknown) {
        r.setAttribute('data-monthly', '');
        if (cell) cell.textContent = '—';
        return;
      }
      var cost = (tin / 1e6) * (isNaN(pin) ? 0 : pin) +
        (tout / 1e6) * (isNaN(pout) ? 0 : pout);
      r.setAttribute('data-monthly', String(cost));
      if (cell) cell.textContent = '$' + cost.toFixed(2);
    });
    return true;
  }

  function recalc() {
    if (calculate() && monthlyTh) sortTable(offers, monthlyTh, 'ascending');
  }

  // Show the tools and the Monthly cost column, which need this script.
  tools.hidden = false;
  if (monthlyTh) monthlyTh.hidden = false;
  rows.forEach(function (r) {
    var cell = r.querySelector('td.monthly-cost');
    if (cell) cell.hidden = false;
  });

  [layerSel, modelSel, vendorSel, compatBox].forEach(function (el) {
    if (el) el.addEventListener('change', applyFilters);
  });
  if (resetBtn) {
    resetBtn.addEventListener('click', function () {
      if (layerSel) layerSel.value = '';
      if (modelSel) modelSel.value = '';
      if (vendorSel) vendorSel.value = '';
      if (compatBox) compatBox.checked = false;
      applyFilters();
    });
  }
  [inTokens, outTokens].forEach(function (el) {
    if (!el) return;
    el.addEventListener('input', recalc);
    el.addEventListener('change', recalc);
  });

  applyFilters();
  recalc();
}());
