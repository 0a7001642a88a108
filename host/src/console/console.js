// kycd web console: pick a route the key may use, send images with debug=1, show the answer and
// draw the geometry of the `debug` payload over each image. Plain JS, no dependencies.
"use strict";

const COLOURS = {
  document: "#18a84a",
  text: "#1f6feb",
  region: "#00a3a3",
  mrz: "#f08c00",
  barcode: "#8e44ad",
  face: "#e5322d",
};

const $ = (id) => document.getElementById(id);
const state = { key: "", routes: [], objectUrls: [] };

function setStatus(element, text, good) {
  element.textContent = text;
  element.className = "status " + (good === undefined ? "" : good ? "ok" : "bad");
}

async function api(path, options = {}) {
  const headers = Object.assign({ Authorization: state.key }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers }));
  let body;
  try {
    body = await response.json();
  } catch (_) {
    body = { status: "HTTP_" + response.status, message: "answer is not JSON" };
  }
  return body;
}

async function connect(event) {
  event.preventDefault();
  state.key = $("key").value.trim();
  sessionStorage.setItem("kycd-key", state.key);
  const status = $("connect-status");
  setStatus(status, "connecting…");
  const answer = await api("/v1/routes");
  if (answer.status !== "OK") {
    setStatus(status, answer.status + ": " + answer.message, false);
    return;
  }
  state.routes = answer.message.routes.filter((r) => r.params.some((p) => p.kind === "image"));
  setStatus(status, state.routes.length + " image routes", true);
  const select = $("route");
  select.replaceChildren();
  for (const route of state.routes) {
    const option = document.createElement("option");
    option.value = route.route;
    option.textContent = route.route;
    select.appendChild(option);
  }
  $("request-panel").hidden = false;
  routeChanged();
  refreshUsage();
}

function currentRoute() {
  return state.routes.find((r) => r.route === $("route").value);
}

function routeChanged() {
  const route = currentRoute();
  const files = $("files");
  const texts = $("texts");
  files.replaceChildren();
  texts.replaceChildren();
  if (!route) return;
  $("route-title").textContent = route.title + " — " + route.provider + " " + route.version;
  for (const param of route.params) {
    if (param.kind === "image") {
      const zone = document.createElement("label");
      zone.className = "drop";
      zone.textContent = param.name + " (" + param.description + "): drop an image or choose ";
      const input = document.createElement("input");
      input.type = "file";
      input.accept = "image/*";
      input.name = param.name;
      input.dataset.param = param.name;
      zone.appendChild(input);
      zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
      zone.addEventListener("dragleave", () => zone.classList.remove("over"));
      zone.addEventListener("drop", (e) => {
        e.preventDefault();
        zone.classList.remove("over");
        if (e.dataTransfer.files.length) input.files = e.dataTransfer.files;
      });
      files.appendChild(zone);
    } else if (param.name !== "details" && param.name !== "debug") {
      const label = document.createElement("label");
      label.textContent = param.name + " ";
      const input = document.createElement("input");
      input.name = param.name;
      input.dataset.text = param.name;
      input.placeholder = param.required ? "required" : "optional";
      label.appendChild(input);
      texts.appendChild(label);
    }
  }
}

async function send(event) {
  event.preventDefault();
  const route = currentRoute();
  if (!route) return;
  const form = new FormData();
  const images = [];
  for (const input of document.querySelectorAll("#files input[type=file]")) {
    if (!input.files.length) {
      setStatus($("request-status"), "choose an image for " + input.dataset.param, false);
      return;
    }
    form.append(input.dataset.param, input.files[0]);
    images.push({ param: input.dataset.param, file: input.files[0] });
  }
  for (const input of document.querySelectorAll("#texts input")) {
    if (input.value.trim()) form.append(input.dataset.text, input.value.trim());
  }
  if ($("details").checked) form.append("details", "1");
  form.append("debug", "1");
  const button = $("send");
  button.disabled = true;
  setStatus($("request-status"), "running " + route.route + "…");
  const started = performance.now();
  let answer;
  try {
    answer = await api("/v1/" + route.route, { method: "POST", body: form });
  } catch (error) {
    answer = { status: "NETWORK_ERROR", message: String(error) };
  }
  button.disabled = false;
  setStatus($("request-status"), Math.round(performance.now() - started) + " ms");
  await showAnswer(answer, images);
  refreshUsage();
}

