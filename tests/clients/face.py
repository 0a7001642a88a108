"""Faces with Python requests: compare two photos, enrol one, search with the other.

Env: KYCD_URL, KYCD_KEY, FACE_A, FACE_B.
"""
import json
import os

import requests

url, key = os.environ["KYCD_URL"], os.environ["KYCD_KEY"]
a, b = os.environ["FACE_A"], os.environ["FACE_B"]
headers = {"Authorization": key}


def post(route, files, data=None):
    opened = {name: open(path, "rb") for name, path in files.items()}
    try:
        return requests.post(f"{url}/v1/{route}", headers=headers, files=opened,
                             data=data or {}, timeout=60).json()
    finally:
        for f in opened.values():
            f.close()


print(json.dumps(post("face/compare", {"img1": a, "img2": b})))
print(json.dumps(post("face/search/add", {"img": a})))
print(json.dumps(post("face/search", {"img": b}, {"top_k": "3"})))
