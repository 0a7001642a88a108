// Renders the live /openapi.json (generated from the route table) as a browsable page.
"use strict";

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function table(headings, rows) {
  const t = element("table");
  const head = t.createTHead().insertRow();
  for (const h of headings) head.appendChild(element("th", h));
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const cell of row) tr.insertCell().textContent = cell;
  }
  return t;
}

function operationSection(path, method, op) {
  const section = element("section");
  section.id = (op.operationId || path).replace(/[^A-Za-z0-9_-]/g, "_");
  section.appendChild(element("h2", method.toUpperCase() + " " + path));
  section.appendChild(element("p", op.summary || ""));
  if (op.description) section.appendChild(element("p", op.description, "hint"));
  const content = op.requestBody && op.requestBody.content;
  const schema = content && (content["multipart/form-data"] || content["application/json"] || {}).schema;
  if (schema && schema.properties) {
    const required = new Set(schema.required || []);
    section.appendChild(element("h3", "Parameters (multipart, form or JSON)"));
    section.appendChild(table(["name", "required", "description"],
      Object.entries(schema.properties).map(([name, p]) => [name, required.has(name) ? "yes" : "no", p.description || ""])));
  }
  const ok = op.responses && op.responses["200"];
  const okSchema = ok && ok.content && ok.content["application/json"].schema;
  const message = okSchema && okSchema.properties && okSchema.properties.message;
  const fields = message && message.oneOf && message.oneOf[0].properties;
  if (fields && Object.keys(fields).length) {
    section.appendChild(element("h3", "Fields of message (status OK)"));
    section.appendChild(table(["field", "description"],
      Object.entries(fields).map(([name, f]) => [name, f.description || ""])));
  }
  if (op.responses) {
    section.appendChild(element("h3", "Statuses"));
    section.appendChild(table(["HTTP", "status"],
      Object.entries(op.responses).map(([code, r]) => [code, r.description || ""])));
  }
  return section;
}

async function render() {
  const response = await fetch("/openapi.json");
  const spec = await response.json();
  document.title = spec.info.title + " " + spec.info.version + " API reference";
  document.getElementById("description").textContent = spec.info.description || "";
  const scheme = spec.components && spec.components.securitySchemes && spec.components.securitySchemes.apiKey;
  if (scheme) document.getElementById("auth").textContent = "Authentication: header " + scheme.name + ". " + (scheme.description || "");
  const toc = document.getElementById("toc");
  const operations = document.getElementById("operations");
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const section = operationSection(path, method, op);
      operations.appendChild(section);
      const li = element("li");
      const a = element("a", method.toUpperCase() + " " + path);
      a.href = "#" + section.id;
      li.append(a, " — " + (op.summary || ""));
      toc.appendChild(li);
    }
  }
}

render().catch((error) => {
  document.getElementById("description").textContent = "Could not load /openapi.json: " + error;
});
