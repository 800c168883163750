"""The orchestrator: the only code that reads raw files and writes processed tables.

A build reads every file under the input folder, extracts each article (in parallel), links near-duplicates and
writes the Parquet tables into a temporary folder beside the output, which then replaces the output folder in one
rename: an interrupted build never leaves half-written tables. Files that cannot be used go to `rejected` with their
reason and the rest of the corpus still builds. Output rows are sorted, so two builds of the same input give
identical tables.
"""
from __future__ import annotations

import hashlib
import json
from itertools import takewhile
import os
import shutil
import sys
import tempfile
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard import config, reference
from dashboard.pipeline.decode import RejectedFile
from dashboard.pipeline.duplicates import link_duplicates
from dashboard.pipeline.extract import ArticleRows, extract_article, rows_from_json, rows_to_json
from dashboard.pipeline import serving
from dashboard.pipeline.schema import TABLES, arrow_schema


@dataclass
class BuildSummary:
    articles: int
    rejected: int
    officials: int
    conferences: int
    mentions: int
    output: Path
    reused: int = 0

    def line(self) -> str:
        reused = f", {self.reused} unchanged articles reused" if self.reused else ""
        return (f"{self.articles} articles, {self.rejected} rejected, {self.officials} officials, "
                f"{self.conferences} conferences ({self.mentions} mentions{reused}) -> {self.output}")


def list_inputs(input_dir: Path) -> list[Path]:
    """Every file under `input_dir` except documentation and hidden files, in a stable order."""
    out = []
    for path in sorted(input_dir.rglob("*")):
        rel = path.relative_to(input_dir)
        if path.is_file() and path.name not in config.IGNORED_NAMES and not any(p.startswith(".") for p in rel.parts):
            out.append(path)
    return out


def _sniff_kind(path: Path, head: bytes) -> str | None:
    kind = config.ARTICLE_SUFFIXES.get(path.suffix.lower())
    if kind or path.suffix:
        return kind
    lowered = head[:512].lower()
    return "html" if b"<html" in lowered or b"<!doctype html" in lowered else "text"


