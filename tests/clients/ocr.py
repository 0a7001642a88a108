"""OCR with Python requests: a document image as a file part, then the key's usage.

Env: KYCD_URL, KYCD_KEY, IMAGE, ROUTE (default ocr/mrz).
"""
import base64
import json
import os

import requests

url, key, image = os.environ["KYCD_URL"], os.environ["KYCD_KEY"], os.environ["IMAGE"]
route = os.environ.get("ROUTE", "ocr/mrz")
headers = {"Authorization": key}

with open(image, "rb") as f:
    answer = requests.post(f"{url}/v1/{route}", headers=headers,
                           files={"img": f}, data={"details": "1"}, timeout=60).json()
print(json.dumps(answer, ensure_ascii=False))

# the same image as base64 in a JSON body
with open(image, "rb") as f:
    encoded = base64.b64encode(f.read()).decode()
answer = requests.post(f"{url}/v1/{route}", headers=headers, json={"img": encoded}, timeout=60).json()
print(json.dumps(answer, ensure_ascii=False))

print(json.dumps(requests.get(f"{url}/v1/usage", headers=headers, timeout=10).json()))
