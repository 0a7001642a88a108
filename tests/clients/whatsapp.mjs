// WhatsApp detail with fetch (Node 20+). Env: KYCD_URL, KYCD_KEY, NUMBER.
const { KYCD_URL: url, KYCD_KEY: key, NUMBER: number } = process.env;
const response = await fetch(`${url}/v1/whatsapp/detail`, {
  method: "POST",
  headers: { Authorization: key },
  body: new URLSearchParams({ number }),
});
console.log(JSON.stringify(await response.json()));
