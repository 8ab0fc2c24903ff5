// The tinyrt timeline page: draws the run that html_writer.cpp embedded as
// JSON in the element with id "tinyrt-data" on one canvas, one lane per track.
//
// Data (all times in nanoseconds from the first event):
//   names[i]                 the name table; 0 is ""
//   tracks[t] = {name, kind, dropped, s, i}
//     s: slices, flat groups of 6: start, duration, name, kind, depth, flags
//        (kind: the index in KINDS; flags bit 0: unfinished)
//     i: instants, flat groups of 3: time, event (index in data.event_kinds), name
//   flows: flat groups of 5: type (index in data.flow_types), from track,
//          from time, to track, to time
//
// Drawing cost follows the screen, not the run: each lane keeps its slices
// per nesting depth, where they never overlap and so are sorted by start and
// by end alike. A draw binary-searches the first visible slice, and when a
// slice is narrower than a pixel it is merged with its neighbours into one
// bar and the search jumps to the next pixel column. 100,000 events draw in
// a few milliseconds at any zoom.
//
// After the first draw the page writes what it drew into the DOM (lane
// labels, a hidden list of task names, data-* attributes on <body>) so a
// headless browser's --dump-dom can check it.
"use strict";

const KINDS = ["task", "fork-join", "pool.spawn", "coroutine", "to_thread", "helping"];
const COLOURS = ["#8a94a6", "#4e79a7", "#59a14f", "#f28e2b", "#b07aa1", "#d4d8de"];
const MIXED = "#6b7280"; // several sub-pixel bars of different kinds in one column
const MARK_COLOURS = {
  steal: "#e15759", park: "#1d2430", unpark: "#1d2430", spawn: "#59a14f",
  timer_set: "#2f80c0", timer_fire: "#2f80c0", timer_cancel: "#9aa4b2",
  post: "#b07aa1", post_run: "#b07aa1", fd_wait: "#76b7b2", fd_ready: "#76b7b2",
  to_thread_out: "#b07aa1", to_thread_back: "#b07aa1", inject_take: "#edc948",
  mark: "#1d2430",
};
const FLOW_COLOURS = {
  spawn: "rgba(89,161,79,0.55)", steal: "rgba(225,87,89,0.9)",
  to_thread: "rgba(176,122,161,0.8)", back: "rgba(176,122,161,0.8)", post: "rgba(176,122,161,0.6)",
};
const MIN_ROW = 24;    // height of one nesting level, at least...
const MAX_ROW = 36;    // ...and at most: lanes grow to fill the window
const MARK_ROW = 12;   // the marks strip under a lane's slices
const MAX_DEPTH = 8;   // deeper nesting is drawn on the last row
const AXIS = 24;       // the time axis above the lanes
const MAX_FLOWS = 400; // more visible flows than this: only steals are drawn

const data = JSON.parse(document.getElementById("tinyrt-data").textContent);

// ---- the model: lanes with per-depth slice arrays ------------------------

function buildLane(track, index) {
  const s = track.s;
  const count = s.length / 6;
  let depths = 1;
  for (let k = 0; k < count; k++) depths = Math.max(depths, Math.min(s[k * 6 + 4], MAX_DEPTH - 1) + 1);
  const byDepth = [];
  for (let d = 0; d < depths; d++) byDepth.push([]);
  for (let k = 0; k < count; k++) byDepth[Math.min(s[k * 6 + 4], MAX_DEPTH - 1)].push(k);
  // Parked intervals, from park to the next unpark (or the end of the run).
  const parked = [];
  const marks = track.i;
  let parkedAt = -1;
  for (let k = 0; k < marks.length; k += 3) {
    const ev = data.event_kinds[marks[k + 1]];
    if (ev === "park") parkedAt = marks[k];
    else if (ev === "unpark" && parkedAt >= 0) { parked.push(parkedAt, marks[k]); parkedAt = -1; }
  }
  if (parkedAt >= 0) parked.push(parkedAt, data.wall);
  let tasks = 0;
  for (let k = 0; k < count; k++) if (s[k * 6 + 3] !== 5) tasks++;
  return { track, index, depths, byDepth, parked, tasks, top: 0, height: 0 };
}

