#!/usr/bin/env python3
"""Converts Schema-Guided Dialogue (SGD) dialogues to Parley's conversation JSONL (DESIGN §4).

Usage: python3 convert_sgd.py ../../../shared/data/sgd/dev/dialogues_010.json 60 > sgd-60.jsonl

Timestamps and user ids are synthetic (SGD has none): each dialogue gets a start time spread
deterministically over four weeks and one of 12 pseudonymous users, so that the report's trend
view and the privacy rule (distinct users per cluster) have something to work on.
"""
import json
import sys
from datetime import datetime, timedelta, timezone

source, count = sys.argv[1], int(sys.argv[2])
dialogues = json.load(open(source, encoding="utf-8"))[:count]
start = datetime(2026, 10, 1, 9, 0, tzinfo=timezone.utc)
for i, d in enumerate(dialogues):
    began = start + timedelta(hours=(i * 11) % (28 * 24), minutes=(i * 7) % 60)
    messages = []
    for j, turn in enumerate(d["turns"]):
        at = began + timedelta(seconds=30 * j)
        messages.append({
            "speaker": "user" if turn["speaker"] == "USER" else "assistant",
            "text": turn["utterance"],
            "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "services": sorted({f["service"] for f in turn["frames"]}),
        })
    print(json.dumps({
        "id": "sgd-" + d["dialogue_id"],
        "user": "user-%02d" % (i % 12),
        "started_at": began.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "messages": messages,
        "metadata": {"source": "sgd", "dialogue_id": d["dialogue_id"], "services": d["services"]},
    }, ensure_ascii=False))
