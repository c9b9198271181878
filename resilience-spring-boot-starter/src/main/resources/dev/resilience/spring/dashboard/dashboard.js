// The live page: one EventSource on resilience/stream. The first message is a snapshot of
// everything; later ones are only what changed. Plain DOM, no library, no build.
(function () {
  'use strict';

  var MAX_EVENTS = 256;
  // How far back an adaptive limit's chart reaches; the page keeps its own history, as the
  // stream sends only moves.
  var HISTORY_MILLIS = 5 * 60 * 1000;
  var SVG = 'http://www.w3.org/2000/svg';
  var CHART_WIDTH = 300;
  var CHART_HEIGHT = 60;
  var breakers = {};
  var buckets = {};
  // name -> {item, history: [{t, limit}]}; the history outlives a reconnect's snapshot
  var adaptive = {};
  var $ = function (id) { return document.getElementById(id); };

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function clearEmpty(container) {
    var empty = container.querySelector('.empty');
    if (empty) { container.removeChild(empty); }
  }

  // Rows are kept in name order, as the actuator lists them.
  function insertSorted(container, row, name) {
    var rows = container.children;
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].dataset.name > name) { container.insertBefore(row, rows[i]); return; }
    }
    container.appendChild(row);
  }

  function showBreaker(breaker) {
    var row = breakers[breaker.name];
    if (!row) {
      row = element('tr');
      row.dataset.name = breaker.name;
      row.setAttribute('data-breaker', breaker.name);
      row.appendChild(element('td', 'name', breaker.name));
      row.appendChild(element('td'));
      clearEmpty($('breakers'));
      insertSorted($('breakers'), row, breaker.name);
      breakers[breaker.name] = row;
    }
    var cell = row.children[1];
    cell.textContent = '';
    cell.appendChild(element('span', 'state state-' + breaker.state, breaker.state));
    if (breaker.forced) { cell.appendChild(element('span', 'forced', 'forced')); }
  }

  function showBucket(bucket) {
    var row = buckets[bucket.name];
    if (!row) {
      row = element('tr');
      row.dataset.name = bucket.name;
      row.setAttribute('data-bucket', bucket.name);
      row.appendChild(element('td', 'name', bucket.name));
      row.appendChild(element('td', 'tokens'));
      var bar = element('div', 'bar');
      bar.appendChild(element('span'));
      var barCell = element('td');
      barCell.appendChild(bar);
      row.appendChild(barCell);
      clearEmpty($('buckets'));
      insertSorted($('buckets'), row, bucket.name);
      buckets[bucket.name] = row;
    }
    if (bucket.burst !== undefined) { row.dataset.burst = bucket.burst; }
    var burst = Number(row.dataset.burst) || 1;
    row.children[1].textContent = bucket.availableTokens.toFixed(1) + ' / ' + burst;
    var percent = Math.max(0, Math.min(100, 100 * bucket.availableTokens / burst));
    row.querySelector('.bar > span').style.width = percent + '%';
  }

  function svg(tag, attributes) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    return node;
  }

  function adaptiveItem(name) {
    var item = element('li');
    item.dataset.name = name;
    item.setAttribute('data-adaptive', name);
    var head = element('div', 'head');
    head.appendChild(element('span', 'name', name));
    head.appendChild(element('span', 'limit'));
    head.appendChild(element('span', 'in-flight'));
    item.appendChild(head);
    item.appendChild(element('div', 'why'));
    var chart = svg('svg', {
      viewBox: '0 0 ' + CHART_WIDTH + ' ' + CHART_HEIGHT,
      preserveAspectRatio: 'none',
      role: 'img'
    });
    chart.appendChild(svg('rect', {
      'class': 'frame', x: 0, y: 0, width: CHART_WIDTH, height: CHART_HEIGHT,
      'vector-effect': 'non-scaling-stroke'
    }));
    chart.appendChild(svg('polyline', { points: '', 'vector-effect': 'non-scaling-stroke' }));
    item.appendChild(chart);
    var scale = element('div', 'scale');
    scale.appendChild(element('span', null, '−5 min'));
    scale.appendChild(element('span', 'range'));
    scale.appendChild(element('span', null, 'now'));
    item.appendChild(scale);
    return item;
  }

  function showAdaptive(limit) {
    var entry = adaptive[limit.name];
    if (!entry) {
      entry = adaptive[limit.name] = { item: null, history: [] };
    }
    if (!entry.item || !entry.item.isConnected) {
      entry.item = adaptiveItem(limit.name);
      insertSorted($('adaptive'), entry.item, limit.name);
      $('adaptive-section').hidden = false;
    }
    var item = entry.item;
    item.querySelector('.limit').textContent = 'limit ' + limit.limit;
    item.querySelector('.in-flight').textContent = limit.inFlight + ' in flight';
    item.querySelector('.limit').title = 'between ' + limit.minLimit + ' and ' + limit.maxLimit;
    var change = limit.lastChange;
    var why = item.querySelector('.why');
    why.textContent = change.from === change.to
      ? change.reason + ' ' + change.to
      : change.from + ' → ' + change.to + ': ' + change.reason;
    why.appendChild(document.createTextNode(' at '));
    var time = element('time', null, new Date(change.time).toLocaleTimeString());
    time.setAttribute('datetime', change.time);
    why.appendChild(time);
    var history = entry.history;
    if (history.length === 0 || history[history.length - 1].limit !== limit.limit) {
      // Dated by the server's last move, not by this message, which the sampling delays: the
      // limit has stood since then, so a page opened later still draws its stretch. Kept within
      // the points before and now, as the two clocks may differ.
      var now = Date.now();
      var since = Date.parse(change.time);
      var after = history.length > 0 ? history[history.length - 1].t : now - HISTORY_MILLIS;
      var t = isNaN(since) ? now : Math.min(now, Math.max(after, since));
      history.push({ t: t, limit: limit.limit });
    }
    drawChart(entry);
  }

  // A step line of the limit over the last HISTORY_MILLIS, its last value held until now.
  function drawChart(entry) {
    var now = Date.now();
    var start = now - HISTORY_MILLIS;
    var history = entry.history;
    // the newest point before the window still says where the line starts: keep it, drop older
    while (history.length > 1 && history[1].t <= start) { history.shift(); }
    var top = 1;
    history.forEach(function (point) { top = Math.max(top, point.limit); });
    var x = function (t) {
      return (CHART_WIDTH * (Math.max(t, start) - start) / HISTORY_MILLIS).toFixed(1);
    };
    var y = function (value) {
      return (CHART_HEIGHT - 2 - (CHART_HEIGHT - 4) * value / top).toFixed(1);
    };
    var points = [];
    history.forEach(function (point, i) {
      if (i > 0) { points.push(x(point.t) + ',' + y(history[i - 1].limit)); }
      points.push(x(point.t) + ',' + y(point.limit));
    });
    if (history.length > 0) { points.push(x(now) + ',' + y(history[history.length - 1].limit)); }
    var chart = entry.item.querySelector('svg');
    chart.querySelector('polyline').setAttribute('points', points.join(' '));
    chart.setAttribute('data-points', history.length);
    chart.setAttribute('aria-label', 'limit over the last 5 minutes: '
      + history.map(function (point) { return point.limit; }).join(', '));
    entry.item.querySelector('.range').textContent = '0 – ' + top;
  }

  function eventItem(event) {
    var item = element('li');
    item.setAttribute('data-kind', event.kind);
    var time = element('time', null, new Date(event.time).toLocaleTimeString());
    time.setAttribute('datetime', event.time);
    item.appendChild(time);
    item.appendChild(element('span', 'kind', event.kind));
    var text = event.name;
    if (event.from !== undefined || event.to !== undefined) {
      text += ': ' + (event.from !== undefined ? event.from : '') + ' → ' + (event.to !== undefined ? event.to : '');
    }
    item.appendChild(element('span', null, text));
    if (event.detail !== undefined) { item.appendChild(element('span', 'detail', ' (' + event.detail + ')')); }
    return item;
  }

  function showEvent(event, atEnd) {
    var list = $('events');
    clearEmpty(list);
    var item = eventItem(event);
    if (atEnd) { list.appendChild(item); } else { list.insertBefore(item, list.firstChild); }
    while (list.children.length > MAX_EVENTS) { list.removeChild(list.lastChild); }
  }

  function reset(container, columns) {
    container.textContent = '';
    var row = element('tr', 'empty');
    var cell = element('td', null, 'none yet');
    cell.colSpan = columns;
    row.appendChild(cell);
    container.appendChild(row);
  }

  function snapshot(data) {
    breakers = {};
    buckets = {};
    reset($('breakers'), 2);
    reset($('buckets'), 3);
    $('events').textContent = '';
    $('events').appendChild(element('li', 'empty', 'none yet'));
    data.breakers.forEach(showBreaker);
    data.buckets.forEach(showBucket);
    $('adaptive').textContent = '';
    $('adaptive-section').hidden = true;
    var kept = {};
    data.adaptive.forEach(function (limit) {
      if (adaptive[limit.name]) { kept[limit.name] = adaptive[limit.name]; }
    });
    adaptive = kept;
    data.adaptive.forEach(showAdaptive);
    data.events.forEach(function (event) { showEvent(event, true); });
  }

  function connected(live) {
    var badge = $('connection');
    badge.className = 'connection ' + (live ? 'live' : 'connecting');
    badge.textContent = live ? 'live' : 'reconnecting…';
  }

  var source = new EventSource('resilience/stream');
  source.addEventListener('snapshot', function (message) {
    snapshot(JSON.parse(message.data));
    connected(true);
  });
  source.addEventListener('breaker', function (message) { showBreaker(JSON.parse(message.data)); });
  source.addEventListener('buckets', function (message) { JSON.parse(message.data).forEach(showBucket); });
  source.addEventListener('adaptive', function (message) { JSON.parse(message.data).forEach(showAdaptive); });
  // the charts move with time even while the limits stand still
  setInterval(function () {
    Object.keys(adaptive).forEach(function (name) { drawChart(adaptive[name]); });
  }, 1000);
  source.addEventListener('event', function (message) { showEvent(JSON.parse(message.data), false); });
  // The browser reconnects by itself; the next snapshot replaces everything shown.
  source.onerror = function () { connected(false); };
}());