const lanes = data.tracks.map(buildLane);
let row = MIN_ROW;
let totalHeight = AXIS;

// Lane positions: rows as tall as the window allows, within MIN_ROW..MAX_ROW.
function layout() {
  const rows = lanes.reduce((n, lane) => n + lane.depths, 0);
  const top = document.getElementById("view").getBoundingClientRect().top;
  const room = window.innerHeight - top - AXIS - lanes.length * MARK_ROW - 4;
  row = Math.max(MIN_ROW, Math.min(MAX_ROW, Math.floor(room / Math.max(rows, 1))));
  totalHeight = AXIS;
  for (const lane of lanes) {
    lane.top = totalHeight;
    lane.height = lane.depths * row + MARK_ROW;
    totalHeight += lane.height;
  }
  document.querySelectorAll("#labels div.lane").forEach((label, k) => {
    label.style.height = lanes[k].height + "px";
  });
}

// ---- binary searches -----------------------------------------------------

// First position p in `order` (slice numbers of one depth) whose slice ends
// at or after t.
function firstEndingAfter(s, order, t) {
  let lo = 0, hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const k = order[mid] * 6;
    if (s[k] + s[k + 1] < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

// First instant index (group number) at or after t.
function firstMarkAfter(marks, t) {
  let lo = 0, hi = marks.length / 3;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid * 3] < t) lo = mid + 1; else hi = mid;
  }
  return lo;
}

// ---- the view: visible time range, canvas, drawing -----------------------

const canvas = document.getElementById("lanes");
const ctx = canvas.getContext("2d");
const tip = document.getElementById("tip");
const view = { t0: 0, t1: Math.max(data.wall, 1), width: 800 };

function xOf(t) { return ((t - view.t0) / (view.t1 - view.t0)) * view.width; }
function tOf(x) { return view.t0 + (x / view.width) * (view.t1 - view.t0); }

// A duration or time in the unit that suits it, without trailing zeros:
// "1.5 ms", "250 µs", "12 ns".
function formatNs(ns) {
  const units = [[1e9, " s"], [1e6, " ms"], [1e3, " µs"]];
  for (const [size, unit] of units) {
    if (Math.abs(ns) >= size) return Number((ns / size).toPrecision(4)) + unit;
  }
  return Math.round(ns) + " ns";
}

function resize() {
  const box = document.getElementById("canvas-box");
  view.width = Math.max(200, box.clientWidth);
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(view.width * ratio);
  canvas.height = Math.round(totalHeight * ratio);
  canvas.style.width = view.width + "px";
  canvas.style.height = totalHeight + "px";
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
}

function drawAxis() {
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, view.width, AXIS);
  const span = view.t1 - view.t0;
  // A tick step of 1, 2 or 5 times a power of ten, about 100 px apart.
  const raw = span / Math.max(1, view.width / 100);
  const pow = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((v) => v >= raw);
  ctx.fillStyle = "#667085";
  ctx.strokeStyle = "#e3e7ee";
  ctx.font = "11px system-ui, sans-serif";
  for (let t = Math.ceil(view.t0 / step) * step; t <= view.t1; t += step) {
    const x = Math.round(xOf(t)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, AXIS - 6);
    ctx.lineTo(x, totalHeight);
    ctx.stroke();
    ctx.fillText(formatNs(t), x + 3, 14);
  }
}

