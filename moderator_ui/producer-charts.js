// Charts as inline SVG built with DOM APIs (no library, no HTML strings): labels are text nodes.

const NS = "http://www.w3.org/2000/svg";
export const PALETTE = ["#4ea1ff", "#3ccf8e", "#f5b94a", "#ff7a7a", "#b39dff", "#5fd3e6", "#f08bd0", "#9aa8c0",
  "#c9e265"];

export function svg(tag, attrs = {}, text = null) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== null) el.textContent = String(text);
  return el;
}

/** Horizontal bars: one row per [label, value], the value printed at the bar's end. */
export function barChart(entries, { title = "", color = PALETTE[0], width = 520, row = 26, labelWidth = 170 } = {}) {
  const max = Math.max(1, ...entries.map(([, v]) => v));
  const height = Math.max(1, entries.length) * row + 8;
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "bar-chart", role: "img", "aria-label": title });
  chart.append(svg("title", {}, title));
  const span = width - labelWidth - 56;
  entries.forEach(([label, value], i) => {
    const y = i * row + 4;
    const g = svg("g", { class: "bar" });
    g.append(svg("text", { x: labelWidth - 8, y: y + row / 2 + 1, "text-anchor": "end", "dominant-baseline": "middle",
      class: "bar-label" }, label));
    g.append(svg("rect", { x: labelWidth, y: y + 3, width: Math.max(2, (value / max) * span), height: row - 8, rx: 3,
      fill: Array.isArray(color) ? color[i % color.length] : color }));
    g.append(svg("text", { x: labelWidth + Math.max(2, (value / max) * span) + 6, y: y + row / 2 + 1,
      "dominant-baseline": "middle", class: "bar-value" }, value));
    chart.append(g);
  });
  return chart;
}

/** A proportion bar split into parts [label, value, color], with a two-column legend under it. */
export function splitBar(parts, { title = "", width = 520 } = {}) {
  const total = parts.reduce((n, [, v]) => n + v, 0) || 1;
  const rows = Math.ceil(parts.length / 2);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${44 + rows * 22}`, class: "split-chart", role: "img", "aria-label": title });
  chart.append(svg("title", {}, title));
  let x = 0;
  parts.forEach(([, value, color]) => {
    const w = (value / total) * width;
    if (w > 0) chart.append(svg("rect", { x, y: 4, width: w, height: 28, fill: color }));
    x += w;
  });
  parts.forEach(([label, value, color], i) => {
    const lx = (i % 2) * (width / 2);
    const ly = 46 + Math.floor(i / 2) * 22;
    chart.append(svg("rect", { x: lx, y: ly, width: 12, height: 12, rx: 2, fill: color }));
    chart.append(svg("text", { x: lx + 18, y: ly + 10, class: "bar-label" }, `${label}: ${value}`));
  });
  return chart;
}

/** Stacked columns per minute: series = {name: {minute: n}}; minutes along x, one colour per series. */
export function minuteColumns(series, minutes, names,
  { width = 560, height = 180, labels = {}, tick = (m) => m.slice(11), title = "" } = {}) {
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height + 50}`, class: "minute-chart", role: "img", "aria-label": title });
  const totals = minutes.map((m) => names.reduce((n, s) => n + ((series[s] || {})[m] || 0), 0));
  const max = Math.max(1, ...totals);
  const col = width / Math.max(1, minutes.length);
  chart.append(svg("line", { x1: 0, y1: height, x2: width, y2: height, class: "axis" }));
  chart.append(svg("text", { x: 2, y: 12, class: "bar-value" }, max));
  minutes.forEach((m, i) => {
    let y = height;
    names.forEach((s, k) => {
      const n = (series[s] || {})[m] || 0;
      if (!n) return;
      const hgt = (n / max) * (height - 16);
      y -= hgt;
      chart.append(svg("rect", { x: i * col + 2, y, width: Math.max(1, col - 4), height: hgt, fill: PALETTE[k % PALETTE.length] }));
    });
    if (i % Math.ceil(minutes.length / 8) === 0) {
      chart.append(svg("text", { x: i * col + col / 2, y: height + 14, "text-anchor": "middle", class: "tick" }, tick(m)));
    }
  });
  let lx = 0;
  names.forEach((s, k) => {
    chart.append(svg("rect", { x: lx, y: height + 28, width: 12, height: 12, rx: 2, fill: PALETTE[k % PALETTE.length] }));
    chart.append(svg("text", { x: lx + 16, y: height + 38, class: "bar-label" }, labels[s] || s));
    lx += 28 + 7 * (labels[s] || s).length;
  });
  return chart;
}
