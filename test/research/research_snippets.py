"""Runs docs/research.md's "Loading it" examples as written, in a folder
holding `data` (a generated dataset) and `report` (its evaluation), and
prints what they gave as one JSON object for the test to compare.

    python research_snippets.py DOC
"""
import json
import re
import sys

import duckdb


def blocks(doc):
    """The indented code blocks of the section "### Loading it", in order."""
    section = doc.split("### Loading it", 1)[1].split("\n### ", 1)[0]
    out, cur = [], []
    for line in section.split("\n") + [""]:
        if line.startswith("    "):
            cur.append(line[4:])
        elif line.strip() == "" and cur:
            out.append("\n".join(cur))
            cur = []
    return out


doc = open(sys.argv[1], encoding="utf-8").read()
pandas_calls, sql, splits_code = blocks(doc)
ns = {}
*body, last = pandas_calls.strip().split("\n")
exec("\n".join(body), ns)
by = eval(last, ns)
result = {"by_scenario_label": {f"{s}/{l}": int(n) for (s, l), n in by.items()}}
result["duckdb"] = [[s, c, int(n)] for s, c, n in duckdb.sql(sql).fetchall()]
exec(splits_code, ns)
result["train_ids"] = sorted(str(x) for x in ns["train"].flight_id.unique())
result["train_rows"] = int(len(ns["train"]))
print(json.dumps(result))