def pipeline_fingerprint() -> str:
    """A hash of everything extraction depends on: the pipeline's code and the reference data. Changing either
    invalidates every cached article."""
    digest = hashlib.sha1()
    roots = [Path(__file__).parent, config.REFERENCE_DIR]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".csv", ".tsv", ".txt"):
                digest.update(path.relative_to(root.parent).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _prepare(task: tuple[str, str, int, str | None, str]):
    """Read one file and decide what to do with it: ("rejected", reason), ("cached", rows) or ("extract", inputs)."""
    path_str, source, max_bytes, cache_dir, fingerprint = task
    path = Path(path_str)
    size = path.stat().st_size
    if size > max_bytes:
        return "rejected", ("oversized", f"{size} bytes is over the {max_bytes}-byte limit")
    with path.open("rb") as handle:
        data = handle.read()
    kind = _sniff_kind(path, data)
    if kind is None:
        return "rejected", ("unsupported", f"'{path.suffix}' files are not articles (use .txt or .html)")
    cached = None
    if cache_dir:
        key = hashlib.sha1(fingerprint.encode() + source.encode() + b"\0" + data).hexdigest()
        cached = Path(cache_dir) / key[:2] / f"{key}.json"
        if cached.exists():
            return "cached", rows_from_json(cached.read_text(encoding="utf-8"))
    return "extract", (data, source, kind, str(cached) if cached else None)


def extract_one(data: bytes, source: str, kind: str):
    """Extract one article anywhere (a local process or a Dask worker): (rows, None) or (None, (reason, detail))."""
    try:
        return extract_article(data, source, kind), None
    except RejectedFile as exc:
        return None, (exc.reason, exc.detail)
    except Exception as exc:  # one broken article must not stop the corpus; its reason is kept
        if os.environ.get("DASHBOARD_DEBUG"):
            traceback.print_exc()
        return None, ("error", f"{type(exc).__name__}: {exc}")


def _write_cache(path: str | None, rows: ArticleRows) -> None:
    if path is None:
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(rows_to_json(rows), encoding="utf-8")
    temporary.replace(target)


def _extract_payload(payload: tuple):
    data, source, kind, _cache_path = payload
    return extract_one(data, source, kind)


def _finish_extraction(payload: tuple, rows, problem):
    _data, source, _kind, cache_path = payload
    if rows is not None:
        _write_cache(cache_path, rows)
    return source, rows, problem, False


def _triage(tasks: list) -> tuple[list, list]:
    """Read and cache-check every file (here, in the client): (finished outcomes, payloads still to extract).

    Both engines start from this, so a rebuild after a small change sends only the changed files to worker processes
    or to the cluster, and does not pay for starting a pool that loads the segmentation model.
    """
    finished, to_extract = [], []
    for task in tasks:
        try:
            action, payload = _prepare(task)
        except OSError as exc:
            action, payload = "rejected", ("unreadable", str(exc))
        if action == "extract":
            to_extract.append(payload)
        else:
            cached = action == "cached"
            finished.append((task[1], payload if cached else None, None if cached else payload, cached))
    return finished, to_extract


def _extract_on_cluster(to_extract: list, scheduler: str):
    """(payload, rows, problem) for each payload, extracted on a Dask cluster (bytes are sent, so workers need no
    shared filesystem)."""
    from distributed import Client, as_completed

    with Client(scheduler) as client:
        pending = {client.submit(extract_one, data, source, kind, pure=False): (data, source, kind, cache_path)
                   for data, source, kind, cache_path in to_extract}
        for future in as_completed(pending):
            yield (pending[future], *future.result())


def _extract_locally(to_extract: list, workers: int):
    """(payload, rows, problem) for each payload, in `workers` processes when there is enough to share (a rebuild
    after a small change extracts its few files here: starting workers that load the models would cost more)."""
    if workers > 1 and len(to_extract) >= POOL_MIN_FILES * workers:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            chunk = max(1, min(64, len(to_extract) // (workers * 8) or 1))
            for payload, (rows, problem) in zip(to_extract, pool.map(_extract_payload, to_extract, chunksize=chunk)):
                yield payload, rows, problem
    else:
        for payload in to_extract:
            yield (payload, *_extract_payload(payload))


POOL_MIN_FILES = 25  # per worker: below this, one process is faster than starting a pool


def _warm_reference() -> None:
    """Load the reference tables once in the parent so forked workers share them."""
    reference.provinces(), reference.official_roles(), reference.conference_catalog(), reference.countries()


def extract_corpus(input_dir: Path, workers: int = 1, max_bytes: int = config.MAX_FILE_BYTES, progress: bool = True,
                   cache_dir: Path | None = None, scheduler: str | None = None):
    """Extract every article under `input_dir`; returns (results sorted by source, rejected rows, reused count).

    With `cache_dir`, an article whose bytes, path, pipeline code and reference data are unchanged is read back from
    the extraction cache instead of being extracted again (incremental rebuilds).
    """
    files = list_inputs(input_dir)
    fingerprint = pipeline_fingerprint() if cache_dir else ""
    tasks = [(str(p), p.relative_to(input_dir).as_posix(), max_bytes, str(cache_dir) if cache_dir else None,
              fingerprint) for p in files]
    _warm_reference()
    from tqdm import tqdm

    bar = tqdm(total=len(tasks), desc="articles", unit="file", disable=not progress or len(tasks) < 50,
               file=sys.stderr)
    results: list[ArticleRows] = []
    rejected: list[dict] = []
    finished, to_extract = _triage(tasks)
    reused = 0
    for outcome in finished:
        reused += _collect(outcome, results, rejected)
        bar.update()
    extracted = _extract_on_cluster(to_extract, scheduler) if scheduler else _extract_locally(to_extract, workers)
    for payload, rows, problem in extracted:
        _collect(_finish_extraction(payload, rows, problem), results, rejected)
        bar.update()
    bar.close()
    results.sort(key=lambda r: r.article["source"])
    rejected.sort(key=lambda r: r["source"])
    return results, rejected, reused


def _collect(outcome, results: list, rejected: list) -> int:
    source, rows, problem, from_cache = outcome
    if rows is not None:
        results.append(rows)
    else:
        rejected.append({"source": source, "reason": problem[0], "detail": problem[1]})
    return int(from_cache)


def assemble_tables(results: list[ArticleRows], rejected: list[dict]) -> dict[str, pd.DataFrame]:
    """Rows from every article -> the processed tables (near-duplicates linked, conferences merged)."""
    articles = [dict(r.article) for r in results]
    order = [a["article_id"] for a in sorted(articles, key=lambda a: (str(a["published"] or "9999"), a["source"]))]
    duplicate_of = link_duplicates({a["article_id"]: a["body"] for a in articles}, order,
                                   {r.article["article_id"]: r.signature for r in results})
    for a in articles:
        a["duplicate_of"] = duplicate_of.get(a["article_id"])

    conferences: dict[str, dict] = {}
    for c in reference.conference_catalog():
        conferences[c.conference_id] = {"conference_id": c.conference_id, "name": c.name, "series": c.series or None,
                                        "ordinal": c.ordinal, "start": c.start, "end": c.end, "venue": c.venue,
                                        "in_catalog": True, "articles": 0}
    aliases = _merge_new_conferences(results)
    for a in articles:
        a["conference_id"] = aliases.get(a["conference_id"], a["conference_id"])
    for r in results:
        c = r.conference
        if c is None:
            continue
        row = conferences.setdefault(aliases.get(c.conference_id, c.conference_id), {
            "conference_id": c.conference_id, "name": c.name, "series": c.series, "ordinal": c.ordinal,
            "start": c.start, "end": c.end, "venue": c.venue, "in_catalog": c.in_catalog, "articles": 0})
        row["articles"] += 1
        if not row["in_catalog"]:
            starts = [d for d in (row["start"], c.start) if d]
            ends = [d for d in (row["end"], c.end) if d]
            row["start"], row["end"] = (min(starts) if starts else None), (max(ends) if ends else None)
            row["venue"] = row["venue"] or c.venue

    keyword_rows = [k for r in results for k in r.keywords]
    tables = {
        "articles": articles,
        "conferences": sorted(conferences.values(), key=lambda c: (str(c["start"] or "9999"), c["conference_id"])),
        "mentions": [m for r in results for m in r.mentions],
        "foreign_mentions": [f for r in results for f in r.foreign],
        "provinces": [p for r in results for p in r.provinces],
        "keywords": keyword_rows,
        "keyword_conference": _keyword_conference(keyword_rows, articles),
        "keyword_month": _keyword_month(keyword_rows, articles, conferences),
        "rejected": rejected,
    }
    frames = {}
    for name, rows in tables.items():
        schema = arrow_schema(name)
        table = pa.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()
        frames[name] = table.to_pandas(types_mapper=None)
    return frames


def _keyword_conference(keyword_rows: list[dict], articles: list[dict]) -> list[dict]:
    """Per-conference term counts, rates and distinctiveness, each republished story counted once."""
    from dashboard.analysis import distinctive_terms, term_rates

    conference_of = {a["article_id"]: a["conference_id"] for a in articles if a["conference_id"] and not a["duplicate_of"]}
    rows = [{"conference_id": conference_of[k["article_id"]], "term": k["term"], "count": k["count"]}
            for k in keyword_rows if k["article_id"] in conference_of]
    if not rows:
        return []
    counts = pd.DataFrame(rows)
    rates = term_rates(counts, "conference_id")
    out = []
    for conference_id in sorted(rates["conference_id"].unique()):
        zeta = distinctive_terms(counts, "conference_id", conference_id).set_index("term")["zeta"]
        part = rates[rates["conference_id"] == conference_id]
        for row in part.itertuples(index=False):
            out.append({"conference_id": conference_id, "term": row.term, "count": int(row.count),
                        "rate": float(row.rate), "zeta": float(zeta.get(row.term, 0.0))})
    return sorted(out, key=lambda r: (r["conference_id"], -r["zeta"], r["term"]))


def _keyword_month(keyword_rows: list[dict], articles: list[dict], conferences: dict[str, dict]) -> list[dict]:
    """Per-month term counts and rates, each republished story counted once."""
    from dashboard.analysis import term_rates

    month_of = {}
    for a in articles:
        when = a["published"] or (conferences.get(a["conference_id"] or "", {}).get("start"))
        if when is not None and not a["duplicate_of"]:
            month_of[a["article_id"]] = when.replace(day=1)
    rows = [{"month": month_of[k["article_id"]], "term": k["term"], "count": k["count"]}
            for k in keyword_rows if k["article_id"] in month_of]
    if not rows:
        return []
    rates = term_rates(pd.DataFrame(rows), "month")
    return sorted(({"month": r.month, "term": r.term, "count": int(r.count), "rate": float(r.rate)}
                   for r in rates.itertuples(index=False)), key=lambda r: (r["month"], r["term"]))


def _merge_new_conferences(results: list[ArticleRows]) -> dict[str, str]:
    """Ids of new (non-catalog) conferences that are the same event seen by several articles -> the first id.

    Two articles about one event often name it differently ("Hội nghị toàn quốc quán triệt 4 nghị quyết …" vs
    "Hội nghị toàn quốc quán triệt …"): same start date and one name a word-prefix of the other make them one.
    """
    seen: list[tuple[str, object, list[str], str | None]] = []
    aliases: dict[str, str] = {}
    for r in results:
        c = r.conference
        if c is None or c.in_catalog or c.start is None or c.conference_id in aliases:
            continue
        words = c.name.lower().split()
        for first_id, start, first_words, series in seen:
            if start != c.start or first_id == c.conference_id:
                continue
            # Provincial reviews differ only by organiser at the end: those must match exactly.
            same = words == first_words if (series or c.series) else (
                sum(1 for _ in takewhile(lambda pair: pair[0] == pair[1], zip(words, first_words))) >= 4)
            if same:
                aliases[c.conference_id] = first_id
                break
        else:
            seen.append((c.conference_id, c.start, words, c.series))
    return aliases


def write_tables(frames: dict[str, pd.DataFrame], output_dir: Path, summary: dict) -> None:
    """Write every table to a temporary sibling folder, then swap it in for `output_dir` with renames."""
    output_dir = Path(output_dir)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.building-", dir=output_dir.parent))
    try:
        for name in TABLES:
            table = pa.Table.from_pandas(frames[name], schema=arrow_schema(name), preserve_index=False)
            pq.write_table(table, staging / f"{name}.parquet")
        serving.write_aggregates(staging)
        (staging / "build.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
        retired = None
        if output_dir.exists():
            retired = output_dir.parent / f".{output_dir.name}.old-{os.getpid()}"
            output_dir.rename(retired)
        staging.rename(output_dir)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def default_cache_dir(output_dir: Path) -> Path:
    """The extraction cache lives beside the output folder (data/.cache/extract for data/processed)."""
    return Path(output_dir).parent / ".cache" / "extract"


def build(input_dir: Path = config.RAW_DIR, output_dir: Path = config.PROCESSED_DIR, workers: int = 1,
          max_bytes: int = config.MAX_FILE_BYTES, progress: bool = True, incremental: bool = True,
          scheduler: str | None = None) -> BuildSummary:
    """Build the processed tables from the raw articles under `input_dir` (reusing unchanged articles' extraction
    from the cache beside the output unless `incremental` is False)."""
    input_dir, output_dir = Path(input_dir), Path(output_dir)
    if not input_dir.is_dir():
        raise FileNotFoundError(f"input folder {input_dir} does not exist")
    results, rejected, reused = extract_corpus(input_dir, workers=workers, max_bytes=max_bytes, progress=progress,
                                               cache_dir=default_cache_dir(output_dir) if incremental else None,
                                               scheduler=scheduler)
    frames = assemble_tables(results, rejected)
    summary = BuildSummary(
        articles=len(frames["articles"]), rejected=len(frames["rejected"]),
        officials=frames["mentions"]["name"].nunique() if len(frames["mentions"]) else 0,
        conferences=int((frames["conferences"]["articles"] > 0).sum()), mentions=len(frames["mentions"]),
        output=output_dir, reused=reused)
    write_tables(frames, output_dir, {"articles": summary.articles, "rejected": summary.rejected,
                                      "officials": summary.officials, "conferences": summary.conferences,
                                      "mentions": summary.mentions})
    return summary
