"""Build province_tiles.csv: a tile-grid map of Vietnam, one tile per province at its geographic place.

Public polygon sets for Vietnam are scarce and rarely licensed for redistribution, and many omit the Hoàng Sa and
Trường Sa archipelagos, so the dashboard draws a tile grid instead. Each unit's tile is the grid cell nearest to its
capital (lat/lon in provinces.csv); collisions move to the nearest free cell, north-to-south. The archipelagos get
their own labelled tiles east of the coast. Run: python data/reference/build_province_tiles.py
"""
import csv
from pathlib import Path

HERE = Path(__file__).parent
STEP = 0.62  # degrees per tile: coarse enough that the 63 units fit without drifting far from their place
ISLANDS = [("Quần đảo Hoàng Sa", "Đà Nẵng", "Thừa Thiên Huế", 16.5, 111.6), ("Quần đảo Trường Sa", "Khánh Hòa", "Khánh Hòa", 10.0, 114.0)]


def layout(units):
    taken, out = set(), {}
    for name, lat, lon in sorted(units, key=lambda u: (-u[1], u[2])):
        row, col = round((23.6 - lat) / STEP), round((lon - 102.1) / STEP)
        best = None
        for radius in range(0, 6):
            cells = [(row + dr, col + dc) for dr in range(-radius, radius + 1) for dc in range(-radius, radius + 1)
                     if max(abs(dr), abs(dc)) == radius]
            free = [c for c in cells if c not in taken]
            if free:
                best = min(free, key=lambda c: ((c[0] - row) ** 2 + (c[1] - col) ** 2, c))
                break
        taken.add(best)
        out[name] = best
    return out


def main():
    rows = list(csv.DictReader(open(HERE / "provinces.csv", encoding="utf-8")))
    coords = {r["province"]: (float(r["lat"]), float(r["lon"])) for r in rows}
    tiles = []
    grid63 = layout([(r["province"], *coords[r["province"]]) for r in rows])
    units34 = sorted({r["province_34"] for r in rows})
    namesake = {u: ("Thừa Thiên Huế" if u == "Huế" else u) for u in units34}
    grid34 = layout([(u, *coords[namesake[u]]) for u in units34])
    for scheme, grid in (("63", grid63), ("34", grid34)):
        for name, (row, col) in sorted(grid.items()):
            tiles.append({"scheme": scheme, "unit": name, "row": row, "col": col, "kind": "province"})
        for label, unit34, unit63, lat, lon in ISLANDS:
            tiles.append({"scheme": scheme, "unit": label, "row": round((23.6 - lat) / STEP),
                          "col": round((lon - 102.1) / STEP) - 3, "kind": f"archipelago of {unit34 if scheme == '34' else unit63}"})
    with open(HERE / "province_tiles.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["scheme", "unit", "row", "col", "kind"])
        writer.writeheader()
        writer.writerows(tiles)
    print(len(tiles), "tiles")


if __name__ == "__main__":
    main()
