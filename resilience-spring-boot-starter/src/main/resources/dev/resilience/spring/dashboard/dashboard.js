// The live page: one EventSource on resilience/stream. The first message is a snapshot of
// everything; later ones are only what changed. Plain DOM, no library, no build.
(function () {
  'use strict';

  var MAX_EVENTS = 256;
  var breakers = {};
  var buckets = {};
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
  source.addEventListener('event', function (message) { showEvent(JSON.parse(message.data), false); });
  // The browser reconnects by itself; the next snapshot replaces everything shown.
  source.onerror = function () { connected(false); };
}());
