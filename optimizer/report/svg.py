"""SVG drawings of a plan, drawn here (no tile server, no chart library): the district map and
bar charts. Text stays SVG text, so Chinese labels remain searchable and sharp at any zoom.

Map: an equirectangular projection of longitude and latitude (x scaled by the cosine of the
middle latitude, so distances look right at this scale), courts as circles sized by load
(area ∝ load after the plan), coloured by utilisation; case moves as solid arrows and staff
loans as dashed arrows, width by count. No region outlines: the region table (cpca, MIT) has
centroids only, and no boundary data whose licence allows shipping it is in the product.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from html import escape

from optimizer.data.scenario import Scenario
from optimizer.results.plan import CourtPlan, Plan

MAP_W, MAP_H, MARGIN = 900, 620, 90
#: arrows drawn at most: the largest flows (a province has hundreds of court pairs; every pair
#: is in the origin–destination table of the report and the dashboard)
MAX_ARROWS = 25
MOVE_COLOUR, LOAN_COLOUR = "#2563eb", "#d97706"
OUTLINES_NOTE = ("未绘制行政区边界：产品所附的行政区划数据（cpca，MIT 许可）只有中心点坐标，"
                 "没有可随附许可的边界数据 (no region outlines: the shipped region data has centroids only)")


def utilisation_colour(util: float) -> str:
    if util <= 1.0:
        return "#16a34a"
    if util <= 1.2:
        return "#f59e0b"
    return "#dc2626"


@dataclass(frozen=True)
class _Projection:
    lon0: float
    lat1: float
    scale: float
    kx: float

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (MARGIN + (lon - self.lon0) * self.kx * self.scale,
                MARGIN + (self.lat1 - lat) * self.scale)


def _projection(points: list[tuple[float, float]]) -> _Projection:
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * kx, 1e-3)
    span_y = max(max(lats) - min(lats), 1e-3)
    scale = min((MAP_W - 2 * MARGIN) / span_x, (MAP_H - 2 * MARGIN) / span_y)
    # centre the drawing in the frame
    lon0 = min(lons) - ((MAP_W - 2 * MARGIN) / scale - span_x) / 2 / kx
    lat1 = max(lats) + ((MAP_H - 2 * MARGIN) / scale - span_y) / 2
    return _Projection(lon0, lat1, scale, kx)


def _arrow(a: tuple[float, float], b: tuple[float, float], r_a: float, r_b: float, width: float,
           colour: str, dashed: bool, title: str, count: int | None = None) -> str:
    """A curved arrow from circle a to circle b (bent to the right, so a→b and b→a differ),
    with its count written at its middle when given."""
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    d = math.hypot(dx, dy) or 1.0
    ux, uy = dx / d, dy / d
    sx, sy = x1 + ux * r_a, y1 + uy * r_a
    ex, ey = x2 - ux * (r_b + 3), y2 - uy * (r_b + 3)
    bend = min(0.18 * d, 40)
    cx, cy = (sx + ex) / 2 - uy * bend, (sy + ey) / 2 + ux * bend
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    marker = "loan" if dashed else "move"
    label = "" if count is None else (
        f'<text class="flow-count" x="{(sx + 2 * cx + ex) / 4:.1f}" y="{(sy + 2 * cy + ey) / 4 + 4:.1f}" '
        f'font-size="11" text-anchor="middle" fill="{colour}" paint-order="stroke" stroke="#f8fafc" '
        f'stroke-width="3">{count}</text>')
    return (f'<g><path d="M{sx:.1f},{sy:.1f} Q{cx:.1f},{cy:.1f} {ex:.1f},{ey:.1f}" fill="none" '
            f'stroke="{colour}" stroke-width="{width:.1f}" stroke-opacity="0.75"{dash} '
            f'marker-end="url(#{marker})"><title>{escape(title)}</title></path>{label}</g>')


def _width(count: int) -> float:
    return 1.0 + 1.6 * math.sqrt(count)


def district_map(plan: Plan, scenario: Scenario) -> str:
    """The district with its courts at their real coordinates, case moves and staff loans."""
    place = {p.id: (p.lon, p.lat) for p in scenario.places}
    court_place = {c.id: c.place for c in scenario.courts}
    courts = [c for c in plan.courts if court_place.get(c.court_id) in place]
    if not courts:
        return '<p class="muted">没有可绘制的法院坐标 (no court coordinates to draw)</p>'
    proj = _projection([place[court_place[c.court_id]] for c in courts])
    at = {c.court_id: proj.xy(*place[court_place[c.court_id]]) for c in courts}
    biggest = max(max(c.load_after, c.load_before) for c in courts) or 1.0
    radius = {c.court_id: 6 + 24 * math.sqrt(max(c.load_after, 0) / biggest) for c in courts}
    names = {c.court_id: c.name for c in courts}
    parts = [f'<svg viewBox="0 0 {MAP_W} {MAP_H}" width="100%" role="img" '
             f'aria-label="辖区地图 district map">', _markers(),
             f'<rect width="{MAP_W}" height="{MAP_H}" fill="#f8fafc"/>']
    moves = Counter((c.from_court_id, c.court_id) for c in plan.cases
                    if c.court_id != c.from_court_id and c.from_court_id in at and c.court_id in at)
    drawn = sorted(moves.items(), key=lambda m: (-m[1], m[0]))[:MAX_ARROWS]
    for (a, b), n in sorted(drawn):  # one arrow per court pair, its count written on it
        parts.append(_arrow(at[a], at[b], radius[a], radius[b], _width(n), MOVE_COLOUR, False,
                            f"{names[a]} → {names[b]}: {n} 件案件 cases", n))
    if len(moves) > len(drawn):
        parts.append(f'<text x="{MAP_W - 8}" y="{MAP_H - 8}" font-size="12" text-anchor="end" '
                     f'fill="#64748b">另有 {len(moves) - len(drawn)} 条较小流向见流向表 '
                     f'({len(moves) - len(drawn)} smaller flows: see the table)</text>')
    for m in plan.staff_moves:
        if m.from_court in at and m.to_court in at:
            parts.append(_arrow(at[m.from_court], at[m.to_court], radius[m.from_court],
                                radius[m.to_court], _width(m.officers), LOAN_COLOUR, True,
                                f"{names[m.from_court]} → {names[m.to_court]}: 借调 {m.officers} 人 officers"))
    labels = _label_positions(courts, at, radius)
    parts += [_court_mark(c, at[c.court_id], radius[c.court_id], labels[c.court_id]) for c in courts]
    parts.append("</svg>")
    return "".join(parts)


def _markers() -> str:
    return "<defs>" + "".join(
        f'<marker id="{k}" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="12" markerHeight="12" '
        f'markerUnits="userSpaceOnUse" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
        for k, c in (("move", MOVE_COLOUR), ("loan", LOAN_COLOUR))) + "</defs>"


def _label_positions(courts: list[CourtPlan], at: dict[str, tuple[float, float]],
                     radius: dict[str, float]) -> dict[str, tuple[float, float, str] | None]:
    """Where each court's name goes: below its circle, else above, right or left, whichever
    first clears the names already placed (courts of one city sit close together). A name that
    clears none is not written (its circle's tooltip still names it): labels never overlap."""
    placed: list[tuple[float, float, float, float]] = []
    out: dict[str, tuple[float, float, str] | None] = {}
    for c in sorted(courts, key=lambda c: -c.load_after):
        x, y = at[c.court_id]
        r = radius[c.court_id]
        w = 12.5 * len(c.name)
        tries = ((x, y + r + 13, "middle"), (x, y - r - 5, "middle"), (x + r + 4, y + 4, "start"),
                 (x - r - 4, y + 4, "end"))
        out[c.court_id] = None
        for tx, ty, anchor in tries:
            left = tx - w / 2 if anchor == "middle" else tx if anchor == "start" else tx - w
            box = (left - 3, ty - 14, left + w + 3, ty + 4)  # (the glyphs and their white halo)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                       for b in placed):
                placed.append(box)
                out[c.court_id] = (tx, ty, anchor)
                break
    return out


def _court_mark(c: CourtPlan, xy: tuple[float, float], r: float,
                label: tuple[float, float, str] | None) -> str:
    x, y = xy
    util = c.load_after / c.capacity if c.capacity else 0.0
    tip = (f"{c.name}: 负荷 {c.load_before:,.0f} → {c.load_after:,.0f}，容量 {c.capacity:,.0f}，"
           f"负荷率 {util:.0%}")
    return (f'<g><title>{escape(tip)}</title>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{utilisation_colour(util)}" '
            f'fill-opacity="0.55" stroke="#1f2937" stroke-width="1"/>' + _name(c.name, label) + '</g>')


def _name(name: str, label: tuple[float, float, str] | None) -> str:
    if label is None:
        return ""
    tx, ty, anchor = label
    return (f'<text class="court-name" x="{tx:.1f}" y="{ty:.1f}" font-size="12" text-anchor="{anchor}" '
            f'fill="#111827" paint-order="stroke" stroke="#f8fafc" stroke-width="3">{escape(name)}</text>')


def load_bars(courts: tuple[CourtPlan, ...]) -> str:
    """Load per court before and after the plan, with each court's capacity marked."""
    row_h, label_w, bar_w = 34, 190, 520
    top = max([max(c.load_before, c.load_after, c.capacity) for c in courts] + [1.0])
    h = row_h * len(courts) + 30
    parts = [f'<svg viewBox="0 0 {label_w + bar_w + 90} {h}" width="100%" role="img" '
             f'aria-label="各院负荷 load per court">']
    for i, c in enumerate(courts):
        y = 10 + i * row_h
        for j, (value, colour, what) in enumerate(((c.load_before, "#94a3b8", "前 before"),
                                                   (c.load_after, "#2563eb", "后 after"))):
            w = bar_w * value / top
            parts.append(f'<rect x="{label_w}" y="{y + j * 13}" width="{w:.1f}" height="11" '
                         f'fill="{colour}"><title>{escape(c.name)} {what}: {value:,.1f}</title></rect>')
            parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + j * 13 + 10}" font-size="10">'
                         f'{value:,.0f}</text>')
        cx = label_w + bar_w * c.capacity / top
        parts.append(f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y - 2}" y2="{y + 26}" stroke="#dc2626" '
                     f'stroke-width="2"><title>容量 capacity {c.capacity:,.1f}</title></line>')
        parts.append(f'<text x="{label_w - 6}" y="{y + 17}" font-size="12" text-anchor="end">'
                     f'{escape(c.name)}</text>')
    parts.append(f'<text x="{label_w}" y="{h - 4}" font-size="11" fill="#64748b">灰：规划前 before；'
                 f'蓝：规划后 after；红线：容量 capacity</text></svg>')
    return "".join(parts)


def count_bars(items: list[tuple[str, int]]) -> str:
    """Horizontal bars of counts (cases per mode)."""
    row_h, label_w, bar_w = 24, 150, 360
    top = max([n for _, n in items] + [1])
    parts = [f'<svg viewBox="0 0 {label_w + bar_w + 70} {row_h * len(items) + 8}" width="100%" '
             f'role="img" aria-label="各方式案件数 cases per mode">']
    for i, (label, n) in enumerate(items):
        y = 4 + i * row_h
        w = bar_w * n / top
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" font-size="12" text-anchor="end">'
                     f'{escape(label)}</text><rect x="{label_w}" y="{y + 2}" width="{w:.1f}" '
                     f'height="16" fill="#6366f1"/><text x="{label_w + w + 4:.1f}" y="{y + 15}" '
                     f'font-size="11">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)