async function showAnswer(answer, images) {
  $("result-panel").hidden = false;
  const status = $("status");
  setStatus(status, answer.status, answer.status === "OK");
  status.dataset.status = answer.status;
  $("answer").textContent = JSON.stringify(answer, null, 2);
  const rows = $("fields").tBodies[0];
  rows.replaceChildren();
  const message = answer.message;
  if (message && typeof message === "object") {
    for (const [name, value] of Object.entries(message)) {
      if (name === "details" || value === null || typeof value === "object") continue;
      const row = rows.insertRow();
      row.insertCell().textContent = name;
      const cell = row.insertCell();
      cell.textContent = String(value);
      cell.dataset.field = name;
    }
  } else {
    const row = rows.insertRow();
    row.insertCell().textContent = "message";
    row.insertCell().textContent = String(message);
  }
  for (const url of state.objectUrls) URL.revokeObjectURL(url);
  state.objectUrls = [];
  const views = $("views");
  views.replaceChildren();
  const kinds = new Set();
  const drawn = images.map((image) => {
    const debug = debugFor(answer.debug, image.param);
    for (const shape of (debug && debug.shapes) || []) kinds.add(shape.kind);
    return showImage(views, image, debug);
  });
  await Promise.all(drawn);
  showLegend(kinds);
}

// The payload of one image parameter: face/compare answers one per photo under `images`.
function debugFor(debug, param) {
  if (!debug) return null;
  if (Array.isArray(debug.images)) {
    const entry = debug.images.find((i) => i.param === param);
    return entry ? entry.debug : null;
  }
  return debug;
}

function showImage(views, image, debug) {
  const figure = document.createElement("figure");
  figure.className = "view";
  const img = document.createElement("img");
  const canvas = document.createElement("canvas");
  canvas.className = "overlay";
  canvas.dataset.param = image.param;
  const caption = document.createElement("figcaption");
  const url = URL.createObjectURL(image.file);
  state.objectUrls.push(url);
  figure.append(img, canvas, caption);
  views.appendChild(figure);
  return new Promise((resolve) => {
    img.onload = () => {
      const shapes = (debug && debug.shapes) || [];
      caption.textContent = image.param + ": " + shapes.length + " shapes" +
        (debug ? " on " + debug.image.width + "×" + debug.image.height : " (no geometry)");
      drawShapes(canvas, img, debug);
      resolve();
    };
    img.onerror = () => { caption.textContent = image.param + ": the browser cannot show this image"; resolve(); };
    img.src = url;
  });
}

function drawShapes(canvas, img, debug) {
  const width = img.clientWidth, height = img.clientHeight;
  canvas.width = width;
  canvas.height = height;
  canvas.style.width = width + "px";
  canvas.style.height = height + "px";
  if (!debug || !debug.image || !debug.image.width) return;
  const sx = width / debug.image.width, sy = height / debug.image.height;
  const context = canvas.getContext("2d");
  context.lineWidth = 2;
  context.font = "11px sans-serif";
  for (const shape of debug.shapes) {
    const colour = COLOURS[shape.kind] || "#000";
    const points = shape.quad.map(([x, y]) => [x * sx, y * sy]);
    context.strokeStyle = colour;
    context.fillStyle = colour + "22";
    context.beginPath();
    points.forEach(([x, y], i) => (i ? context.lineTo(x, y) : context.moveTo(x, y)));
    context.closePath();
    context.fill();
    context.stroke();
    if (shape.kind === "face" && shape.landmarks) {
      context.fillStyle = colour;
      for (const [x, y] of shape.landmarks) context.fillRect(x * sx - 2, y * sy - 2, 4, 4);
    }
    const label = shape.kind === "text" || shape.kind === "region" ? shape.text
      : shape.kind === "face" ? "face " + shape.score : shape.format || shape.kind;
    if (label) {
      context.fillStyle = colour;
      context.fillText(label, points[0][0], Math.max(10, points[0][1] - 3));
    }
  }
}

function showLegend(kinds) {
  const legend = $("legend");
  legend.replaceChildren();
  for (const kind of kinds) {
    const item = document.createElement("span");
    const swatch = document.createElement("i");
    swatch.style.borderColor = COLOURS[kind] || "#000";
    item.append(swatch, kind);
    legend.appendChild(item);
  }
}

async function refreshUsage() {
  const answer = await api("/v1/usage");
  if (answer.status !== "OK") return;
  $("usage-panel").hidden = false;
  const usage = answer.message;
  $("usage-total").textContent = "tenant " + usage.tenant + ": " + usage.total + " requests, " + usage.billable + " billable";
  const rows = $("usage").tBodies[0];
  rows.replaceChildren();
  for (const row of usage.routes) {
    const tr = rows.insertRow();
    for (const value of [row.route, row.status, row.count, row.billable]) tr.insertCell().textContent = value;
  }
}

$("connect-form").addEventListener("submit", connect);
$("request-form").addEventListener("submit", send);
$("route").addEventListener("change", routeChanged);
$("key").value = sessionStorage.getItem("kycd-key") || "";
