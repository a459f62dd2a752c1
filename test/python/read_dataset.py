"""Reads a skytrace dataset the obvious way (pandas, pyarrow, DuckDB) and
compares what comes back with the values a test expects.

    python read_dataset.py SPEC.json

SPEC (written by the test):
  {"dir": "...",                                        # the dataset folder
   "csv": [{"path": "...index.csv",
            "columns": [{"name": "flight_id", "pandas": "str"}, ...],
            "rows": [[value, ...], ...]}],                # null where the cell is empty
   "parquet": [{"dir": "...events",                     # a folder of per-flight files: one table
                "columns": [{"name": "seq", "pandas": "int64", "duckdb": "BIGINT"}, ...],
                "expected": "...events.tsv",            # header + one row per table row, tab-separated
                "order": ["flight_id", "seq"]},
               {"files": ["...a.parquet", ...],         # or files read one by one (pandas.read_parquet(file)),
                "glob": "DIR/*/*.syscalls.parquet",     # and together by DuckDB
                "columns": ..., "expected": ..., "order": ...}],
   "snippets": [{"lang": "pandas" | "duckdb", "code": "...", "rows": [[...], ...]}]}

A pandas snippet runs with `pd` and `DIR` (the dataset folder) defined and
leaves a DataFrame in `result`; a DuckDB one is a query (DIR replaced by the
folder). Their rows must equal `rows`: the docs' examples, run as written.

pandas dtypes in SPEC: "int64", "uint64", "int8", "str" (object or pandas'
string dtypes), "category" (strings). TSV cells of integer columns are decimal.

Prints one JSON object: {"failures": [...], "stats": {...}}. Integers are
compared as Python ints (exact: a float 2**64 is not equal to
0xffffffffffffffb8 in Python, whatever numpy would say).
"""
import glob
import json
import math
import os
import sys

import duckdb
import pandas as pd
import pyarrow.parquet as pq

failures = []
stats = {}


def fail(msg):
    failures.append(msg)


def dtype_ok(series, want):
    dt = series.dtype
    if want in ("int64", "uint64", "int8", "float64"):
        return str(dt) == want
    if want == "category":
        return isinstance(dt, pd.CategoricalDtype)
    if want == "str":
        return pd.api.types.is_object_dtype(dt) or pd.api.types.is_string_dtype(dt)
    raise ValueError(want)


def plain(v):
    """A cell as a plain Python value: int, str or None."""
    if v is None:
        return None
    if isinstance(v, float):
        if math.isnan(v):
            return None
        return v  # left a float: compares unequal to any int it only approximates
    if hasattr(v, "item"):
        return plain(v.item())
    return v


def compare(label, got_rows, want_rows, names):
    """Cell by cell. Per column: cells whose value differs (a missing cell, or
    a float that only approximates the int), and cells of the right value but
    the wrong Python type (83.0 for 83)."""
    if len(got_rows) != len(want_rows):
        fail(f"{label}: {len(got_rows)} rows, expected {len(want_rows)}")
    bad = {}
    for i, (g, w) in enumerate(zip(got_rows, want_rows)):
        for c, (gv, wv) in enumerate(zip(g, w)):
            gv = plain(gv)
            if gv == wv and type(gv) is type(wv):
                continue
            n = bad.setdefault(names[c], {"missing": 0, "value": 0, "type": 0, "first": {}})
            kind = "missing" if gv is None and wv is not None else "value" if gv != wv else "type"
            n[kind] += 1
            n["first"].setdefault(kind, f"row {i}: got {gv!r} ({type(gv).__name__}), expected {wv!r}")
    for name, n in bad.items():
        parts = [f"{n[k]} {k}" + (f" (first at {n['first'][k]})" if n[k] else "") for k in ("value", "missing", "type") if n[k]]
        fail(f"{label}: column {name}: cells differ: " + "; ".join(parts))


def check_csv(spec):
    df = pd.read_csv(spec["path"])
    names = [c["name"] for c in spec["columns"]]
    got = list(df.columns)
    label = f"pandas.read_csv({spec['path']})"
    if len(set(got)) != len(got):
        fail(f"{label}: column names are not unique: {got}")
    if got != names:
        fail(f"{label}: columns {got}, expected {names}")
        return
    for c in spec["columns"]:
        if not dtype_ok(df[c["name"]], c["pandas"]):
            fail(f"{label}: column {c['name']} is {df[c['name']].dtype}, expected {c['pandas']}")
    # JSON cannot say 8.0: an expected whole number in a float64 column is that float.
    floats = [c["pandas"] == "float64" for c in spec["columns"]]
    want = [tuple(float(v) if f and isinstance(v, int) else v for v, f in zip(row, floats)) for row in spec["rows"]]
    compare(label, list(df.itertuples(index=False, name=None)), want, names)
    stats[f"csv:{spec['path']}"] = {"rows": len(df), "dtypes": {k: str(v) for k, v in df.dtypes.items()}}


def read_tsv(path, columns):
    ints = [c["pandas"] in ("int64", "uint64", "int8") for c in columns]
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        if header != [c["name"] for c in columns]:
            raise ValueError(f"{path}: header {header} does not name the SPEC's columns")
        return [tuple(int(v) if isint else v for v, isint in zip(line.rstrip("\n").split("\t"), ints)) for line in f]


