"""A rebuild puts the cached rows still wanted and the freshly extracted ones in path order by slicing (no copy).
Whatever the mix of kept, changed, removed and new articles, it must give exactly the rows the general sort gives."""
import pyarrow as pa
import pytest

from dashboard.pipeline import build as build_module
from dashboard.pipeline.rowstore import TABLES
from dashboard.pipeline.rowstore import schema as rowstore_schema


def _article(source: str, version: str = "") -> dict:
    return {"cache_key": f"{source}#{version}", "article_id": f"id-{source}", "source": source,
            "body": f"Bài {source} {version}".strip()}


def _rows(articles: list[dict], per_article: dict[str, int]) -> dict[str, pa.Table]:
    """Tables of the cache's layout for `articles`: one meta and article row each, and `per_article[table]` rows
    per article in the others (varied by the source's length, so some articles have none)."""
    out = {"meta": pa.Table.from_pylist([{"cache_key": a["cache_key"], "source": a["source"]} for a in articles],
                                        schema=rowstore_schema("meta")),
           "articles": pa.Table.from_pylist(articles, schema=rowstore_schema("articles"))}
    for name in TABLES[2:]:
        label = LABELS[name]
        rows = [{"article_id": a["article_id"], label: f"{a['cache_key']}-{k}"} for a in articles
                for k in range((len(a["source"]) + len(a["cache_key"])) % (per_article[name] + 1))]
        out[name] = pa.Table.from_pylist(rows, schema=rowstore_schema(name))
    return out


LABELS = {"mentions": "name", "foreign_mentions": "name", "keywords": "term", "provinces": "province"}
PER_ARTICLE = {"mentions": 3, "provinces": 2, "keywords": 5, "foreign_mentions": 0}  # at most, varied by article


def _chunked(articles: list[dict], chunk: int) -> dict[str, pa.Table]:
    """Every cached table, cut into chunks of `chunk` rows (as Parquet row groups)."""
    return {name: pa.Table.from_batches(table.to_batches(max_chunksize=chunk), table.schema)
            for name, table in _rows(articles, PER_ARTICLE).items()}


def _cached(articles: list[dict], wanted: set[str], chunk: int) -> tuple[dict[str, pa.Table], pa.Array | None]:
    """`RowStore.read`'s answer: every cached table, and the mask of the articles with the `wanted` cache keys."""
    tables = _chunked(articles, chunk)
    kept = [key in wanted for key in tables["articles"]["cache_key"].to_pylist()]
    return tables, None if all(kept) else pa.array(kept, pa.bool_())


def _masked(articles: list[dict], wanted: set[str], chunk: int) -> dict[str, tuple[pa.Table, pa.Array | None]]:
    """Every cached table with the mask of its rows that belong to the `wanted` cache keys, found here row by row."""
    keys = {a["article_id"]: a["cache_key"] for a in articles}
    out = {}
    for name, table in _chunked(articles, chunk).items():
        column = table["cache_key"] if name in ("meta", "articles") else None
        ids = column.to_pylist() if column is not None else [keys[i] for i in table["article_id"].to_pylist()]
        mask = [key in wanted for key in ids]
        out[name] = (table, None if all(mask) else pa.array(mask, pa.bool_()))
    return out


def _fresh(articles: list[dict], pieces: int) -> dict[str, list[pa.Table]]:
    """Freshly extracted rows, in `pieces` batches in the order given."""
    size = max(1, -(-len(articles) // pieces)) if articles else 1
    out = {name: [] for name in TABLES}
    for start in range(0, len(articles), size):
        for name, table in _rows(articles[start:start + size], PER_ARTICLE).items():
            out[name].append(table)
    return out


OLD = [_article(f"{folder}/bai_{i:03d}.txt") for folder in ("2023", "2024") for i in range(0, 40, 3)]


def _changed(sources: list[str]) -> list[dict]:
    return [_article(s, "v2") for s in sources]


CASES = {
    # name: (cached articles still wanted, fresh articles, order of fresh, pieces, chunk of cached row groups)
    "nothing new": ([a["source"] for a in OLD], [], "path", 1, 7),
    "new between old": ([a["source"] for a in OLD], [_article(f"2023/bai_{i:03d}.txt") for i in (1, 2, 17, 38)] +
                        [_article("2022/dau.txt"), _article("2025/cuoi.txt")], "path", 3, 5),
    "changed in place": ([a["source"] for a in OLD if a["source"] not in ("2023/bai_006.txt", "2024/bai_000.txt")],
                         _changed(["2023/bai_006.txt", "2024/bai_000.txt"]), "path", 2, 4),
    "removed only": ([a["source"] for a in OLD[::2]], [], "path", 1, 3),
    "everything": ([a["source"] for a in OLD[1::3]], _changed([a["source"] for a in OLD[::3]]) +
                   [_article("2023/bai_000a.txt"), _article("2024/moi.txt")], "path", 4, 1000),
    "from a cluster, in any order": ([a["source"] for a in OLD[:-4]],
                                     _changed([a["source"] for a in OLD[-4:]]) + [_article("2023/bai_002.txt")],
                                     "reversed", 2, 6),
}


@pytest.mark.parametrize("case", list(CASES))
def test_merging_cached_and_fresh_rows_gives_the_rows_a_full_sort_gives(case):
    kept_sources, fresh_articles, order, pieces, chunk = CASES[case]
    fresh_articles = sorted(fresh_articles, key=lambda a: a["source"], reverse=order == "reversed")
    wanted = {a["cache_key"] for a in OLD if a["source"] in kept_sources}
    merged = build_module._in_source_order(_cached(OLD, wanted, chunk), _fresh(fresh_articles, pieces))
    cached, fresh = _masked(OLD, wanted, chunk), _fresh(fresh_articles, pieces)
    expected = build_module._sorted_by_rank({name: [cached[name]] + [(table, None) for table in fresh[name]]
                                             for name in TABLES})
    for name in TABLES:
        assert merged[name].equals(expected[name]), name
    fresh = {name: pa.concat_tables(tables) if tables else rowstore_schema(name).empty_table()
             for name, tables in _fresh(fresh_articles, pieces).items()}
    sliced = build_module._merged(_cached(OLD, wanted, chunk), fresh)
    assert (sliced is not None) == (order == "path")  # in path order: merged by slicing, not sorted
    sources = merged["articles"]["source"].to_pylist()
    assert sources == sorted(set(kept_sources) | {a["source"] for a in fresh_articles})
    keys = set(merged["articles"]["cache_key"].to_pylist())
    assert keys == wanted | {a["cache_key"] for a in fresh_articles}  # old versions of changed articles are gone
    assert merged["keywords"].num_rows > 0 and merged["foreign_mentions"].num_rows == 0


def test_a_cache_not_in_path_order_is_sorted_rather_than_merged():
    """A cache written in another order (an older layout, a damaged file) must not be sliced as if it were sorted."""
    shuffled = OLD[5:] + OLD[:5]
    wanted = {a["cache_key"] for a in shuffled}
    cached = _cached(shuffled, wanted, 4)
    fresh = _fresh([_article("2023/bai_010.txt")], 1)
    assert build_module._merged(cached, {n: pa.concat_tables(t) for n, t in fresh.items()}) is None
    merged = build_module._in_source_order(_cached(shuffled, wanted, 4), _fresh([_article("2023/bai_010.txt")], 1))
    assert merged["articles"]["source"].to_pylist() == sorted(a["source"] for a in OLD + [_article("2023/bai_010.txt")])