// One lane's slices: per depth, from the first visible one, merging
// sub-pixel neighbours into one bar per pixel column.
function drawSlices(lane) {
  const s = lane.track.s;
  ctx.font = "11px system-ui, sans-serif";
  for (let d = 0; d < lane.depths; d++) {
    const order = lane.byDepth[d];
    const y = lane.top + d * row + 1;
    let p = firstEndingAfter(s, order, view.t0);
    let runX0 = -1, runX1 = -1, runColour = null;
    const flush = () => {
      if (runColour === null) return;
      ctx.fillStyle = runColour;
      ctx.fillRect(runX0, y, Math.max(1, runX1 - runX0), row - 2);
      runColour = null;
    };
    while (p < order.length) {
      const k = order[p] * 6;
      const start = s[k], end = s[k] + s[k + 1];
      if (start > view.t1) break;
      const x0 = Math.max(xOf(start), -1), x1 = Math.min(xOf(end), view.width + 1);
      const colour = COLOURS[s[k + 3]] || COLOURS[0];
      if (x1 - x0 < 1) {
        // Sub-pixel: merge into the current column's bar, then skip every
        // slice that ends inside this column.
        const col = Math.floor(x0);
        if (runColour !== null && col <= runX1) {
          runX1 = Math.max(runX1, col + 1);
          if (runColour !== colour) runColour = MIXED;
        } else {
          flush();
          runX0 = col; runX1 = col + 1; runColour = colour;
        }
        const next = firstEndingAfter(s, order, tOf(col + 1));
        p = Math.max(p + 1, next);
        continue;
      }
      flush();
      ctx.fillStyle = colour;
      ctx.fillRect(x0, y, x1 - x0, row - 2);
      if (s[k + 5] & 1) { // unfinished: a red right edge
        ctx.fillStyle = "#b3261e";
        ctx.fillRect(x1 - 2, y, 2, row - 2);
      }
      if (x1 - x0 > 30) {
        ctx.fillStyle = s[k + 3] === 5 ? "#3b4252" : "#fff";
        ctx.save();
        ctx.beginPath();
        ctx.rect(x0, y, x1 - x0, row - 2);
        ctx.clip();
        ctx.fillText(data.names[s[k + 2]] || KINDS[s[k + 3]], Math.max(x0, 0) + 3, y + row / 2 + 3);
        ctx.restore();
      }
      p++;
    }
    flush();
  }
}

// Parked intervals as a grey band behind the slices; marks as ticks below.
function drawParkedAndMarks(lane) {
  const parked = lane.parked;
  ctx.fillStyle = "rgba(29,36,48,0.08)";
  for (let k = 0; k < parked.length; k += 2) {
    if (parked[k + 1] < view.t0 || parked[k] > view.t1) continue;
    const x0 = xOf(parked[k]), x1 = xOf(parked[k + 1]);
    ctx.fillRect(x0, lane.top, Math.max(1, x1 - x0), lane.height - MARK_ROW);
  }
  const marks = lane.track.i;
  const y = lane.top + lane.depths * row;
  let lastCol = -2;
  for (let k = firstMarkAfter(marks, view.t0); k < marks.length / 3; k++) {
    const t = marks[k * 3];
    if (t > view.t1) break;
    const x = Math.floor(xOf(t));
    const ev = data.event_kinds[marks[k * 3 + 1]];
    if (x === lastCol && ev !== "steal") continue; // one tick per column; steals always show
    lastCol = x;
    ctx.fillStyle = MARK_COLOURS[ev] || "#1d2430";
    if (ev === "steal") { // a red triangle pointing down into the lane
      ctx.beginPath();
      ctx.moveTo(x - 4, y + 1);
      ctx.lineTo(x + 4, y + 1);
      ctx.lineTo(x, y + MARK_ROW - 2);
      ctx.fill();
    } else if (ev === "park" || ev === "unpark") {
      ctx.fillRect(x, y + 2, ev === "park" ? 3 : 1, MARK_ROW - 4);
    } else {
      ctx.fillRect(x, y + 4, 1, MARK_ROW - 6);
    }
  }
}

function visibleFlows() {
  const f = data.flows, out = [];
  let steals = 0;
  for (let k = 0; k < f.length; k += 5) {
    if (Math.max(f[k + 2], f[k + 4]) < view.t0 || Math.min(f[k + 2], f[k + 4]) > view.t1) continue;
    out.push(k);
    if (data.flow_types[f[k]] === "steal") steals++;
  }
  if (out.length <= MAX_FLOWS) return out;
  // Too many to read: keep the steals only, then the first MAX_FLOWS.
  return out.filter((k) => data.flow_types[f[k]] === "steal" || steals === 0).slice(0, MAX_FLOWS);
}

