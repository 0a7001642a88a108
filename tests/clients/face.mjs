// Faces with fetch (Node 20+): compare two photos, enrol one, search with the other.
// Env: KYCD_URL, KYCD_KEY, FACE_A, FACE_B.
import { readFile } from "node:fs/promises";

const { KYCD_URL: url, KYCD_KEY: key, FACE_A: a, FACE_B: b } = process.env;

async function post(route, files, fields = {}) {
  const form = new FormData();
  for (const [name, path] of Object.entries(files)) form.append(name, new Blob([await readFile(path)]), name);
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  const response = await fetch(`${url}/v1/${route}`, { method: "POST", headers: { Authorization: key }, body: form });
  return response.json();
}

console.log(JSON.stringify(await post("face/compare", { img1: a, img2: b })));
console.log(JSON.stringify(await post("face/search/add", { img: a })));
console.log(JSON.stringify(await post("face/search", { img: b }, { top_k: "3" })));
