"""WhatsApp detail with Python requests. Env: KYCD_URL, KYCD_KEY, NUMBER."""
import json
import os

import requests

url, key = os.environ["KYCD_URL"], os.environ["KYCD_KEY"]
answer = requests.post(f"{url}/v1/whatsapp/detail", headers={"Authorization": key},
                       data={"number": os.environ["NUMBER"]}, timeout=30).json()
print(json.dumps(answer))