function drawFlows() {
  const f = data.flows;
  ctx.lineWidth = 1.2;
  for (const k of visibleFlows()) {
    const type = data.flow_types[f[k]];
    const from = lanes[f[k + 1]], to = lanes[f[k + 3]];
    const x0 = xOf(f[k + 2]), x1 = xOf(f[k + 4]);
    const y0 = from.top + row / 2, y1 = to.top + row / 2;
    ctx.strokeStyle = FLOW_COLOURS[type] || "rgba(0,0,0,0.4)";
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.bezierCurveTo(x0 + 20, y0, x1 - 20, y1, x1, y1);
    ctx.stroke();
    ctx.fillStyle = ctx.strokeStyle; // arrow head at the receiving end
    ctx.beginPath();
    ctx.arc(x1, y1, 2.5, 0, 2 * Math.PI);
    ctx.fill();
  }
}

function draw() {
  const began = performance.now();
  ctx.clearRect(0, 0, view.width, totalHeight);
  for (const lane of lanes) {
    ctx.fillStyle = lane.index % 2 ? "#fbfcfd" : "#fff";
    ctx.fillRect(0, lane.top, view.width, lane.height);
  }
  drawAxis();
  for (const lane of lanes) {
    drawParkedAndMarks(lane);
    drawSlices(lane);
  }
  drawFlows();
  return performance.now() - began;
}

// ---- the page around the canvas ------------------------------------------

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function buildSummary() {
  const box = document.getElementById("summary");
  let steals = 0, parks = 0;
  for (const t of data.tracks) {
    for (let k = 1; k < t.i.length; k += 3) {
      const ev = data.event_kinds[t.i[k]];
      if (ev === "steal") steals++;
      else if (ev === "park") parks++;
    }
  }
  const perLane = lanes.filter((l) => l.track.kind === "worker").map((l) => l.tasks).join(" / ");
  box.append(el("span", {}, "wall time " + formatNs(data.wall)));
  box.append(el("span", {}, data.events + " events"));
  if (perLane) box.append(el("span", {}, "tasks per worker " + perLane));
  box.append(el("span", { id: "steals" }, steals + " steals"));
  box.append(el("span", { id: "parks" }, parks + " parks"));
  box.append(el("span", { id: "dropped", class: data.dropped ? "warn" : "" },
    data.dropped + " events dropped" + (data.dropped ? " (buffers full: the run is cut short)" : "")));
  document.body.dataset.steals = steals;
  document.body.dataset.parks = parks;
  document.body.dataset.dropped = data.dropped;
}

function buildLegend() {
  const box = document.getElementById("legend");
  KINDS.forEach((kind, k) => {
    const item = el("span", {});
    const swatch = el("i", { style: "background:" + COLOURS[k] });
    item.append(swatch, kind);
    box.append(item);
  });
  const marks = [["steal", "steal ▼"], ["park", "park | (grey band: parked)"], ["timer_fire", "timer"], ["post", "post / to_thread"]];
  for (const [ev, text] of marks) {
    const item = el("span", {});
    item.append(el("i", { style: "background:" + MARK_COLOURS[ev] + ";width:3px" }), text);
    box.append(item);
  }
  box.append(el("span", { id: "hint" }, "wheel: zoom · drag: pan · double-click: whole run"));
}

function buildLabels() {
  const box = document.getElementById("labels");
  box.append(el("div", { class: "axis", style: "height:" + AXIS + "px" }, "time"));
  for (const lane of lanes) {
    const label = el("div", {
      class: "lane",
      "data-track": lane.index, "data-kind": lane.track.kind, "data-tasks": lane.tasks,
    }, lane.track.name);
    const detail = lane.track.kind === "worker" ? lane.tasks + " tasks" : lane.track.kind;
    label.append(el("small", {}, detail + (lane.track.dropped ? ", " + lane.track.dropped + " dropped" : "")));
    box.append(label);
  }
}

