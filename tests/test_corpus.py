"""The extraction measured against gold: the bundled sample corpus (data/gold) and the seeds (../shared)."""
import json
import os
import subprocess
import sys
from collections import Counter

import pandas as pd
import pytest

from dashboard import config
from dashboard.pipeline.text import match_key
from tests.conftest import gold_files, load_gold


def _province_key(name: str) -> str:
    key = match_key(name)
    return {"huế": "thừa thiên huế", "thành phố huế": "thừa thiên huế"}.get(key, key)


@pytest.fixture(scope="module")
def sample(sample_build):
    tables = {name: pd.read_parquet(sample_build / f"{name}.parquet")
              for name in ("articles", "mentions", "provinces", "conferences")}
    tables["articles"]["file"] = tables["articles"]["source"].map(os.path.basename)
    return tables


def test_sample_corpus_is_big_enough_and_all_readable(sample):
    assert len(sample["articles"]) >= 30
    assert len(gold_files()) == len(sample["articles"])


# Known limitation, kept visible: the province co-hosting a *different* conference named in passing is read as
# taking part ("Hội nghị … được Bộ Ngoại giao phối hợp với UBND tỉnh Ninh Bình tổ chức vào tháng 6").
KNOWN_MISSES = {"t12_binh-dinh-tong-ket-doi-ngoai-2024": "co-host of another conference read as participating"}


@pytest.mark.parametrize("gold_path", [
    pytest.param(p, marks=pytest.mark.xfail(reason=KNOWN_MISSES[p.stem], strict=True)) if p.stem in KNOWN_MISSES else p
    for p in gold_files()], ids=lambda p: p.stem)
def test_sample_article_matches_gold(gold_path, sample):
    gold = load_gold(gold_path)
    row = sample["articles"].set_index("file").loc[gold["file"]]
    aid = row["article_id"]
    title = row["title"] if isinstance(row["title"], str) else ""
    assert match_key(title) == match_key(gold["title"] or "")
    published = None if pd.isna(row["published"]) else str(row["published"])[:10]
    assert published == gold["published"]
    got = Counter(match_key(n) for n in sample["mentions"].query("article_id == @aid")["name"])
    assert got == {match_key(o["name"]): o["mentions"] for o in gold["officials"]}
    provinces = sample["provinces"].query("article_id == @aid")
    assert {_province_key(p) for p in provinces["province"]} == {_province_key(p) for p in gold["provinces_mentioned"]}
    assert {_province_key(p) for p in provinces[provinces["participating"]]["province"]} == \
        {_province_key(p) for p in gold["provinces_participating"]}
    if "provinces_participating_34" in gold:
        assert set(provinces[provinces["participating"]]["province_34"]) == set(gold["provinces_participating_34"])
    conference = (gold.get("conference") or {})
    if conference.get("start"):
        conf = sample["conferences"].set_index("conference_id").loc[row["conference_id"]]
        assert str(conf["start"])[:10] == conference["start"]


def test_seeds_score_perfectly_with_the_shared_scorer(seeds_dir, tmp_path):
    scorer = config.SHARED_DIR / "eval" / "score.py"
    from dashboard.pipeline.build import build

    build(seeds_dir, tmp_path / "out", progress=False)
    result = subprocess.run([sys.executable, str(scorer), "project", "--processed", str(tmp_path / "out"),
                             "--gold", str(config.SEEDS_GOLD_DIR)], capture_output=True, text=True, check=True)
    scores = json.loads(result.stdout.rsplit("SUMMARY", 1)[0])
    for metric in ("officials", "mentions", "prov_part", "prov_ment"):
        assert scores[metric]["f1"] == 1.0, metric
    assert scores["title"] == scores["published"] == scores["conference"] == 1.0
    assert scores["leaks"] == 0 and not scores["articles_missing"]
