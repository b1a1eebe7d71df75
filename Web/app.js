// glanced dashboard: reads the Glances REST API of the newest generation the server has (2, 3 or 4),
// `all` once per refresh interval, the history routes once at load. Every reader is defensive: a
// missing plugin or field hides its panel or shows "–", it never throws.
'use strict';
(() => {
  const WINDOW = 300; // seconds of history shown
  const TOP = 30; // process rows
  const meta = (name) => (document.querySelector('meta[name="' + name + '"]') || {}).content || '';
  const apiGen = parseInt(meta('glanced-api'), 10) || 4;
  const version = meta('glanced-version');
  const $ = (id) => document.getElementById(id);

  // ---- values and units -------------------------------------------------------------------------
  const num = (v) => (typeof v === 'number' && isFinite(v) ? v : null);
  const list = (v) => (Array.isArray(v) ? v : []);
  const obj = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : null);
  const fixed = (v, d) => (v >= 100 || d === 0 ? Math.round(v).toString() : v.toFixed(d));
  function bytes(v) { // binary units: sizes
    v = num(v);
    if (v === null) return '–';
    const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
    let i = 0;
    while (Math.abs(v) >= 1024 && i < u.length - 1) { v /= 1024; i++; }
    return (i === 0 ? Math.round(v) : fixed(v, v < 10 ? 2 : 1)) + ' ' + u[i];
  }
  function rate(v) { // decimal units: throughput
    v = num(v);
    if (v === null) return '–';
    const u = ['B/s', 'kB/s', 'MB/s', 'GB/s', 'TB/s'];
    let i = 0;
    while (Math.abs(v) >= 1000 && i < u.length - 1) { v /= 1000; i++; }
    return (i === 0 ? Math.round(v) : fixed(v, v < 10 ? 1 : 0)) + ' ' + u[i];
  }
  const pct = (v) => (num(v) === null ? '–' : fixed(v, 1) + ' %');
  const plain = (v, d) => (num(v) === null ? '–' : v.toFixed(d));

  // Server wall-clock seconds from "YYYY-MM-DD[T ]HH:MM:SS[.f]" (history and `now` alike), so that
  // seeded and live points share one time axis whatever the browser's time zone.
  function wall(text) {
    const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(\.\d+)?/.exec(String(text || ''));
    if (!m) return null;
    return Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000 + (m[7] ? parseFloat(m[7]) : 0);
  }
  const clockLabel = (t, seconds) => new Date(t * 1000).toISOString().slice(11, seconds ? 19 : 16);

  // ---- the API ----------------------------------------------------------------------------------
  class HTTPError extends Error {
    constructor(status) { super('HTTP ' + status); this.status = status; }
  }
  async function get(route) {
    // The origin, never the document URL: that may carry user:password@, which fetch refuses.
    const response = await fetch(location.origin + '/api/' + apiGen + '/' + route, {
      headers: { Accept: 'application/json' }, credentials: 'same-origin',
    });
    if (!response.ok) throw new HTTPError(response.status);
    return response.json();
  }
  const maybe = (route) => get(route).catch(() => null);
  // glanced's own Glances 2 routes: the thresholds as glanced applies them (the sensors' included, which a
  // Glances 4 server does not list) and the [monitor] groups (only Glances 2 has that plugin).
  async function getOwn(route) {
    const response = await fetch(location.origin + '/api/2/' + route, {
      headers: { Accept: 'application/json' }, credentials: 'same-origin',
    });
    if (!response.ok) throw new HTTPError(response.status);
    return response.json();
  }
  const maybeOwn = (route) => getOwn(route).catch(() => null);

  // ---- thresholds (Glances' careful / warning / critical) ---------------------------------------
  let limits = {};
  function limit(plugin, name) {
    const section = obj(limits[plugin]);
    return section ? num(section[plugin + '_' + name]) : null;
  }
  // Glances' get_alert: the highest threshold the value reaches; 'default' without thresholds.
  function level(value, plugin, prefix, fallback) {
    value = num(value);
    if (value === null) return 'default';
    const t = (k) => {
      const v = limit(plugin, prefix + k);
      return v !== null ? v : fallback ? fallback[k] : null;
    };
    const critical = t('critical'), warning = t('warning'), careful = t('careful');
    if (critical === null && warning === null && careful === null) return 'default';
    if (critical !== null && value >= critical) return 'critical';
    if (warning !== null && value >= warning) return 'warning';
    if (careful !== null && value >= careful) return 'careful';
    return 'ok';
  }
  const PERCENT = { careful: 50, warning: 70, critical: 90 };

  // ---- normalising the generations' shapes ------------------------------------------------------
  let interval = 1;
  const tsu = (e) => num(e.time_since_update) || interval;
  function netRates(e) {
    if (num(e.bytes_recv_rate_per_sec) !== null || num(e.bytes_sent_rate_per_sec) !== null) {
      return [num(e.bytes_recv_rate_per_sec), num(e.bytes_sent_rate_per_sec)];
    }
    const t = tsu(e);
    return [num(e.rx) === null ? null : e.rx / t, num(e.tx) === null ? null : e.tx / t];
  }
  function diskRates(e) {
    if (num(e.read_bytes_rate_per_sec) !== null || num(e.write_bytes_rate_per_sec) !== null) {
      return [num(e.read_bytes_rate_per_sec), num(e.write_bytes_rate_per_sec)];
    }
    const t = tsu(e);
    return [num(e.read_bytes) === null ? null : e.read_bytes / t, num(e.write_bytes) === null ? null : e.write_bytes / t];
  }
  function sampleTime(all) {
    const now = all.now;
    const text = typeof now === 'string' ? now : obj(now) ? now.iso || now.custom : null;
    const t = wall(text);
    if (t !== null) return { t, text: String(obj(now) ? now.custom || now.iso : now) };
    const local = Date.now() / 1000 - new Date().getTimezoneOffset() * 60;
    return { t: local, text: clockLabel(local, true) };
  }
  function procMemory(p) {
    const info = p.memory_info;
    if (Array.isArray(info)) return num(info[0]);
    return obj(info) ? num(info.rss) : null;
  }
  function procIO(p) {
    const io = p.io_counters;
    if (!Array.isArray(io) || io.length < 4 || io[4] === 0) return null;
    const t = tsu(p);
    const r = Math.max(0, (num(io[0]) || 0) - (num(io[2]) || 0)) / t;
    const w = Math.max(0, (num(io[1]) || 0) - (num(io[3]) || 0)) / t;
    return [r, w];
  }
  function procCommand(p) {
    const c = p.cmdline;
    const text = Array.isArray(c) ? c.join(' ') : typeof c === 'string' ? c : '';
    return text;
  }
  function alertsOf(all) {
    return list(all.alert).map((a) => {
      if (Array.isArray(a)) return { begin: a[0], end: a[1], state: a[2], type: a[3], max: a[4], avg: a[5] };
      return obj(a) || {};
    });
  }
  function sensorsOf(all) {
    const out = list(all.sensors).filter(obj).map((s) => Object.assign({}, s));
    const seen = new Set(out.map((s) => s.type + '\u0000' + s.label));
    const add = (entries, type, unit) => {
      for (const e of list(entries)) {
        if (!obj(e) || seen.has(type + '\u0000' + e.label)) continue;
        out.push(Object.assign({ type, unit }, e));
      }
    };
    add(all.hddtemp, 'temperature_hdd', 'C'); // Glances 2 keeps these in plugins of their own
    add(all.batpercent, 'battery', '%');
    return out;
  }

  // ---- charts: a small canvas line chart --------------------------------------------------------
  const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  class Chart {
    // kind: 'percent' (0–100), 'rate' (B/s) or 'plain'
    constructor(parent, id, title, kind) {
      this.kind = kind;
      this.series = new Map(); // name -> {label, color, width, fill, points: [[t, v]], legend}
      this.root = document.createElement('figure');
      this.root.className = 'chart';
      this.root.id = 'chart-' + id;
      const h = document.createElement('h3');
      h.textContent = title;
      this.title = title;
      this.canvas = document.createElement('canvas');
      this.canvas.setAttribute('role', 'img');
      this.legend = document.createElement('ul');
      this.legend.className = 'legend';
      this.root.append(h, this.canvas, this.legend);
      parent.append(this.root);
      if (window.ResizeObserver) new ResizeObserver(() => this.draw()).observe(this.canvas);
    }
    line(name, label, color, options) {
      let s = this.series.get(name);
      if (!s) {
        s = Object.assign({ label, color, width: 1.6, fill: false, points: [], legend: null }, options || {});
        if (s.legend !== false) {
          const li = document.createElement('li');
          const sw = document.createElement('span');
          sw.className = 'sw';
          const text = document.createElement('span');
          li.append(sw, text);
          this.legend.append(li);
          s.legend = { li, sw, text };
        }
        this.series.set(name, s);
      }
      return s;
    }
    add(name, t, v) {
      const s = this.series.get(name);
      if (!s || num(v) === null) return;
      const last = s.points[s.points.length - 1];
      if (last && t <= last[0]) return;
      s.points.push([t, v]);
      while (s.points.length && s.points[0][0] < t - WINDOW - interval) s.points.shift();
    }
    format(v) {
      return this.kind === 'percent' ? pct(v) : this.kind === 'rate' ? rate(v) : plain(v, 2);
    }
    draw() {
      const canvas = this.canvas;
      const w = canvas.clientWidth, h = canvas.clientHeight;
      if (!w || !h) return;
      const dpr = window.devicePixelRatio || 1;
      if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
        canvas.width = Math.round(w * dpr);
        canvas.height = Math.round(h * dpr);
      }
      const g = canvas.getContext('2d');
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.clearRect(0, 0, w, h);
      let tEnd = 0, vMax = 0, count = 0;
      for (const s of this.series.values()) {
        count = Math.max(count, s.points.length);
        if (s.points.length) tEnd = Math.max(tEnd, s.points[s.points.length - 1][0]);
        for (const p of s.points) vMax = Math.max(vMax, p[1]);
      }
      canvas.dataset.points = String(count);
      const ceiling = this.kind === 'percent' ? 100 : niceCeiling(Math.max(vMax, this.kind === 'rate' ? 1000 : 1));
      const font = parseFloat(getComputedStyle(canvas).fontSize) || 12;
      g.font = Math.round(font * 0.72) + 'px system-ui, sans-serif';
      const labels = [0, 0.5, 1].map((f) => this.format(ceiling * f));
      const left = Math.ceil(Math.max(...labels.map((l) => g.measureText(l).width))) + 8;
      const bottom = Math.round(font * 1.1), top = 6, right = 4;
      const pw = w - left - right, ph = h - top - bottom;
      const tStart = tEnd - WINDOW;
      const x = (t) => left + ((t - tStart) / WINDOW) * pw;
      const y = (v) => top + ph - (Math.min(v, ceiling) / ceiling) * ph;
      g.strokeStyle = css('--grid');
      g.fillStyle = css('--muted');
      g.lineWidth = 1;
      g.textBaseline = 'middle';
      g.textAlign = 'right';
      [0, 0.25, 0.5, 0.75, 1].forEach((f) => {
        const yy = Math.round(y(ceiling * f)) + 0.5;
        g.beginPath();
        g.moveTo(left, yy);
        g.lineTo(w - right, yy);
        g.stroke();
        if (f === 0 || f === 0.5 || f === 1) g.fillText(this.format(ceiling * f), left - 5, yy);
      });
      g.textAlign = 'center';
      g.textBaseline = 'top';
      if (tEnd) {
        for (let t = Math.ceil(tStart / 60) * 60; t <= tEnd; t += 60) {
          const xx = Math.round(x(t)) + 0.5;
          g.beginPath();
          g.moveTo(xx, top);
          g.lineTo(xx, top + ph);
          g.stroke();
          if (xx > left + 18 && xx < w - 18) g.fillText(clockLabel(t, false), xx, top + ph + 3);
        }
      }
      g.save();
      g.beginPath();
      g.rect(left, top, pw, ph);
      g.clip();
      g.lineJoin = 'round';
      const gap = Math.max(3 * interval, 3);
      for (const s of this.series.values()) {
        if (!s.points.length) continue;
        const color = s.color.startsWith('--') ? css(s.color) : s.color;
        if (s.fill) {
          g.beginPath();
          let open = false, first = 0, prev = null;
          for (const [t, v] of s.points) {
            if (open && t - prev[0] > gap) {
              g.lineTo(x(prev[0]), y(0));
              g.lineTo(x(first), y(0));
              open = false;
            }
            if (!open) { g.moveTo(x(t), y(0)); first = t; open = true; }
            g.lineTo(x(t), y(v));
            prev = [t, v];
          }
          g.lineTo(x(prev[0]), y(0));
          g.closePath();
          g.fillStyle = css('--fill');
          g.fill();
        }
        g.beginPath();
        let prev = null;
        for (const [t, v] of s.points) {
          if (!prev || t - prev > gap) g.moveTo(x(t), y(v)); else g.lineTo(x(t), y(v));
          prev = t;
        }
        g.strokeStyle = color;
        g.lineWidth = s.width;
        g.stroke();
        if (s.points.length === 1) {
          g.fillStyle = color;
          g.fillRect(x(s.points[0][0]) - 1.5, y(s.points[0][1]) - 1.5, 3, 3);
        }
      }
      g.restore();
      const parts = [];
      for (const s of this.series.values()) {
        const last = s.points[s.points.length - 1];
        const text = s.label + ' ' + (last ? this.format(last[1]) : '–');
        if (s.legend) {
          s.legend.sw.style.background = s.color.startsWith('--') ? css(s.color) : s.color;
          s.legend.text.textContent = text;
        }
        if (s.legend !== false) parts.push(text);
      }
      canvas.setAttribute('aria-label', this.title + ', last ' + WINDOW / 60 + ' minutes: ' + parts.join(', '));
    }
  }
  function niceCeiling(v) {
    const exp = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * exp >= v) return m * exp;
    return 10 * exp;
  }

  // ---- chart set --------------------------------------------------------------------------------
  const charts = new Map();
  const COLORS = ['--c1', '--c2', '--c3', '--c4', '--c5', '--c6'];
  function chart(id, title, kind) {
    let c = charts.get(id);
    if (!c) {
      c = new Chart($('charts'), id, title, kind);
      charts.set(id, c);
    }
    return c;
  }
  const MAX_DEVICE_CHARTS = 6;

  // Feeds one sample into the charts (live, or from the history seed).
  function chartSample(t, s) {
    if (s.cpu !== null || s.cores.length) {
      const c = chart('cpu', 'CPU', 'percent');
      c.line('total', 'total', '--c1', { width: 2.2, fill: true });
      for (const [n, v] of s.cores) {
        c.line('core' + n, 'cpu' + n, '--core', { width: 1, legend: false });
        c.add('core' + n, t, v);
      }
      c.add('total', t, s.cpu);
    }
    if (s.mem !== null || s.swap !== null) {
      const c = chart('mem', 'Memory and swap', 'percent');
      c.line('mem', 'memory', '--c1', { width: 2.2, fill: true });
      c.add('mem', t, s.mem);
      if (s.swap !== null && s.hasSwap) {
        c.line('swap', 'swap', '--c2');
        c.add('swap', t, s.swap);
      }
    }
    if (s.load) {
      const c = chart('load', 'Load average', 'plain');
      c.line('min1', '1 min', '--c1', { width: 2.2 });
      c.line('min5', '5 min', '--c3');
      c.line('min15', '15 min', '--c2');
      for (const k of ['min1', 'min5', 'min15']) c.add(k, t, s.load[k]);
    }
    for (const [name, rx, tx] of s.nets) {
      const c = chart('net-' + name, 'Network ' + name, 'rate');
      c.line('rx', 'rx', '--c3', { width: 2 });
      c.line('tx', 'tx', '--c4', { width: 2 });
      c.add('rx', t, rx);
      c.add('tx', t, tx);
    }
    for (const [name, r, w] of s.disks) {
      const c = chart('disk-' + name, 'Disk ' + name, 'rate');
      c.line('read', 'read', '--c5', { width: 2 });
      c.line('write', 'write', '--c6', { width: 2 });
      c.add('read', t, r);
      c.add('write', t, w);
    }
  }
  // Interfaces and disks with charts: chosen once from the first sample (busiest first), so that
  // charts do not come and go.
  let netNames = null, diskNames = null;
  function pickDevices(entries, nameKey, rates) {
    // An interface that never carried a byte (a spare ifb, a down tunnel) gets no chart.
    const used = (e) => !['cumulative_cx', 'bytes_all_gauge'].some((k) => num(e[k]) === 0);
    return entries.filter(obj).filter((e) => typeof e[nameKey] === 'string' && e.is_up !== false && used(e))
      .map((e) => [e[nameKey], rates(e)]).sort((a, b) => ((b[1][0] || 0) + (b[1][1] || 0)) - ((a[1][0] || 0) + (a[1][1] || 0)))
      .slice(0, MAX_DEVICE_CHARTS).map((e) => e[0]).sort();
  }
  function sampleOf(all) {
    const cpu = obj(all.cpu) ? num(all.cpu.total) : obj(all.quicklook) ? num(all.quicklook.cpu) : null;
    const cores = list(all.percpu).filter(obj).map((c) => [c.cpu_number, num(c.total)]).filter((c) => c[1] !== null);
    const mem = obj(all.mem) ? num(all.mem.percent) : null;
    const swap = obj(all.memswap) ? num(all.memswap.percent) : null;
    const hasSwap = obj(all.memswap) ? (num(all.memswap.total) || 0) > 0 : false;
    const load = obj(all.load) ? all.load : null;
    const nets = [], disks = [];
    const network = list(all.network).filter(obj), diskio = list(all.diskio).filter(obj);
    if (netNames === null && network.length) netNames = pickDevices(network, 'interface_name', netRates);
    if (diskNames === null && diskio.length) diskNames = pickDevices(diskio, 'disk_name', diskRates);
    for (const e of network) if ((netNames || []).includes(e.interface_name)) nets.push([e.interface_name, ...netRates(e)]);
    for (const e of diskio) if ((diskNames || []).includes(e.disk_name)) disks.push([e.disk_name, ...diskRates(e)]);
    return { cpu, cores, mem, swap, hasSwap, load, nets, disks };
  }

  // The history routes answer {field: [[time, value], ...]}; list plugins name fields <key>_<field>.
  function seed(history) {
    const points = new Map(); // time -> sample-like record
    const at = (time) => {
      const t = wall(time);
      if (t === null) return null;
      let s = points.get(t);
      if (!s) {
        s = { cpu: null, cores: new Map(), mem: null, swap: null, hasSwap: false, load: null, nets: new Map(), disks: new Map() };
        points.set(t, s);
      }
      return s;
    };
    const each = (series, f) => {
      for (const [time, value] of list(series)) {
        const s = at(time);
        if (s && num(value) !== null) f(s, value, wall(time));
      }
    };
    const h = history;
    // Glances 3 and 4 keep the CPU total, per core, memory and swap in quicklook's history.
    if (obj(h.quicklook)) {
      each(h.quicklook.cpu, (s, v) => { s.cpu = v; });
      each(h.quicklook.mem, (s, v) => { s.mem = v; });
      each(h.quicklook.swap, (s, v) => { s.swap = v; });
      for (const [time, entries] of list(h.quicklook.percpu)) {
        const s = at(time);
        if (!s) continue;
        for (const e of list(entries)) {
          if (obj(e) && num(e.total) !== null && num(e.cpu_number) !== null) s.cores.set(+e.cpu_number, e.total);
        }
      }
    }
    if (obj(h.cpu)) each(h.cpu.total, (s, v) => { s.cpu = v; });
    if (obj(h.percpu)) {
      for (const [field, series] of Object.entries(h.percpu)) {
        const m = /^(\d+)_total$/.exec(field);
        if (m) each(series, (s, v) => { s.cores.set(+m[1], v); });
      }
    }
    if (obj(h.mem)) each(h.mem.percent, (s, v) => { s.mem = v; });
    if (obj(h.memswap)) each(h.memswap.percent, (s, v) => { s.swap = v; });
    if (obj(h.load)) {
      for (const k of ['min1', 'min5', 'min15']) each(h.load[k], (s, v) => { s.load = Object.assign(s.load || {}, { [k]: v }); });
    }
    // Rates: Glances 4 has them; older generations have per-interval deltas, divided here by the time
    // between samples (a gap in the history means the delta spans it).
    const deviceRates = (hist, names, fields, target) => {
      if (!obj(hist)) return;
      for (const name of names || []) {
        fields.forEach(([rateField, deltaField], i) => {
          const direct = hist[name + '_' + rateField];
          const delta = hist[name + '_' + deltaField];
          let prev = null;
          for (const [time, value] of list(direct || delta)) {
            const t = wall(time), s = at(time);
            if (!s || num(value) === null) continue;
            let v = value;
            if (!direct) {
              const dt = prev !== null && t - prev > 1.5 * interval ? t - prev : interval;
              v = value / dt;
            }
            prev = t;
            const r = s[target].get(name) || [null, null];
            r[i] = v;
            s[target].set(name, r);
          }
        });
      }
    };
    deviceRates(h.network, netNames, [['bytes_recv_rate_per_sec', 'rx'], ['bytes_sent_rate_per_sec', 'tx']], 'nets');
    deviceRates(h.diskio, diskNames, [['read_bytes_rate_per_sec', 'read_bytes'], ['write_bytes_rate_per_sec', 'write_bytes']], 'disks');
    const swapOn = obj(lastAll && lastAll.memswap) && (num(lastAll.memswap.total) || 0) > 0;
    for (const t of [...points.keys()].sort((a, b) => a - b)) {
      const s = points.get(t);
      chartSample(t, {
        cpu: s.cpu, cores: [...s.cores], mem: s.mem, swap: s.swap, hasSwap: swapOn, load: s.load,
        nets: [...s.nets].map(([n, r]) => [n, ...r]), disks: [...s.disks].map(([n, r]) => [n, ...r]),
      });
    }
  }

  // ---- panels -----------------------------------------------------------------------------------
  function text(id, value) {
    const e = $(id);
    if (e && e.textContent !== value) e.textContent = value;
  }
  function cls(id, name) {
    const e = $(id);
    if (e) e.className = e.className.replace(/\b(ok|careful|warning|critical|default)\b/g, '').trim() + ' ' + name;
  }
  function cell(tr, value, className) {
    const td = document.createElement('td');
    td.textContent = value;
    if (className) td.className = className;
    tr.append(td);
    return td;
  }

  function header(all) {
    const system = obj(all.system) || {};
    const host = system.hostname || location.hostname;
    text('host', host);
    document.title = host + ' – glanced';
    text('os', system.hr_name || [system.linux_distro || system.os_name, system.os_version].filter(Boolean).join(' '));
    text('uptime', typeof all.uptime === 'string' ? all.uptime : '–');
    text('version', version || '–');
  }

  function summary(all) {
    const cpu = obj(all.cpu) ? num(all.cpu.total) : obj(all.quicklook) ? num(all.quicklook.cpu) : null;
    text('cpu-total', pct(cpu));
    $('cpu-total').dataset.value = cpu === null ? '' : String(cpu);
    cls('cpu-total', level(cpu, 'cpu', 'total_', { careful: 65, warning: 75, critical: 85 }));
    const cores = obj(all.cpu) ? num(all.cpu.cpucore) : obj(all.core) ? num(all.core.log) : null;
    text('cpu-sub', cores !== null ? cores + (cores === 1 ? ' core' : ' cores') : '');
    const mem = obj(all.mem);
    text('mem-percent', pct(mem && mem.percent));
    cls('mem-percent', level(mem && mem.percent, 'mem', '', PERCENT));
    text('mem-sub', mem ? bytes(mem.used) + ' of ' + bytes(mem.total) : '');
    const swap = obj(all.memswap);
    const swapOn = swap && (num(swap.total) || 0) > 0;
    text('swap-percent', swapOn ? pct(swap.percent) : 'off');
    cls('swap-percent', swapOn ? level(swap.percent, 'memswap', '', PERCENT) : 'default');
    text('swap-sub', swapOn ? bytes(swap.used) + ' of ' + bytes(swap.total) : '');
    const load = obj(all.load);
    const n = (load && num(load.cpucore)) || cores || 1;
    text('load-1', load ? plain(load.min1, 2) : '–');
    cls('load-1', load && num(load.min15) !== null ? level(load.min15 / n, 'load', '', { careful: 0.7, warning: 1, critical: 5 }) : 'default');
    text('load-sub', load ? plain(load.min5, 2) + ' · ' + plain(load.min15, 2) + ' (5, 15 min)' : '');
    const pc = obj(all.processcount);
    text('tasks-total', pc ? plain(pc.total, 0) : '–');
    text('tasks-sub', pc ? [['running', pc.running], ['sleeping', pc.sleeping], ['threads', pc.thread]]
      .filter((p) => num(p[1]) !== null).map((p) => p[1] + ' ' + p[0]).join(', ') : '');
  }

  function alerts(all) {
    const items = alertsOf(all).filter((a) => a.state && a.type).slice(0, 10);
    const ul = $('alerts');
    ul.replaceChildren();
    if (!items.length) {
      const li = document.createElement('li');
      li.className = 'muted';
      li.textContent = 'No warning or critical alert.';
      ul.append(li);
      return;
    }
    for (const a of items) {
      const li = document.createElement('li');
      const when = document.createElement('span');
      when.className = 'when';
      const begin = num(a.begin);
      const ongoing = num(a.end) === null || a.end < 0;
      when.textContent = (begin ? new Date(begin * 1000).toLocaleTimeString() : '') +
        (ongoing ? ' (ongoing)' : ' (' + Math.max(0, Math.round(a.end - begin)) + ' s)');
      const what = document.createElement('span');
      const state = String(a.state).toLowerCase();
      what.className = ['careful', 'warning', 'critical'].includes(state) ? state : 'default';
      what.textContent = a.state + ' ' + a.type + (num(a.max) !== null ? ' (max ' + plain(a.max, 1) + ')' : '');
      li.append(when, what);
      ul.append(li);
    }
  }

  function filesystems(all) {
    const fs = list(all.fs).filter((f) => obj(f) && f.mnt_point);
    $('fs-panel').hidden = !fs.length;
    const ul = $('fs');
    ul.replaceChildren();
    for (const f of fs) {
      const li = document.createElement('li');
      const row = document.createElement('div');
      row.className = 'row';
      const name = document.createElement('span');
      name.textContent = f.mnt_point + (f.device_name ? '  (' + f.device_name + ')' : '');
      const use = document.createElement('span');
      const p = num(f.percent) !== null ? f.percent : num(f.size) ? (100 * f.used) / f.size : null;
      use.textContent = bytes(f.used) + ' / ' + bytes(f.size) + ' · ' + pct(p);
      row.append(name, use);
      const bar = document.createElement('div');
      bar.className = 'bar';
      bar.setAttribute('role', 'meter');
      bar.setAttribute('aria-label', f.mnt_point + ' used');
      bar.setAttribute('aria-valuemin', '0');
      bar.setAttribute('aria-valuemax', '100');
      bar.setAttribute('aria-valuenow', String(p === null ? 0 : Math.round(p)));
      const fill = document.createElement('div');
      fill.className = level(p, 'fs', '', PERCENT);
      fill.style.width = Math.max(0, Math.min(100, p || 0)) + '%';
      bar.append(fill);
      li.append(row, bar);
      ul.append(li);
    }
  }

  const SENSOR_UNITS = { C: '°C', F: '°F', R: ' RPM', RPM: ' RPM', '%': ' %', V: ' V', W: ' W' };
  function sensorLevel(s) {
    const type = String(s.type || '');
    const value = num(s.value);
    if (value === null) return 'default';
    if (type === 'battery') return level(100 - value, 'sensors', 'battery_');
    if (type.startsWith('temperature')) {
      const configured = limit('sensors', type + '_critical') !== null;
      if (!configured && (num(s.critical) !== null || num(s.warning) !== null)) {
        // The chip's own thresholds, as Glances uses them when glances.conf has none.
        if (num(s.critical) !== null && value >= s.critical) return 'critical';
        if (num(s.warning) !== null && value >= s.warning) return 'warning';
        return 'ok';
      }
    }
    return level(value, 'sensors', type + '_');
  }
  function sensors(all) {
    const rows = sensorsOf(all).filter((s) => s.label !== undefined);
    $('sensors-panel').hidden = !rows.length;
    const order = { temperature_core: 0, temperature_hdd: 1, fan_speed: 2, battery: 3 };
    rows.sort((a, b) => (order[a.type] ?? 9) - (order[b.type] ?? 9));
    const body = $('sensors');
    body.replaceChildren();
    for (const s of rows) {
      const tr = document.createElement('tr');
      tr.dataset.type = String(s.type || '');
      cell(tr, String(s.label));
      const unit = SENSOR_UNITS[s.unit] ?? (s.type === 'battery' ? ' %' : s.type === 'fan_speed' ? ' RPM' :
        String(s.type || '').startsWith('temperature') ? '°C' : s.unit ? ' ' + s.unit : '');
      const v = num(s.value);
      cell(tr, v === null ? '–' : (Number.isInteger(v) ? v : v.toFixed(1)) + unit, sensorLevel(s));
      body.append(tr);
    }
  }

  // Glances' monitor status: a count outside [countmin, countmax] is a warning, none at all critical.
  function monitorLevel(m) {
    const n = num(m.count);
    if (n === null) return 'ok';
    const lo = num(Number(m.countmin)) ?? n, hi = num(Number(m.countmax)) ?? n;
    if (n > 0) return lo <= n && n <= hi ? 'ok' : 'warning';
    return lo === 0 ? 'ok' : 'critical';
  }
  let monitorList = null; // Glances 2 keeps [monitor] out of `all`: fetched beside it while it has entries
  function monitor(all) {
    const groups = list(all.amps).length ? list(all.amps) : list(monitorList);
    const rows = groups.filter(obj);
    $('monitor-panel').hidden = !rows.length;
    const body = $('monitor');
    body.replaceChildren();
    for (const m of rows) {
      const tr = document.createElement('tr');
      cell(tr, String(m.description || m.name || m.key || ''));
      const status = monitorLevel(m);
      cell(tr, (num(m.count) === null ? '' : m.count + ' × ') + status.toUpperCase(), status);
      body.append(tr);
    }
  }

  let sortKey = 'cpu';
  const SORTS = {
    cpu: (a, b) => (num(b.cpu_percent) || 0) - (num(a.cpu_percent) || 0),
    mem: (a, b) => (num(b.memory_percent) || 0) - (num(a.memory_percent) || 0),
    io: (a, b) => ioTotal(b) - ioTotal(a),
    name: (a, b) => String(a.name || '').localeCompare(String(b.name || '')) || a.pid - b.pid,
  };
  const ioTotal = (p) => { const io = procIO(p); return io ? io[0] + io[1] : 0; };
  function processes(all) {
    const procs = list(all.processlist).filter(obj);
    $('processes-panel').hidden = !procs.length;
    const top = procs.slice().sort(SORTS[sortKey]).slice(0, TOP);
    text('processes-note', procs.length ? '(top ' + top.length + ' of ' + procs.length + ')' : '');
    const body = $('process-rows');
    const rows = document.createDocumentFragment();
    for (const p of top) {
      const tr = document.createElement('tr');
      cell(tr, String(p.pid ?? ''), 'num');
      cell(tr, String(p.username || ''), 'wide');
      cell(tr, plain(p.cpu_percent, 1), 'num ' + level(p.cpu_percent, 'cpu', 'total_', { careful: 50, warning: 70, critical: 90 }));
      cell(tr, plain(p.memory_percent, 1), 'num ' + level(p.memory_percent, 'mem', '', PERCENT));
      cell(tr, bytes(procMemory(p)), 'num wide');
      const io = procIO(p);
      cell(tr, io ? rate(io[0]) + ' / ' + rate(io[1]) : '–', 'num');
      const cmd = cell(tr, '', 'cmd');
      const name = document.createElement('b');
      name.textContent = String(p.name || '');
      cmd.append(name);
      const command = procCommand(p);
      if (command) {
        const args = document.createElement('span');
        args.className = 'args';
        args.textContent = command;
        cmd.append(args);
        cmd.title = command;
      }
      tr.dataset.pid = String(p.pid);
      tr.dataset.mem = String(num(p.memory_percent) || 0);
      tr.dataset.cpu = String(num(p.cpu_percent) || 0);
      rows.append(tr);
    }
    body.replaceChildren(rows);
  }
  function setSort(key) {
    if (!SORTS[key]) return;
    sortKey = key;
    for (const th of document.querySelectorAll('#processes th')) {
      const b = th.querySelector('button');
      if (b && b.dataset.sort === key) th.setAttribute('aria-sort', key === 'name' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    try { localStorage.setItem('glanced.sort', key); } catch (e) { /* storage may be off */ }
    if (lastAll) processes(lastAll);
  }

  // ---- refresh loop -----------------------------------------------------------------------------
  let lastAll = null, lastStamp = null, timer = 0, updates = 0;
  function status(message, error) {
    const e = $('status');
    e.textContent = message;
    e.classList.toggle('error', !!error);
  }
  function render(all) {
    lastAll = all;
    const time = sampleTime(all);
    text('sample-time', time.text);
    const panels = [header, summary, alerts, filesystems, sensors, monitor, processes];
    for (const panel of panels) {
      try { panel(all); } catch (e) { /* one odd plugin must not stop the others */ }
    }
    if (time.text !== lastStamp) {
      lastStamp = time.text;
      chartSample(time.t, sampleOf(all));
    }
    for (const c of charts.values()) c.draw();
    updates++;
    document.body.dataset.updates = String(updates);
  }
  async function tick() {
    clearTimeout(timer);
    const started = performance.now();
    try {
      const [all, mon] = await Promise.all([get('all'), monitorList && monitorList.length ? maybeOwn('monitor') : null]);
      if (mon) monitorList = mon;
      if (obj(all)) render(all);
      status('Updated every ' + interval + ' s');
    } catch (e) {
      status(e instanceof HTTPError && e.status === 401 ? 'Not authorised: reload the page to sign in.' :
        'No answer from the server (' + e.message + '); retrying.', true);
    }
    if (!document.hidden) timer = setTimeout(tick, Math.max(250, interval * 1000 - (performance.now() - started)));
  }

  async function start() {
    try { setSort(localStorage.getItem('glanced.sort') || 'cpu'); } catch (e) { setSort('cpu'); }
    for (const b of document.querySelectorAll('#processes th button')) {
      b.addEventListener('click', () => setSort(b.dataset.sort));
    }
    text('version', version || '–');
    status('Loading…');
    let all = null;
    try {
      const [args, lim, first, plugins] = await Promise.all([maybe('args'), maybeOwn('all/limits'), get('all'), maybeOwn('pluginslist')]);
      all = first;
      limits = obj(lim) || {};
      const t = args ? Number(args.time) : NaN;
      if (isFinite(t) && t > 0) interval = Math.min(Math.max(t, 0.25), 3600);
      if (list(plugins).includes('monitor') && !('monitor' in all) && !('amps' in all)) monitorList = await maybeOwn('monitor');
    } catch (e) {
      status(e instanceof HTTPError && e.status === 401 ? 'Not authorised.' : 'No answer from the server; retrying.', true);
      timer = setTimeout(start, 3000);
      return;
    }
    lastAll = all;
    sampleOf(all); // chooses the interfaces and disks charted
    const points = Math.min(Math.ceil(WINDOW / interval), 1000);
    // Only the fields charted (a whole plugin's history is many times larger), in the generation's names.
    // A plugin's history holds the fields Glances keeps (the rates, loads and percentages charted here).
    const wanted = ('quicklook' in all
      ? [['quicklook', null]]
      : [['cpu', 'total'], ['percpu', 'total'], ['mem', 'percent'], ['memswap', 'percent']]
    ).concat([['load', null], ['network', null], ['diskio', null]]).filter(([n]) => n in all);
    const answers = await Promise.all(wanted.map(([n, item]) => maybe(n + (item ? '/' + item : '') + '/history/' + points)));
    const history = {};
    wanted.forEach(([n], i) => { history[n] = Object.assign(history[n] || {}, obj(answers[i]) || {}); });
    try { seed(history); } catch (e) { /* charts then start empty */ }
    render(all);
    status('Updated every ' + interval + ' s');
    timer = setTimeout(tick, interval * 1000);
    document.addEventListener('visibilitychange', () => {
      if (document.hidden) clearTimeout(timer); else tick();
    });
    const scheme = window.matchMedia('(prefers-color-scheme: dark)');
    const redraw = () => { for (const c of charts.values()) c.draw(); };
    if (scheme.addEventListener) scheme.addEventListener('change', redraw);
  }

  window.glanced = { charts, get sortKey() { return sortKey; }, setSort };
  start();
})();