// The hidden index for headless checks: every distinct slice name with the
// lanes it appears on.
function buildIndex(drawMs) {
  const where = new Map();
  for (const lane of lanes) {
    const s = lane.track.s;
    for (let k = 0; k < s.length; k += 6) {
      const name = data.names[s[k + 2]];
      if (!name) continue;
      if (!where.has(name)) where.set(name, new Set());
      where.get(name).add(lane.track.name);
      if (where.size > 5000) break;
    }
  }
  const list = document.getElementById("tinyrt-index");
  for (const [name, on] of where) {
    list.append(el("li", { class: "task-name", "data-name": name, "data-lanes": [...on].join("|") }, name));
  }
  document.body.dataset.lanes = lanes.length;
  document.body.dataset.drawMs = drawMs.toFixed(2);
  document.body.dataset.drawn = "1";
}

// ---- interaction: hover, zoom, pan ---------------------------------------

function hit(x, y) {
  const lane = lanes.find((l) => y >= l.top && y < l.top + l.height);
  if (!lane) return null;
  const d = Math.floor((y - lane.top) / row);
  const t = tOf(x), slack = (view.t1 - view.t0) / view.width * 2;
  if (d < lane.depths) {
    const s = lane.track.s, order = lane.byDepth[d];
    const p = firstEndingAfter(s, order, t - slack);
    if (p < order.length) {
      const k = order[p] * 6;
      if (s[k] <= t + slack) {
        return [data.names[s[k + 2]] || "(unnamed)",
          KINDS[s[k + 3]] + (s[k + 5] & 1 ? ", unfinished" : ""),
          "duration " + formatNs(s[k + 1]), "start " + formatNs(s[k]),
          "on " + lane.track.name].join("\n");
      }
    }
    return null;
  }
  const marks = lane.track.i;
  const k = firstMarkAfter(marks, t - slack);
  if (k < marks.length / 3 && marks[k * 3] <= t + slack) {
    const name = data.names[marks[k * 3 + 2]];
    return data.event_kinds[marks[k * 3 + 1]] + (name ? " " + name : "") + "\nat " +
      formatNs(marks[k * 3]) + "\non " + lane.track.name;
  }
  return null;
}

let drag = null;
canvas.addEventListener("mousedown", (e) => {
  drag = { x: e.clientX, t0: view.t0, t1: view.t1 };
  canvas.classList.add("dragging");
});
window.addEventListener("mouseup", () => { drag = null; canvas.classList.remove("dragging"); });
window.addEventListener("mousemove", (e) => {
  const rect = canvas.getBoundingClientRect();
  if (drag) {
    const dt = ((e.clientX - drag.x) / view.width) * (drag.t1 - drag.t0);
    view.t0 = drag.t0 - dt;
    view.t1 = drag.t1 - dt;
    requestDraw();
    tip.hidden = true;
    return;
  }
  const x = e.clientX - rect.left, y = e.clientY - rect.top;
  const text = x >= 0 && y >= 0 && x < rect.width && y < rect.height ? hit(x, y) : null;
  tip.hidden = text === null;
  if (text !== null) {
    tip.textContent = text;
    const box = document.getElementById("view").getBoundingClientRect();
    tip.style.left = e.clientX - box.left + 14 + "px";
    tip.style.top = e.clientY - box.top + 14 + "px";
  }
});
canvas.addEventListener("wheel", (e) => {
  e.preventDefault();
  const rect = canvas.getBoundingClientRect();
  const at = tOf(e.clientX - rect.left);
  const factor = Math.exp(e.deltaY * 0.002);
  const span = Math.min(Math.max((view.t1 - view.t0) * factor, 50), Math.max(data.wall, 1) * 4);
  const left = (at - view.t0) / (view.t1 - view.t0);
  view.t0 = at - left * span;
  view.t1 = view.t0 + span;
  requestDraw();
}, { passive: false });
canvas.addEventListener("dblclick", () => {
  view.t0 = 0;
  view.t1 = Math.max(data.wall, 1);
  requestDraw();
});
window.addEventListener("resize", () => { layout(); resize(); requestDraw(); });

let pending = false;
function requestDraw() {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => { pending = false; draw(); });
}

buildSummary();
buildLegend();
buildLabels();
layout();
resize();
buildIndex(draw());
