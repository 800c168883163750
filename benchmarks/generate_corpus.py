"""Generate a SYNTHETIC corpus for benchmarks, deterministic from a seed (never part of data/raw).

Articles are assembled from the reference tables (officials with the role they held on the conference's date,
provinces, conferences) in the shapes real coverage takes: plain-text scrapes with menus, date lines, bridge-point
paragraphs, name-first lists, bylines and related-news boilerplate; HTML pages with nav/aside/footer and figcaptions;
legacy encodings (Windows-1258, UTF-16, UTF-8 with BOM). Every file says it is synthetic in its boilerplate and its
name starts with "synthetic_".

    python benchmarks/generate_corpus.py --out /tmp/synthetic-10k --articles 10000 [--seed 7]
"""
from __future__ import annotations

import argparse
import random
import sys
import unicodedata
from datetime import timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from dashboard import reference  # noqa: E402

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
MENUS = ["Trang chủ | Thời sự | Chính trị | Đối ngoại | Kinh tế", "Trang chủ > Thời sự > Đối ngoại",
         "Thời sự Chính trị Kinh tế Xã hội Văn hóa Thể thao"]
DATE_LINES = ["Thứ ba - {d:%d/%m/%Y} 16:44", "Cập nhật: {d:%d-%m-%Y} | 15:58:28", "{d:%d-%m-%Y} 10:05 GMT+7",
              "Cập nhật lúc 09:30 ngày {d:%d/%m/%Y}", "{d:%Y-%m-%d}T08:15:00+07:00"]
SENTENCES = [
    "Năm qua, {province} đón {n} đoàn khách quốc tế và ký {m} thỏa thuận hợp tác với địa phương của {country}.",
    "Kim ngạch thương mại với {country} đạt {n} tỷ USD, tăng {m}% so với cùng kỳ, theo báo cáo tại hội nghị.",
    "{role} {name} đề nghị ngành tập trung {topic} trong giai đoạn {year}-{year2}.",
    "Các đại biểu thảo luận {m} chuyên đề về {topic}, với hơn {n} lượt ý kiến phát biểu.",
    "Công tác bảo hộ công dân được triển khai kịp thời, hỗ trợ {n} công dân tại {country}.",
    "Hội nghị thống nhất {m} nhóm giải pháp về {topic}, gắn với nhu cầu của {province}.",
    "Đại diện {province} chia sẻ kinh nghiệm thu hút {n} dự án đầu tư từ {country} trong năm {year}.",
    "Quan hệ với {country} được nâng lên tầm cao mới sau {m} chuyến thăm cấp cao trong năm {year}.",
]
TOPICS = ["ngoại giao kinh tế", "hội nhập quốc tế", "đối ngoại đa phương", "ngoại giao văn hóa", "chuyển đổi số",
          "công tác người Việt Nam ở nước ngoài", "thông tin đối ngoại", "bảo vệ chủ quyền biên giới",
          "thu hút đầu tư", "chuyển đổi xanh", "hợp tác lao động", "giáo dục và khoa học công nghệ"]
BYLINES = ["Minh Anh", "Thu Hằng - Văn Dũng", "PV", "Theo TTXVN", "Tác giả: Quang Vinh"]


def _cp1258(text: str) -> bytes:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = parts[0] + "".join(m for m in parts[1:] if m not in _TONES)
        out.append(unicodedata.normalize("NFC", base) + "".join(m for m in parts[1:] if m in _TONES))
    return "".join(out).encode("cp1258", errors="replace")


def _officials_on(day):
    """(name, role) of reference officials holding a national role on `day`."""
    out = []
    for spells in reference.official_roles().values():
        for spell in spells:
            if spell.scope == "national" and (spell.start is None or spell.start <= day) and (spell.end is None or day <= spell.end):
                out.append((spell.name, spell.role))
                break
    return out


def article(rng: random.Random, index: int) -> tuple[str, bytes]:
    conference = rng.choice([c for c in reference.conference_catalog() if c.start])
    day = conference.start + timedelta(days=rng.randint(0, 2))
    officials = _officials_on(conference.start) or [("Bùi Thanh Sơn", "Bộ trưởng Bộ Ngoại giao")]
    chosen = rng.sample(officials, k=min(len(officials), rng.randint(2, 5)))
    provinces = rng.sample([p.name for p in reference.provinces()], k=rng.randint(1, 4))
    title = f"{rng.choice(['Khai mạc', 'Bế mạc', 'Toàn cảnh', 'Dấu ấn'])} {conference.name}"
    lines = [f"Sáng {day:%d/%m}, {conference.name} diễn ra tại {conference.venue or 'Hà Nội'}. "
             f"{chosen[0][1]} {chosen[0][0]} dự và phát biểu chỉ đạo."]
    lines.append(f"Hội nghị được kết nối trực tuyến tới các điểm cầu {', '.join(provinces[:-1]) + ' và ' if len(provinces) > 1 else ''}"
                 f"{provinces[-1]}.")
    lines.append("Tham dự có các đồng chí: " + "; ".join(f"{n}, {r}" for n, r in chosen[1:]) + ".")
    countries = [c for c in reference.countries() if c != "Việt Nam" and len(c) > 3] or ["Lào"]
    for template in rng.sample(SENTENCES, k=5):
        who = rng.choice(chosen)
        lines.append(template.format(province=rng.choice(provinces), n=rng.randint(2, 900), m=rng.randint(2, 40),
                                     country=rng.choice(countries), role=who[1], name=who[0], topic=rng.choice(TOPICS),
                                     year=day.year, year2=day.year + rng.randint(1, 5)))
    lines.append(f"{chosen[0][1]} {chosen[0][0]} phát biểu tại hội nghị. Ảnh: Nguyễn Hồng")
    boilerplate = [rng.choice(BYLINES), "Tin cùng chuyên mục",
                   f"{rng.choice(officials)[1]} {rng.choice(officials)[0]} làm việc tại {rng.choice(provinces)}",
                   "Bài viết tổng hợp tự động cho kiểm thử hiệu năng (synthetic, không phải bài báo thật)."]
    shape = index % 5
    stem = f"synthetic_{index:07d}"
    if shape == 4:  # HTML page
        body = "".join(f"<p>{line}</p>" for line in lines[:-1]) + f"<figure><figcaption>{lines[-1]}</figcaption></figure>"
        page = (f'<html><head><meta charset="utf-8"><meta property="article:published_time" content="{day:%Y-%m-%d}T08:00:00+07:00">'
                f"<title>{title}</title></head><body><nav>{MENUS[0]}</nav><article><h1>{title}</h1>{body}"
                f'<p class="author">{boilerplate[0]}</p></article><aside>{boilerplate[2]}</aside>'
                f"<footer>{boilerplate[3]}</footer></body></html>")
        return f"{stem}.html", page.encode("utf-8")
    text = "\n".join([rng.choice(MENUS), "", title, "", rng.choice(DATE_LINES).format(d=day), ""] + lines + boilerplate)
    if shape == 1:
        return f"{stem}.txt", _cp1258(text)
    if shape == 2:
        return f"{stem}.txt", text.encode("utf-16")
    if shape == 3:
        return f"{stem}.txt", text.encode("utf-8-sig")
    return f"{stem}.txt", text.encode("utf-8")


def generate(out: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        name, data = article(rng, index)
        folder = out / f"{index // 1000:04d}"  # 1000 files a folder
        folder.mkdir(exist_ok=True)
        (folder / name).write_bytes(data)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.out, args.articles, args.seed)
    print(f"{args.articles} synthetic articles in {args.out}")


if __name__ == "__main__":
    main()
