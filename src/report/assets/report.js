/*
 * splitbrain report page script. It reads the JSON embedded in #report-data and draws the
 * counterexample timeline (SVG), the paginated history table and the uPlot charts.
 * History values are untrusted: every piece of them reaches the page through textContent or
 * setAttribute, never through innerHTML.
 */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var SVGNS = 'http://www.w3.org/2000/svg';
  var tooltip = document.getElementById('tooltip');
  // How each fault kind is drawn comes with the data (src/report/fault-styles.ts), keyed by the
  // nemesis's fault names; an unknown kind still gets a grey band and its own name.
  function faultStyle(kind) {
    return data.faultStyles[kind] || { label: kind, color: 'rgba(0, 0, 0, 0.08)', row: 0 };
  }
  function faultKinds() {
    var kinds = [];
    data.faults.forEach(function (w) {
      if (kinds.indexOf(w.kind) < 0) kinds.push(w.kind);
    });
    return kinds;
  }

  // ---- small helpers ------------------------------------------------------------------------

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) node.setAttribute(name, attrs[name]);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVGNS, tag);
    for (var name in attrs || {}) node.setAttribute(name, String(attrs[name]));
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function show(value) {
    if (value === undefined || value === null) return 'nil';
    return JSON.stringify(value);
  }
  function describeOp(op) {
    var out = op.status === 'info' ? '?' : show(op.output);
    if (op.f === 'read' || op.f === 'get') return op.f + ' → ' + out;
    if (op.f === 'cas' && Array.isArray(op.input) && op.input.length === 2) {
      return 'cas ' + show(op.input[0]) + '→' + show(op.input[1]);
    }
    return op.input === undefined || op.input === null ? op.f : op.f + ' ' + show(op.input);
  }
  function fmtTime(ns) {
    if (ns === null || ns === undefined) return '';
    if (!data.realTimes) return 't=' + ns;
    var a = Math.abs(ns);
    if (a < 1e3) return ns + ' ns';
    if (a < 1e6) return (ns / 1e3).toFixed(1) + ' µs';
    if (a < 1e9) return (ns / 1e6).toFixed(1) + ' ms';
    return (ns / 1e9).toFixed(3) + ' s';
  }

  // ---- tooltip ------------------------------------------------------------------------------

  function attachTooltip(node, title, detail) {
    node.addEventListener('mouseenter', function (evt) {
      tooltip.textContent = '';
      tooltip.appendChild(el('div', { class: 'tip-title' }, title));
      tooltip.appendChild(el('pre', {}, JSON.stringify(detail, null, 2)));
      tooltip.hidden = false;
      place(evt);
    });
    node.addEventListener('mousemove', place);
    node.addEventListener('mouseleave', function () {
      tooltip.hidden = true;
    });
  }
  function place(evt) {
    var pad = 14;
    var w = tooltip.offsetWidth;
    var h = tooltip.offsetHeight;
    var x = evt.clientX + pad;
    var y = evt.clientY + pad;
    if (x + w > window.innerWidth - 4) x = Math.max(4, evt.clientX - w - pad);
    if (y + h > window.innerHeight - 4) y = Math.max(4, evt.clientY - h - pad);
    tooltip.style.left = x + 'px';
    tooltip.style.top = y + 'px';
  }

  // ---- tabs ---------------------------------------------------------------------------------

  var tabButtons = document.querySelectorAll('nav.tabs button');
  var renderedTabs = {};
  function openTab(name) {
    tabButtons.forEach(function (b) {
      b.classList.toggle('active', b.getAttribute('data-tab') === name);
    });
    document.querySelectorAll('.tab-panel').forEach(function (p) {
      p.classList.toggle('active', p.id === name);
    });
    if (!renderedTabs[name]) {
      renderedTabs[name] = true;
      if (name === 'plots') drawPlots();
    }
  }
  // Each tab has its own URL (report.html#history): a link can point at it, and Back returns to the tab before.
  function tabOfHash() {
    var name = decodeURIComponent(location.hash.slice(1));
    return document.querySelector('nav.tabs button[data-tab="' + name.replace(/["\\]/g, '') + '"]') ? name : null;
  }
  tabButtons.forEach(function (b) {
    b.addEventListener('click', function () {
      var name = b.getAttribute('data-tab');
      if (tabOfHash() !== name) window.history.pushState(null, '', '#' + name);
      openTab(name);
    });
  });
  window.addEventListener('popstate', function () {
    var name = tabOfHash();
    if (name) openTab(name);
  });
  window.addEventListener('hashchange', function () {
    var name = tabOfHash();
    if (name) openTab(name);
  });

  // ---- counterexample timeline --------------------------------------------------------------

  var LEFT = 96;
  var TOP = 60;
  var LANE = 46;
  var BAR = 20;

  function drawTimeline(container, view) {
    container.textContent = '';
    var ops = view.ops.slice().sort(function (a, b) {
      return a.call - b.call;
    });
    if (ops.length === 0) return;
    var processes = [];
    ops.forEach(function (op) {
      if (processes.indexOf(op.process) < 0) processes.push(op.process);
    });
    processes.sort(function (a, b) {
      return a - b;
    });
    var times = [];
    ops.forEach(function (op) {
      times.push(op.call);
      if (op.return !== null && op.return !== undefined) times.push(op.return);
    });
    times.sort(function (a, b) {
      return a - b;
    });
    times = times.filter(function (t, i) {
      return i === 0 || t !== times[i - 1];
    });
    var slot = Math.max(18, Math.min(96, 1100 / (times.length + 2)));
    var endRank = times.length + 0.6;
    function rank(t) {
      var lo = 0;
      var hi = times.length;
      while (lo < hi) {
        var mid = (lo + hi) >> 1;
        if (times[mid] < t) lo = mid + 1;
        else hi = mid;
      }
      if (lo < times.length && times[lo] === t) return lo;
      if (lo === 0) return -0.6;
      if (lo === times.length) return endRank;
      return lo - 1 + (t - times[lo - 1]) / (times[lo] - times[lo - 1]);
    }
    function x(r) {
      return LEFT + (r + 0.8) * slot;
    }
    var width = x(endRank) + 24;
    var height = TOP + processes.length * LANE + 26;
    var root = svg('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img' });
    var defs = svg('defs');
    var grad = svg('linearGradient', { id: 'info-fade', x1: 0, x2: 1, y1: 0, y2: 0 });
    grad.appendChild(svg('stop', { offset: '0%', 'stop-color': '#ffe0b2' }));
    grad.appendChild(svg('stop', { offset: '100%', 'stop-color': '#ffe0b2', 'stop-opacity': 0.15 }));
    defs.appendChild(grad);
    root.appendChild(defs);

    // Fault bands first, so ops draw over them.
    var first = times[0];
    var last = times[times.length - 1];
    data.faults.forEach(function (w) {
      var end = w.end === null ? Infinity : w.end;
      if (end < first || w.start > last) return;
      var x0 = x(Math.max(rank(w.start), -0.6));
      var x1 = w.end === null ? x(endRank) : x(Math.min(rank(w.end), endRank));
      var style = faultStyle(w.kind);
      var g = svg('g', { class: 'fault', 'data-fault': w.kind });
      g.appendChild(
        svg('rect', {
          x: x0,
          y: TOP - 16,
          width: Math.max(3, x1 - x0),
          height: processes.length * LANE + 16,
          fill: style.color,
        }),
      );
      g.appendChild(
        svg(
          'text',
          { x: x0 + 3, y: TOP - 5 - 13 * style.row },
          style.label + (w.end === null ? ' (never healed)' : ''),
        ),
      );
      attachTooltip(
        g,
        'fault: ' + style.label + ' from ' + fmtTime(w.start) + (w.end === null ? '' : ' to ' + fmtTime(w.end)),
        w.events,
      );
      root.appendChild(g);
    });

    // Lanes.
    var laneY = {};
    processes.forEach(function (p, i) {
      var y = TOP + i * LANE;
      laneY[p] = y;
      root.appendChild(
        svg('line', { class: 'lane-line', x1: LEFT - 6, x2: width, y1: y + LANE - 4, y2: y + LANE - 4 }),
      );
      root.appendChild(svg('text', { class: 'lane-label', x: 8, y: y + 14 + BAR / 2 }, 'process ' + p));
    });

    // Time axis: a few ticks with real times.
    var axis = svg('g', { class: 'axis' });
    var every = Math.max(1, Math.ceil(90 / slot));
    for (var r = 0; r < times.length; r += every) {
      axis.appendChild(svg('text', { x: x(r), y: height - 8, 'text-anchor': 'middle' }, fmtTime(times[r])));
    }
    root.appendChild(axis);

    // Ops.
    var concurrent = {};
    view.concurrent.forEach(function (id) {
      concurrent[id] = true;
    });
    var byId = {};
    ops.forEach(function (op) {
      byId[op.id] = op;
      var crashed = op.return === null || op.return === undefined;
      var x0 = x(rank(op.call));
      var x1 = crashed ? x(endRank) : x(rank(op.return));
      var w = Math.max(8, x1 - x0);
      var y = laneY[op.process] + 14;
      var type = op.status === 'ok' ? 'ok' : op.status === 'fail' ? 'fail' : 'info';
      var isFailed = op.id === view.failedOp;
      var g = svg('g', {
        class: 'op ' + type + (concurrent[op.id] ? ' concurrent' : ''),
        'data-op-id': op.id,
        'data-op': op.invokeIndex,
        'data-failed': isFailed ? 'true' : 'false',
      });
      g.appendChild(svg('rect', { class: 'bar', x: x0, y: y, width: w, height: BAR }));
      var label = describeOp(op);
      var fit = Math.max(1, Math.floor((w - 8) / 6.6));
      if (label.length > fit) label = fit > 2 ? label.slice(0, fit - 1) + '…' : '';
      g.appendChild(svg('text', { x: x0 + 4, y: y + 14 }, label));
      attachTooltip(
        g,
        'op ' +
          op.invokeIndex +
          ' · process ' +
          op.process +
          ' · ' +
          describeOp(op) +
          ' · ' +
          (crashed ? 'outcome unknown' : op.status) +
          (isFailed ? ' · CANNOT BE LINEARIZED' : ''),
        op,
      );
      root.appendChild(g);
      if (isFailed) {
        root.appendChild(svg('text', { class: 'failed-label', x: x0, y: y + BAR + 11 }, '✗ cannot be linearized'));
      }
    });

    // Linearization points: a monotone choice of one point inside each prefix op's interval.
    var prev = -Infinity;
    var path = [];
    view.prefix.forEach(function (step, i) {
      var op = byId[step.op];
      if (!op) return;
      var lo = rank(op.call) + 0.12;
      var hi = op.return === null || op.return === undefined ? endRank : rank(op.return) - 0.12;
      var r = Math.min(Math.max(prev + 0.18, lo), Math.max(lo, hi));
      prev = r;
      var px = x(r);
      // On the bar's top edge, so the op's own label inside the bar stays readable.
      var py = laneY[op.process] + 14;
      path.push(px + ',' + py);
      var g = svg('g', { class: 'lin', 'data-step': i + 1, 'data-op-id': op.id });
      g.appendChild(svg('circle', { class: 'lin-point', cx: px, cy: py, r: 4.5 }));
      var state = step.stateAfter.length > 16 ? step.stateAfter.slice(0, 15) + '…' : step.stateAfter;
      var label = svg('text', { class: 'lin-label', x: px - 4, y: py - 6 });
      label.appendChild(svg('tspan', {}, '#' + (i + 1)));
      label.appendChild(svg('tspan', { class: 'lin-state' }, ' ⇒ ' + state));
      g.appendChild(label);
      attachTooltip(g, 'linearization step ' + (i + 1) + ': op ' + op.invokeIndex + ' ' + describeOp(op), {
        op: op.invokeIndex,
        stateAfter: step.stateAfter,
      });
      root.appendChild(g);
    });
    if (path.length > 1) {
      var line = svg('polyline', { class: 'lin-path', points: path.join(' ') });
      root.insertBefore(line, root.querySelector('g.op'));
    }
    container.appendChild(root);
  }

  function drawLinearization(table, view) {
    table.textContent = '';
    var head = el('tr');
    ['step', 'op', 'process', 'operation', 'state after'].forEach(function (h) {
      head.appendChild(el('th', {}, h));
    });
    table.appendChild(head);
    var byId = {};
    var free = {};
    view.ops.forEach(function (op) {
      byId[op.id] = op;
    });
    (view.free || []).forEach(function (op) {
      byId[op.id] = op;
      free[op.id] = true;
    });
    view.prefix.forEach(function (step, i) {
      var op = byId[step.op] || { id: step.op, invokeIndex: '?', process: '?', f: '?' };
      var tr = el('tr', free[op.id] ? { class: 'free' } : {});
      var what =
        describeOp(op) + (free[op.id] ? ' (set aside: may take effect any time after its invoke; not drawn)' : '');
      [i + 1, op.invokeIndex, op.process, what, step.stateAfter].forEach(function (v) {
        tr.appendChild(el('td', {}, v));
      });
      table.appendChild(tr);
    });
    var failed = byId[view.failedOp];
    if (failed) {
      var tr = el('tr', { class: 'failed' });
      ['✗', failed.invokeIndex, failed.process, describeOp(failed), 'no legal next state'].forEach(function (v) {
        tr.appendChild(el('td', {}, v));
      });
      table.appendChild(tr);
    }
  }

  function drawLegend(legend) {
    legend.textContent = '';
    function item(cls, text, color, fault) {
      var span = el('span', fault ? { 'data-fault': fault } : {});
      var swatch = el('span', { class: 'swatch ' + cls });
      if (color) swatch.style.background = color;
      span.appendChild(swatch);
      span.appendChild(document.createTextNode(text));
      legend.appendChild(span);
    }
    item('ok', 'ok: took effect between its ends');
    item('info', 'info: outcome unknown, may take effect any time after invoke');
    item('failed', 'the op that cannot be linearized');
    item('point', 'linearization point (step, state after)');
    faultKinds().forEach(function (k) {
      var style = faultStyle(k);
      item('fault', style.label + ' in force', style.color, k);
    });
  }

  var cx = data.counterexample;
  if (cx) {
    var section = document.getElementById('counterexample');
    var views = section.querySelector('.views');
    var timeline = document.getElementById('timeline');
    var linTable = document.getElementById('linearization');
    var note = el('span', { class: 'note' });
    var choices = [
      {
        name: 'minimized',
        label: (cx.minimize ? 'Minimized (' : 'Near the failure (') + cx.minimized.ops.length + ' ops)',
        view: cx.minimized,
      },
      {
        name: 'full',
        label: 'All ops of this key (' + (cx.full.ops.length + cx.full.omittedBefore + cx.full.omittedAfter) + ')',
        view: cx.full,
      },
    ];
    choices.forEach(function (choice) {
      var b = el('button', { type: 'button', 'data-view': choice.name }, choice.label);
      b.addEventListener('click', function () {
        pick(choice);
      });
      choice.button = b;
      views.appendChild(b);
    });
    views.appendChild(note);
    function pick(choice) {
      choices.forEach(function (c) {
        c.button.classList.toggle('active', c === choice);
      });
      drawTimeline(timeline, choice.view);
      drawLinearization(linTable, choice.view);
      document.getElementById('linearization-title').textContent =
        choice.name === 'minimized' && cx.minimize
          ? 'Linearization the re-check found before the failure (of the minimized ops and the ops set aside)'
          : 'Linearization found before the failure';
      var v = choice.view;
      if (choice.name === 'minimized' && cx.minimize && cx.minimize.error && cx.minimize.to === cx.minimize.from) {
        note.textContent = 'Not minimized: the re-check failed (' + cx.minimize.error + ').';
      } else if (choice.name === 'minimized') {
        note.textContent = cx.minimize
          ? 'Shrunk from ' +
            cx.minimize.from +
            ' to ' +
            cx.minimize.to +
            ' ops with ' +
            cx.minimize.checks +
            ' re-checks' +
            (cx.minimize.minimal
              ? ' (none of these can be set aside). '
              : ' (the time budget ran out before it was fully minimal). ') +
            'The other ops of this key were set aside in the most forgiving way (reads dropped; every other op allowed to ' +
            'take effect at any time after its invoke, or not at all), and even so the ops drawn cannot be linearized.'
          : 'As found by the checker (not minimized)' +
            (v.omittedBefore + v.omittedAfter > 0
              ? '; ' + (v.omittedBefore + v.omittedAfter) + ' ops farther from the failure are left out.'
              : '.');
      } else {
        note.textContent =
          v.omittedBefore + v.omittedAfter > 0
            ? 'Showing the ' +
              v.ops.length +
              ' ops nearest the failure; ' +
              v.omittedBefore +
              ' earlier and ' +
              v.omittedAfter +
              ' later ops are in the Full history tab.'
            : 'Every op of this key.';
      }
    }
    drawLegend(document.getElementById('legend'));
    pick(choices[0]);
  }

  // ---- full history, paginated --------------------------------------------------------------

  var PAGE = 250;
  var allRows = data.history.rows;
  // Indexes into allRows of the rows the filter lets through (all of them at first).
  var rows = allRows.map(function (_, i) {
    return i;
  });
  var pages = Math.max(1, Math.ceil(rows.length / PAGE));
  var page = 0;
  var pager = document.getElementById('pager');
  var table = document.getElementById('history-table');
  var pageLabel = el('span');
  var pageInput = el('input', { type: 'number', min: 1, max: pages, value: 1, 'aria-label': 'page' });
  function button(text, onClick) {
    var b = el('button', { type: 'button' }, text);
    b.addEventListener('click', onClick);
    pager.appendChild(b);
    return b;
  }
  button('« first', function () {
    drawPage(0);
  });
  button('‹ prev', function () {
    drawPage(page - 1);
  });
  pager.appendChild(pageInput);
  pager.appendChild(pageLabel);
  button('next ›', function () {
    drawPage(page + 1);
  });
  button('last »', function () {
    drawPage(pages - 1);
  });
  var filter = el('input', {
    type: 'search',
    placeholder: 'filter: process, f, key, value, node, error',
    'aria-label': 'filter rows',
  });
  filter.style.width = '300px';
  pager.appendChild(filter);
  filter.addEventListener('input', function () {
    var q = filter.value.trim().toLowerCase();
    rows = [];
    allRows.forEach(function (r, i) {
      if (q === '' || JSON.stringify(r).toLowerCase().indexOf(q) >= 0) rows.push(i);
    });
    pages = Math.max(1, Math.ceil(rows.length / PAGE));
    pageInput.setAttribute('max', pages);
    drawPage(0);
  });
  if (data.history.failedRow !== null) {
    button('go to the failed op', function () {
      if (filter.value !== '') {
        filter.value = '';
        filter.dispatchEvent(new Event('input'));
      }
      drawPage(Math.floor(data.history.failedRow / PAGE));
      var row = table.querySelector('tr.failed');
      if (row) row.scrollIntoView({ block: 'center' });
    });
  }
  pageInput.addEventListener('change', function () {
    drawPage(Number(pageInput.value) - 1);
  });
  function drawPage(n) {
    page = Math.max(0, Math.min(pages - 1, n || 0));
    pageInput.value = page + 1;
    pageLabel.textContent =
      ' of ' +
      pages +
      ' (' +
      rows.length +
      (rows.length === allRows.length ? '' : ' of ' + allRows.length) +
      ' ops, ' +
      PAGE +
      ' a page)';
    table.textContent = '';
    var head = el('tr');
    ['op', 'process', 'type', 'f', 'key', 'input', 'output', 'invoke', 'complete', 'latency', 'node', 'error'].forEach(
      function (h) {
        head.appendChild(el('th', {}, h));
      },
    );
    table.appendChild(head);
    var end = Math.min(rows.length, (page + 1) * PAGE);
    for (var k = page * PAGE; k < end; k++) {
      var i = rows[k];
      var r = allRows[i];
      var tr = el('tr', { class: r[1] + (i === data.history.failedRow ? ' failed' : ''), 'data-index': r[10] });
      var latency = r[7] === null ? '' : fmtTime(r[7] - r[6]);
      var cells = [
        r[10],
        r[0],
        r[1],
        r[2],
        r[3] === null ? '' : show(r[3]),
        show(r[4]),
        r[1] === 'ok' ? show(r[5]) : '',
        fmtTime(r[6]),
        fmtTime(r[7]),
        latency,
        r[8] || '',
        r[9] || '',
      ];
      cells.forEach(function (v, c) {
        tr.appendChild(el('td', c === 2 ? { class: 'type' } : {}, v));
      });
      table.appendChild(tr);
    }
  }
  drawPage(0);

  // ---- plots ----------------------------------------------------------------------------------

  function shadeFaults(u) {
    var ctx = u.ctx;
    ctx.save();
    data.faults.forEach(function (w) {
      var x0 = u.valToPos(w.start / 1e9, 'x', true);
      var x1 = w.end === null ? u.bbox.left + u.bbox.width : u.valToPos(w.end / 1e9, 'x', true);
      x0 = Math.max(x0, u.bbox.left);
      x1 = Math.min(x1, u.bbox.left + u.bbox.width);
      if (x1 <= x0) return;
      ctx.fillStyle = faultStyle(w.kind).color;
      ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
    });
    ctx.restore();
  }
  function drawPlots() {
    if (!data.plots || typeof uPlot === 'undefined') return;
    var width = Math.max(600, document.getElementById('plots').clientWidth - 20);
    var colors = ['#2e7d32', '#757575', '#e65100'];
    var names = ['ok', 'fail', 'info'];
    var fColors = ['#1565c0', '#6a1b9a', '#00838f', '#ad1457', '#5d4037'];
    new uPlot(
      {
        title: 'Throughput (completions per second; fault windows shaded)',
        width: width,
        height: 260,
        scales: { x: { time: false } },
        axes: [{ label: 'time since start (s)' }, { label: 'ops/s' }],
        series: [{ label: 't (s)' }]
          .concat(
            names.map(function (n, i) {
              return { label: n, stroke: colors[i], width: 1.5 };
            }),
          )
          .concat(
            // One line per operation, as Jepsen's rate graph: ok completions of read, write, cas...
            data.plots.throughputByF.f.map(function (f, i) {
              return { label: 'ok ' + f, stroke: fColors[i % fColors.length], width: 1, dash: [5, 3] };
            }),
          ),
        hooks: { drawClear: [shadeFaults] },
      },
      data.plots.throughput.concat(data.plots.throughputByF.series),
      document.getElementById('throughput-plot'),
    );
    new uPlot(
      {
        title: 'Latency of each op (by invoke time, log scale; fault windows shaded)',
        width: width,
        height: 300,
        // Log scale, as Jepsen's latency plots: timeouts are 1000x the median and would flatten it.
        scales: { x: { time: false }, y: { distr: 3 } },
        axes: [{ label: 'time since start (s)' }, { label: 'latency (ms)' }],
        series: [{ label: 't (s)' }].concat(
          names.map(function (n, i) {
            return {
              label: n,
              stroke: colors[i],
              paths: function () {
                return null;
              },
              points: { show: true, size: 4, stroke: colors[i], fill: colors[i] },
            };
          }),
        ),
        hooks: { drawClear: [shadeFaults] },
      },
      data.plots.latency,
      document.getElementById('latency-plot'),
    );
    new uPlot(
      {
        title: 'Latency quantiles of ok ops (by invoke time, log scale; fault windows shaded)',
        width: width,
        height: 260,
        scales: { x: { time: false }, y: { distr: 3 } },
        axes: [{ label: 'time since start (s)' }, { label: 'latency (ms)' }],
        series: [{ label: 't (s)' }].concat(
          ['p50', 'p95', 'p99'].map(function (q, i) {
            return { label: q, stroke: ['#1b5e20', '#f9a825', '#b71c1c'][i], width: 1.5, spanGaps: false };
          }),
        ),
        hooks: { drawClear: [shadeFaults] },
      },
      data.plots.latencyQuantiles,
      document.getElementById('latency-quantile-plot'),
    );
    var note = document.getElementById('plots-note');
    note.textContent =
      data.plots.latencySampledEvery > 1
        ? 'Latency shows one op in ' +
          data.plots.latencySampledEvery +
          ' to keep the report small; throughput counts all. '
        : 'Every completed op is plotted. ';
    faultKinds().forEach(function (k) {
      var style = faultStyle(k);
      var span = el('span', { class: 'fault-key', 'data-fault': k });
      var swatch = el('span', { class: 'swatch' });
      swatch.style.background = style.color;
      span.appendChild(swatch);
      span.appendChild(document.createTextNode(style.label + ' in force'));
      note.appendChild(span);
    });
  }

  var firstTab = document.querySelector('nav.tabs button.active');
  var linked = tabOfHash();
  if (linked) openTab(linked);
  else if (firstTab) openTab(firstTab.getAttribute('data-tab'));
  document.body.setAttribute('data-ready', 'true');
})();
