// OCR with fetch (Node 20+): a document image as a file part, then the key's usage.
// Env: KYCD_URL, KYCD_KEY, IMAGE, ROUTE (default ocr/mrz).
import { readFile } from "node:fs/promises";

const { KYCD_URL: url, KYCD_KEY: key, IMAGE: image } = process.env;
const route = process.env.ROUTE || "ocr/mrz";
const headers = { Authorization: key };
const bytes = await readFile(image);

const form = new FormData();
form.append("img", new Blob([bytes]), "card");
form.append("details", "1");
let answer = await (await fetch(`${url}/v1/${route}`, { method: "POST", headers, body: form })).json();
console.log(JSON.stringify(answer));

// the same image as base64 in a JSON body
answer = await (await fetch(`${url}/v1/${route}`, {
  method: "POST",
  headers: { ...headers, "Content-Type": "application/json" },
  body: JSON.stringify({ img: bytes.toString("base64") }),
})).json();
console.log(JSON.stringify(answer));

console.log(JSON.stringify(await (await fetch(`${url}/v1/usage`, { headers })).json()));
