/* stackmap: the choose page. Ranks every host of the chosen model for the
 * workload typed in, from the data-* attributes of #choose-offers, with the
 * same formula, order and rounding as `stackmap choose` (src/choose.c):
 *
 *   monthly = in × (1 − share) / 1e6 × input
 *           + in × share / 1e6 × (cached input, else input)
 *           + out / 1e6 × output
 *
 * ranked by monthly cost, then vendor id, then remote id, and rounded to
 * cents half up only when shown; the requirements (OpenAI-compatible,
 * layer, sold through a vendor, a monthly limit compared in cents) and the
 * frontier-lab comparison are choose_rank's. Without this script the page shows three
 * preset workloads ranked at build time. On a large catalog a model's
 * offers are fetched from api/choose/MODEL.json when it is picked. */
(function () {
  'use strict';

  var tools = document.getElementById('choose-tools');
  var live = document.getElementById('choose-live');
  var list = document.getElementById('choose-offers');
  if (!tools || !live || !list) return;

  var MAX_TOKENS = 1e15;      // CHOOSE_MAX_TOKENS
  var MAX_USD = 1e12;         // CHOOSE_MAX_USD
  var PRINT_LIMIT_USD = 1e13; // S_PRINT_LIMIT_USD
  var root = tools.getAttribute('data-root') || '';
  // what "(router)" after a vendor means, as the CLI's legend says it
  var ROUTER_NOTE = '(router): a router to other hosts, not a host itself; the rate ' +
    'actually billed depends on the upstream host it routes each request to.';

  /* ---------- numbers, as choose.c parses and prints them ---------- */

  function num(value) {
    if (value === undefined || value === null || value === '') return NaN;
    var n = Number(value);
    return isFinite(n) ? n : NaN;
  }

  var DECIMAL = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  var SCALE = { k: 1e3, m: 1e6, b: 1e9 };

  // A plain decimal with an optional k/M/B suffix when scaled; NaN if bad.
  function parseNumber(text, scaled) {
    var s = String(text).trim();
    var scale = 1;
    var last = s.slice(-1).toLowerCase();
    if (scaled && s.length > 1 && SCALE[last]) {
      scale = SCALE[last];
      s = s.slice(0, -1);
    }
    if (!DECIMAL.test(s)) return NaN;
    var v = Number(s);
    return isFinite(v) ? v * scale : NaN;
  }

  function parseTokens(text) {
    var v = Math.round(parseNumber(text, true));
    return v <= MAX_TOKENS ? v : NaN;
  }

  function parseShare(text) {
    var v = parseNumber(text, false);
    return v <= 1 ? v : NaN;
  }

  // The monthly limit: -1 when empty (no limit), NaN when bad.
  function parseLimit(text) {
    if (String(text).trim() === '') return -1;
    var v = parseNumber(text, false);
    return v <= MAX_USD ? v : NaN;
  }

  function cents(usd) {
    return Math.floor(usd * 100 + 0.5);
  }

  function grouped(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  function monthlyCost(tin, tout, share, input, output, cached) {
    var full = tin * (1 - share) / 1e6;
    var cachedTokens = tin * share / 1e6;
    var out = tout / 1e6;
    var cachedPrice = isNaN(cached) ? input : cached;
    var cost = 0;
    if (full > 0) cost += full * input;
    if (cachedTokens > 0) cost += cachedTokens * cachedPrice;
    if (out > 0) cost += out * output;
    return cost;
  }

  function formatUsd(usd) {
    if (isNaN(usd)) return '';
    if (!(usd < PRINT_LIMIT_USD)) return 'over $10,000,000,000,000';
    var cents = Math.floor(usd * 100 + 0.5);
    var rest = cents % 100;
    return '$' + grouped((cents - rest) / 100) + '.' + (rest < 10 ? '0' : '') + rest;
  }

  function ageLabel(days) {
    if (isNaN(days)) return 'date unknown';
    return days + (days === 1 ? ' day old' : ' days old');
  }

  /* ---------- the data ---------- */

  // An offer from its data attributes: a(name) is the text of data-NAME
  // (an <li> of #choose-offers, or a member of api/choose/MODEL.json).
  function offerFrom(a) {
    return {
      model: a('model'), modelName: a('model-name'), vendor: a('vendor'),
      vendorName: a('vendor-name'), remote: a('remote'), layer: a('layer'),
      layerName: a('layer-name'), input: num(a('input')), output: num(a('output')),
      cached: num(a('cached')), inputLabel: a('input-label'),
      outputLabel: a('output-label'), cachedLabel: a('cached-label'),
      hasPrice: a('has-price') === 'true', origin: a('origin'),
      priceDate: a('price-date'), age: num(a('age')), stale: a('stale') === 'true',
      old: a('old') === 'true', compatible: a('compatible') === 'true',
      context: num(a('context')), contextLabel: a('context-label'),
      strengths: a('strengths'), router: a('router') === 'true',
      frontier: a('frontier') === 'true'
    };
  }

  var offers = Array.prototype.map.call(list.querySelectorAll('li'), function (li) {
    return offerFrom(function (name) { return li.getAttribute('data-' + name) || ''; });
  });

  // A large catalog's page carries the default model's offers and the
  // frontier-lab ones; a model's others come from api/choose/MODEL.json
  // when it is picked (data-split names the folder).
  var split = list.getAttribute('data-split');
  var loaded = {};

  function load(modelId) {
    return fetch(root + split + encodeURIComponent(modelId) + '.json')
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (data) {
        // the file has every offer of the model, the frontier ones too
        offers = offers.filter(function (o) { return o.model !== modelId; });
        (data.offers || []).forEach(function (o) {
          offers.push(offerFrom(function (name) {
            return typeof o[name] === 'string' ? o[name] : '';
          }));
        });
        loaded[modelId] = true;
      });
  }

  function compareRows(a, b) {
    if (!isNaN(a.monthly) && !isNaN(b.monthly) && a.monthly !== b.monthly)
      return a.monthly < b.monthly ? -1 : 1;
    if (a.offer.vendor !== b.offer.vendor) return a.offer.vendor < b.offer.vendor ? -1 : 1;
    if (a.offer.remote !== b.offer.remote) return a.offer.remote < b.offer.remote ? -1 : 1;
    return 0;
  }

  function costed(o, w) {
    return { offer: o, monthly: monthlyCost(w.input, w.output, w.share, o.input, o.output, o.cached) };
  }

  // The ranking of modelId for workload w and requirements req, as
  // choose_rank computes it.
  function rank(modelId, minContext, named, w, req) {
    var ranking = [], noPrice = [], meeting = {}, hosts = [], routers = [], frontier = [];
    var excluded = 0, over = 0;
    offers.forEach(function (o) {
      if (o.model !== modelId) return;
      if (o.router) {
        if (routers.indexOf(o.vendorName) < 0) routers.push(o.vendorName);
      } else if (hosts.indexOf(o.vendor) < 0) {
        hosts.push(o.vendor);
      }
      if ((req.compatible && !o.compatible) || (req.layer && o.layer !== req.layer) ||
        (req.via && o.vendor !== req.via && req.sellers.indexOf(o.vendor) < 0)) {
        excluded++;
        return;
      }
      var row = costed(o, w);
      var priced = !isNaN(row.monthly) && o.hasPrice;
      // the limit is compared in cents, as the costs are shown
      var overLimit = priced && req.max >= 0 && cents(row.monthly) > cents(req.max);
      if (!priced) noPrice.push(row);
      else if (overLimit) over++;
      else ranking.push(row);
      if (!overLimit) meeting[o.vendor] = true;
    });
    // the frontier-lab comparison: the model's named alternatives, each at
    // its cheapest offer on its lab's API, else the cheapest other closed
    // model with enough context
    offers.forEach(function (o) {
      if (!o.frontier || !o.hasPrice || o.model === modelId) return;
      if (named.length ? named.indexOf(o.model) < 0
        : !isNaN(minContext) && !(o.context >= minContext)) return;
      var row = costed(o, w);
      if (!isNaN(row.monthly)) frontier.push(row);
    });
    ranking.sort(compareRows);
    noPrice.sort(compareRows);
    frontier.sort(compareRows);
    var seen = {};
    frontier = frontier.filter(function (row) {
      if (seen[row.offer.model]) return false;
      seen[row.offer.model] = true;
      return true;
    });
    var candidates = frontier.length;
    if (!named.length) frontier = frontier.slice(0, 1);
    return {
      ranking: ranking, noPrice: noPrice, hosts: hosts.length,
      hostsMeeting: hosts.filter(function (v) { return meeting[v]; }).length,
      routers: routers, frontier: frontier, named: named.length > 0,
      excluded: excluded, over: over,
      candidates: candidates
    };
  }

  /* ---------- the page ---------- */

  var modelSel = document.getElementById('choose-model');
  var inputEl = document.getElementById('choose-input');
  var outputEl = document.getElementById('choose-output');
  var cachedEl = document.getElementById('choose-cached');
  var compatBox = document.getElementById('choose-compatible');
  var layerSel = document.getElementById('choose-layer');
  var viaSel = document.getElementById('choose-via');
  var maxEl = document.getElementById('choose-max');
  var maxHint = document.getElementById('choose-max-hint');
  var inputHint = document.getElementById('choose-input-hint');
  var outputHint = document.getElementById('choose-output-hint');
  var cachedHint = document.getElementById('choose-cached-hint');
  var summary = document.getElementById('choose-summary');
  var tbody = document.querySelector('#choose-ranking tbody');
  var noPriceBox = document.getElementById('choose-no-price');
  var notesBox = document.getElementById('choose-notes');
  var resilienceEl = document.getElementById('choose-resilience');
  var frontierBox = document.getElementById('choose-frontier');

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function vendorLink(o) {
    var a = el('a', '', o.vendorName);
    a.href = root + 'vendors/' + o.vendor + '.html';
    return a;
  }

  function unknownCell(td) {
    var na = el('span', 'na', '—');
    na.setAttribute('aria-hidden', 'true');
    td.appendChild(na);
    td.appendChild(el('span', 'vh', 'unknown'));
  }

  function priceCell(price, label) {
    var td = el('td', 'num');
    if (isNaN(price)) unknownCell(td);
    else td.textContent = '$' + label;
    return td;
  }

  // A row of the ranking; minContext is the model's context window.
  function rankingRow(row, i, minContext) {
    var o = row.offer;
    var tr = el('tr');
    tr.setAttribute('data-vendor', o.vendor);
    tr.setAttribute('data-remote', o.remote);
    tr.setAttribute('data-monthly', String(row.monthly));
    tr.appendChild(el('td', 'num', String(i + 1)));
    var th = el('th');
    th.scope = 'row';
    th.appendChild(vendorLink(o));
    if (o.router) th.appendChild(document.createTextNode(' (router)'));
    var rid = el('span', 'remote-id');
    rid.appendChild(el('span', 'vh', 'Remote ID: '));
    rid.appendChild(el('code', '', o.remote));
    th.appendChild(rid);
    tr.appendChild(th);
    tr.appendChild(el('td', '', o.layerName));
    tr.appendChild(el('td', 'num monthly-cost', formatUsd(row.monthly)));
    tr.appendChild(priceCell(o.input, o.inputLabel));
    tr.appendChild(priceCell(o.output, o.outputLabel));
    tr.appendChild(priceCell(o.cached, o.cachedLabel));
    var age = el('td');
    age.appendChild(el('span', 'tag tag-' + o.origin, o.origin));
    if (o.priceDate) {
      age.appendChild(document.createTextNode(' '));
      var time = el('time', '', ageLabel(o.age));
      time.setAttribute('datetime', o.priceDate);
      age.appendChild(time);
    }
    if (o.stale || o.old) {
      age.appendChild(document.createTextNode(' '));
      age.appendChild(el('span', 'tag tag-stale', o.stale ? 'stale' : 'old'));
    }
    tr.appendChild(age);
    var compat = el('td');
    compat.appendChild(o.compatible ? el('span', 'yes', 'Yes') : el('span', 'no', 'No'));
    tr.appendChild(compat);
    var ctx = el('td', 'num');
    if (isNaN(o.context)) unknownCell(ctx);
    else ctx.textContent = o.contextLabel;
    if (o.context < minContext) {
      ctx.appendChild(document.createTextNode(' '));
      ctx.appendChild(el('span', 'context-short',
        '(less than the model\'s ' + grouped(minContext) + ')'));
    }
    tr.appendChild(ctx);
    tr.appendChild(el('td', '', o.strengths));
    return tr;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function setHint(input, hint, value, ok, text) {
    input.setAttribute('aria-invalid', ok ? 'false' : 'true');
    if (hint) hint.textContent = text;
    return ok ? value : NaN;
  }

  function update() {
    var tin = parseTokens(inputEl.value);
    var tout = parseTokens(outputEl.value);
    var share = parseShare(cachedEl.value);
    setHint(inputEl, inputHint, tin, !isNaN(tin),
      isNaN(tin) ? 'Enter a token count such as 100k, 50M or 2.5B' : grouped(tin) + ' tokens');
    setHint(outputEl, outputHint, tout, !isNaN(tout),
      isNaN(tout) ? 'Enter a token count such as 100k, 50M or 2.5B' : grouped(tout) + ' tokens');
    setHint(cachedEl, cachedHint, share, !isNaN(share),
      isNaN(share) ? 'Enter a share from 0 to 1' : Math.round(share * 1e4) / 100 + '% of input billed at the cached price');
    var max = parseLimit(maxEl.value);
    setHint(maxEl, maxHint, max, !isNaN(max),
      isNaN(max) ? 'Enter an amount of US dollars, such as 250 or 1500.50, or leave it empty'
        : max < 0 ? 'Empty for no limit; offers that cost more are left out'
          : 'At most ' + formatUsd(max) + ' a month');
    clear(tbody);
    clear(noPriceBox);
    clear(notesBox);
    clear(frontierBox);
    resilienceEl.textContent = '';
    if (isNaN(tin) || isNaN(tout) || isNaN(share) || isNaN(max)) {
      summary.textContent = 'Enter a valid workload to see the ranking.';
      return;
    }
    var option = modelSel.options[modelSel.selectedIndex];
    if (!option) return;
    var modelName = option.textContent;
    if (split && !loaded[option.value]) {
      var wanted = option.value;
      summary.textContent = 'Loading the offers of ' + modelName + '…';
      live.setAttribute('aria-busy', 'true');
      load(wanted).then(function () {
        live.removeAttribute('aria-busy');
        if (modelSel.value === wanted) update();
      }, function (e) {
        live.removeAttribute('aria-busy');
        summary.textContent = 'The offers of ' + modelName + ' could not be loaded (' +
          e.message + ').';
      });
      return;
    }
    var minContext = num(option.getAttribute('data-context'));
    var viaOption = viaSel.options[viaSel.selectedIndex];
    var sellers = viaOption ? viaOption.getAttribute('data-sellers') || '' : '';
    var req = { compatible: compatBox.checked, layer: layerSel.value, via: viaSel.value,
      sellers: sellers ? sellers.split(' ') : [], max: max };
    var alternatives = option.getAttribute('data-alternatives') || '';
    var named = alternatives ? alternatives.split(' ') : [];
    var r = rank(option.value, minContext, named, { input: tin, output: tout, share: share }, req);

    summary.textContent = modelName + ': ' + r.ranking.length +
      (r.ranking.length === 1 ? ' offer' : ' offers') + ' ranked for ' + grouped(tin) +
      ' input and ' + grouped(tout) + ' output tokens a month' +
      (share > 0 ? ', ' + Math.round(share * 1e4) / 100 + '% of input cached' : '') + '.' +
      (r.excluded || r.over ? ' Left out: ' +
        (r.excluded ? r.excluded + (r.excluded === 1 ? ' offer that fails' : ' offers that fail') +
          ' a requirement' : '') + (r.excluded && r.over ? '; ' : '') +
        (r.over ? r.over + (r.over === 1 ? ' offer' : ' offers') + ' above the monthly limit' : '') +
        '.' : '');
    summary.setAttribute('data-excluded', String(r.excluded));
    summary.setAttribute('data-over-budget', String(r.over));
    r.ranking.forEach(function (row, i) { tbody.appendChild(rankingRow(row, i, minContext)); });

    var routed = r.ranking.concat(r.noPrice).some(function (row) { return row.offer.router; });
    if (routed) notesBox.appendChild(el('p', 'choose-router-note', ROUTER_NOTE));

    if (r.noPrice.length) {
      noPriceBox.appendChild(el('p', '', 'No published price:'));
      var ul = el('ul', 'choose-no-price');
      r.noPrice.forEach(function (row) {
        var li = el('li');
        li.setAttribute('data-vendor', row.offer.vendor);
        li.setAttribute('data-remote', row.offer.remote);
        li.appendChild(vendorLink(row.offer));
        li.appendChild(document.createTextNode(' '));
        li.appendChild(el('code', '', row.offer.remote));
        ul.appendChild(li);
      });
      noPriceBox.appendChild(ul);
    }

    resilienceEl.setAttribute('data-hosts', String(r.hosts));
    resilienceEl.setAttribute('data-hosts-meeting', String(r.hostsMeeting));
    resilienceEl.appendChild(el('strong', '', 'Resilience:'));
    resilienceEl.appendChild(document.createTextNode(' ' + r.hosts +
      (r.hosts === 1 ? ' independent host serves ' : ' independent hosts serve ') + modelName +
      ', ' + r.hostsMeeting + ' of them meeting your requirements: that is what you can fail over to.' +
      (r.routers.length ? ' Also sold through ' + r.routers.join(', ') + ', a router to other hosts, not counted.' : '')));

    var box = el('div', 'choose-frontier');
    box.setAttribute('data-named', String(r.named));
    var p = el('p');
    p.appendChild(el('strong', '', 'Frontier-lab comparison:'));
    p.appendChild(document.createTextNode(r.named
      ? ' the same tokens on the closed models the catalog names as the alternatives to ' +
        modelName + ', each through its own lab\'s API:'
      : ' the same tokens on the cheapest closed model through its own lab\'s API' +
        (isNaN(minContext) ? '' : ', with a context of at least ' + grouped(minContext) + ' tokens') + ':'));
    if (!r.frontier.length)
      p.appendChild(document.createTextNode(' none in the catalog has a price.'));
    box.appendChild(p);
    var ul = el('ul');
    r.frontier.forEach(function (row) {
      var li = el('li');
      li.setAttribute('data-model', row.offer.model);
      li.setAttribute('data-vendor', row.offer.vendor);
      li.setAttribute('data-monthly-label', formatUsd(row.monthly));
      li.appendChild(el('strong', '', formatUsd(row.monthly)));
      li.appendChild(document.createTextNode(' a month: ' + row.offer.modelName + ' on '));
      li.appendChild(vendorLink(row.offer));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    frontierBox.appendChild(box);
  }

  if (split) loaded[modelSel.value] = true; // the page carries its offers
  tools.hidden = false;
  live.hidden = false;
  [modelSel, compatBox, layerSel, viaSel].forEach(function (e) {
    e.addEventListener('change', update);
  });
  [inputEl, outputEl, cachedEl, maxEl].forEach(function (e) {
    e.addEventListener('input', update);
    e.addEventListener('change', update);
  });
  update();
}());