def check_parquet(spec):
    columns = spec["columns"]
    names = [c["name"] for c in columns]
    want = read_tsv(spec["expected"], columns)
    order = [names.index(c) for c in spec["order"]]
    key = spec.get("dir") or spec["glob"]
    stats_here = stats[f"parquet:{key}"] = {"rows": len(want)}
    big = [c["name"] for c in columns if c["pandas"] == "uint64"]
    big_idx = [names.index(c) for c in big]
    stats_here["cells_at_least_2_63"] = sum(1 for r in want for i in big_idx if r[i] >= 2**63)
    negative_idx = [names.index(c["name"]) for c in columns if c["pandas"] == "int64"]
    stats_here["negative_cells"] = sum(1 for r in want for i in negative_idx if r[i] < 0)

    # pyarrow: every file's schema has exactly these columns, none nullable, no nulls.
    files = sorted(glob.glob(os.path.join(spec["dir"], "*.parquet"))) if "dir" in spec else spec["files"]
    stats_here["files"] = len(files)
    for f in files:
        schema = pq.read_schema(f)
        if schema.names != names:
            fail(f"{f}: columns {schema.names}, expected {names}")
        nullable = [fld.name for fld in schema if fld.nullable]
        if nullable:
            fail(f"{f}: nullable columns {nullable}")
        meta = pq.ParquetFile(f).metadata
        table = None
        for rg in range(meta.num_row_groups):
            for ci in range(meta.num_columns):
                st = meta.row_group(rg).column(ci).statistics
                name = meta.schema.column(ci).name
                if st is not None and st.has_null_count and st.null_count:
                    fail(f"{f}: column {name} has {st.null_count} nulls")
                # Statistics a reader skips row groups by must be the column's own minimum and maximum.
                if st is not None and st.has_min_max and meta.num_row_groups == 1:
                    if table is None:
                        table = pq.read_table(f)
                    col = table.column(name).to_pylist()
                    if col and (st.min != min(col) or st.max != max(col)):
                        fail(f"{f}: column {name} statistics min {st.min} max {st.max}, the values' {min(col)} {max(col)}")
                    stats_here["columns_with_statistics"] = stats_here.get("columns_with_statistics", 0) + 1

    # pandas, the obvious call (no dtype_backend, no engine arguments): on the folder, or on each file.
    sources = [spec["dir"]] if "dir" in spec else files
    got = []
    ok = True
    for source in sources:
        label = f"pandas.read_parquet({source!r})"
        df = pd.read_parquet(source)
        if list(df.columns) != names:
            fail(f"{label}: columns {list(df.columns)}, expected {names}")
            ok = False
            continue
        for c in columns:
            if not dtype_ok(df[c["name"]], c["pandas"]):
                fail(f"{label}: column {c['name']} is {df[c['name']].dtype}, expected {c['pandas']}")
        rows = [tuple(r) for r in df.astype({c["name"]: str for c in columns if c["pandas"] in ("category", "str")}).itertuples(index=False, name=None)]
        keys = [tuple(r[i] for i in order) for r in rows]
        stats_here["pandas_rows_in_order"] = stats_here.get("pandas_rows_in_order", True) and keys == sorted(keys)
        got.extend(rows)
        stats_here["pandas_dtypes"] = {k: str(v) for k, v in df.dtypes.items()}
    if ok:
        got.sort(key=lambda r: tuple(r[i] for i in order))
        compare(f"pandas.read_parquet over {key!r}", got, want, names)

    # DuckDB over the same files.
    src = f"read_parquet('{spec['dir']}/*.parquet')" if "dir" in spec else f"read_parquet('{spec['glob']}')"
    label = f"duckdb {src}"
    con = duckdb.connect()
    described = con.sql(f"DESCRIBE SELECT * FROM {src}").fetchall()
    types = {row[0]: row[1] for row in described}
    stats_here["duckdb_types"] = types
    if [row[0] for row in described] != names:
        fail(f"{label}: columns {[row[0] for row in described]}, expected {names}")
        return
    for c in columns:
        if types.get(c["name"]) != c["duckdb"]:
            fail(f"{label}: column {c['name']} is {types.get(c['name'])}, expected {c['duckdb']}")
    got = con.sql(f"SELECT * FROM {src} ORDER BY {', '.join(spec['order'])}").fetchall()
    compare(label, got, want, names)


def check_snippet(spec, dataset):
    label = f"{spec['lang']} snippet {spec['code']!r}"
    if spec["lang"] == "pandas":
        scope = {"pd": pd, "DIR": dataset}
        exec(spec["code"], scope)
        got = [tuple(r) for r in scope["result"].itertuples(index=False, name=None)]
    else:
        got = duckdb.sql(spec["code"].replace("DIR", dataset)).fetchall()
    compare(label, got, [tuple(r) for r in spec["rows"]], [f"column {i}" for i in range(len(spec["rows"][0]))])


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    for s in spec.get("csv", []):
        check_csv(s)
    for s in spec.get("parquet", []):
        check_parquet(s)
    for s in spec.get("snippets", []):
        check_snippet(s, spec["dir"])
    stats["versions"] = {"pandas": pd.__version__, "pyarrow": __import__("pyarrow").__version__, "duckdb": duckdb.__version__}
    print(json.dumps({"failures": failures, "stats": stats}))


main()
