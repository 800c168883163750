"""Generate SYNTHETIC processed tables at a chosen number of mention rows, for the dashboard benchmarks.

Running the pipeline over a million articles takes hours; the dashboard only needs tables in the contract's shape
with realistic distributions. So this writes the processed tables directly, from the reference data: each article
is a copy of one of a few thousand template articles written for one catalog conference (officials with the role
they held on its date, bridge-point provinces, keyword counts), with its own id, date, outlet and duplicate link.
Titles and bodies say they are synthetic. The serving aggregates are then written by the same code as a real build.

    python benchmarks/scale_tables.py --out /tmp/app-1m --mentions 1000000 [--seed 7]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmarks.generate_corpus import TOPICS, _officials_on  # noqa: E402
from dashboard import reference  # noqa: E402
from dashboard.pipeline import serving  # noqa: E402
from dashboard.pipeline.schema import TABLES, arrow_schema  # noqa: E402

TEMPLATES_PER_CONFERENCE = 60
WORDS = sorted({w for topic in TOPICS for w in [topic] + topic.split()} | {
    "hội nhập", "đối tác", "hợp tác", "phát triển", "chủ quyền", "đa phương", "song phương", "kinh tế", "đầu tư",
    "thương mại", "du lịch", "kiều bào", "bảo hộ công dân", "biên giới", "hòa bình", "ổn định", "an ninh",
    "ngoại giao vaccine", "chuyển đổi số", "tăng trưởng xanh", "văn hóa", "giáo dục", "khoa học", "công nghệ",
    "lao động", "xuất khẩu", "nhập khẩu", "đối ngoại nhân dân", "đối ngoại đảng", "ngoại giao nhà nước",
    "tham mưu", "chiến lược", "nghị quyết", "đại hội", "đổi mới", "tiên phong", "bản lĩnh", "trách nhiệm",
    "uy tín", "vị thế", "quốc tế", "khu vực", "asean", "liên hợp quốc", "apec", "thích ứng", "bền vững"})


def _templates(rng: np.random.Generator) -> tuple[list[dict], list[str]]:
    """Template articles per catalog conference: body text and the rows that point into it."""
    out, conference_ids = [], []
    provinces = [p.name for p in reference.provinces()]
    for conference in (c for c in reference.conference_catalog() if c.start):
        officials = _officials_on(conference.start) or [("Bùi Thanh Sơn", "Bộ trưởng Bộ Ngoại giao")]
        weights = 1.0 / np.arange(1, len(officials) + 1)  # a few officials dominate coverage, as in the press
        for _ in range(TEMPLATES_PER_CONFERENCE):
            body = [f"[Bài tổng hợp cho kiểm thử hiệu năng, không phải bài báo thật] {conference.name}."]
            cursor = len(body[0]) + 1
            mentions, places, terms = [], [], {}
            k = min(len(officials), int(rng.integers(2, 7)))
            for index in rng.choice(len(officials), size=k, replace=False, p=weights / weights.sum()):
                name, role = officials[index]
                for _ in range(int(rng.integers(1, 4))):
                    sentence = f"{role} {name} phát biểu về {rng.choice(TOPICS)}."
                    start = cursor + len(role) + 1
                    mentions.append((name, role, start, start + len(name)))
                    body.append(sentence)
                    cursor += len(sentence) + 1
            for province in rng.choice(provinces, size=int(rng.integers(1, 6)), replace=False):
                sentence = f"Điểm cầu {province} kết nối trực tuyến."
                start = cursor + len("Điểm cầu ")
                places.append((str(province), bool(rng.random() < 0.8), start, start + len(province)))
                body.append(sentence)
                cursor += len(sentence) + 1
            for term in rng.choice(WORDS, size=25, replace=False):
                terms[str(term)] = int(rng.integers(1, 6))
            out.append({"conference_id": conference.conference_id, "start": conference.start, "body": "\n".join(body),
                        "mentions": mentions, "provinces": places, "keywords": terms})
        conference_ids.append(conference.conference_id)
    return out, conference_ids


def generate(out: Path, mention_rows: int, seed: int = 7) -> dict:
    """Write the processed tables with about `mention_rows` mention rows into `out`; returns the sizes."""
    rng = np.random.default_rng(seed)
    templates, _ = _templates(rng)
    per_article = np.mean([len(t["mentions"]) for t in templates])
    n = max(1, int(round(mention_rows / per_article)))
    pick = rng.integers(0, len(templates), size=n)
    outlets = [o["outlet"] for o in reference.outlets()]
    ids = np.array([f"syn{i:08d}" for i in range(n)], dtype=object)
    starts = np.array([templates[i]["start"] for i in pick], dtype="datetime64[D]")
    offsets = np.where(rng.random(n) < 0.85, rng.integers(0, 4, size=n), rng.integers(4, 365, size=n))
    published = starts + offsets.astype("timedelta64[D]")
    duplicate = np.where(rng.random(n) < 0.15, rng.integers(0, np.maximum(np.arange(n), 1)), -1)
    duplicate[0] = -1
    bodies = pa.array([t["body"] for t in templates]).take(pa.array(pick))
    articles = pa.table({
        "article_id": pa.array(ids, pa.string()), "source": pa.array(ids + ".txt", pa.string()),
        "format": pa.array(np.full(n, "text"), pa.string()), "encoding": pa.array(np.full(n, "utf-8"), pa.string()),
        "title": pa.array([f"[synthetic] {templates[p]['conference_id']} #{i}" for i, p in enumerate(pick)]),
        "published": pa.array(published, pa.date32()),
        "outlet": pa.array(np.array(outlets, dtype=object)[rng.integers(0, len(outlets), size=n)], pa.string()),
        "byline": pa.nulls(n, pa.string()),
        "conference_id": pa.array([templates[p]["conference_id"] for p in pick], pa.string()),
        "duplicate_of": pa.array(np.where(duplicate >= 0, ids[np.maximum(duplicate, 0)], None), pa.string()),
        "event_dates": pa.array([[d] for d in published.tolist()], pa.list_(pa.date32())),
        "body": bodies, "n_chars": pc_lengths(bodies),
        "content_hash": pa.array(ids, pa.string()), "province_scheme": pa.array(np.full(n, "63"), pa.string()),
    }, schema=arrow_schema("articles"))

    def exploded(key: str, columns: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
        rows = pd.DataFrame([(t, *row) for t, tpl in enumerate(templates) for row in
                             (tpl[key].items() if isinstance(tpl[key], dict) else tpl[key])], columns=["t"] + columns)
        by_template = rows.groupby("t").indices
        order = np.concatenate([by_template.get(p, np.empty(0, dtype=np.int64)) for p in pick])
        owners = np.repeat(np.arange(n), [len(by_template.get(p, ())) for p in pick])
        return owners, rows.iloc[order].reset_index(drop=True)

    owners, rows = exploded("mentions", ["name", "role", "position", "end"])
    mentions = pa.table({"article_id": pa.array(ids[owners], pa.string()), "name": rows["name"].to_numpy(),
                         "role": rows["role"].to_numpy(), "position": rows["position"].to_numpy(),
                         "end": rows["end"].to_numpy(), "in_reference": np.ones(len(rows), dtype=bool)},
                        schema=arrow_schema("mentions"))
    owners, rows = exploded("provinces", ["province", "participating", "position", "end"])
    to_34 = {p.name: p.name_34 for p in reference.provinces()}
    provinces = pa.table({
        "article_id": pa.array(ids[owners], pa.string()), "province": rows["province"].to_numpy(),
        "province_34": rows["province"].map(to_34).to_numpy(), "participating": rows["participating"].to_numpy(bool),
        "mentions": np.ones(len(rows), dtype=np.int64), "positions": pa.array([[p] for p in rows["position"]]),
        "ends": pa.array([[e] for e in rows["end"]])}, schema=arrow_schema("provinces"))
    owners, rows = exploded("keywords", ["term", "count"])
    keywords = pa.table({"article_id": pa.array(ids[owners], pa.string()), "term": rows["term"].to_numpy(),
                         "count": rows["count"].to_numpy()}, schema=arrow_schema("keywords"))

    out.mkdir(parents=True, exist_ok=True)
    tables = {"articles": articles, "mentions": mentions, "provinces": provinces, "keywords": keywords}
    catalog = pd.DataFrame([c.__dict__ for c in reference.conference_catalog()])
    counts = articles.column("conference_id").to_pandas().value_counts()
    tables["conferences"] = pa.Table.from_pandas(pd.DataFrame({
        "conference_id": catalog["conference_id"], "name": catalog["name"], "series": catalog["series"],
        "ordinal": catalog["ordinal"].astype("Int64"), "start": catalog["start"], "end": catalog["end"],
        "venue": catalog["venue"], "in_catalog": True,
        "articles": catalog["conference_id"].map(counts).fillna(0).astype("int64")}),
        schema=arrow_schema("conferences"), preserve_index=False)
    for name in TABLES:
        table = tables.get(name, arrow_schema(name).empty_table())
        pq.write_table(table, out / f"{name}.parquet", compression="zstd", row_group_size=1 << 20)
    serving.write_aggregates(out)
    sizes = {"articles": n, "mentions": len(mentions), "provinces": len(provinces), "keywords": len(keywords)}
    (out / "build.json").write_text(json.dumps({"synthetic": True, "seed": seed, **sizes}))
    return sizes


def pc_lengths(strings: pa.Array) -> pa.Array:
    import pyarrow.compute as pc

    return pc.utf8_length(strings).cast(pa.int64())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    started = time.perf_counter()
    sizes = generate(args.out, args.mentions, args.seed)
    print(f"{sizes} in {args.out} ({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
