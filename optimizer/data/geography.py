"""Real administrative regions and the road network between them.

Regions come from `data/regions.csv`, derived from the MIT-licensed `cpca` package
(`cpca/resources/adcodes.csv`, © 2018 QinYuan Du, licence in `data/regions.LICENSE`): 6-digit
administrative code, name, longitude, latitude and kind (province / prefecture / county);
Taiwan, Hong Kong and Macao are left out (separate legal systems).

Roads: places are linked to their Delaunay neighbours plus their nearest neighbours; a link
takes great-circle distance × detour factor ÷ speed. Travel time between two places is the
shortest path, computed for all pairs at once with scipy's csgraph Dijkstra.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

# scipy (0.3 s to import) and networkx (0.1–0.3 s) are imported where they are used: reading and
# validating a scenario need neither
if TYPE_CHECKING:
    import networkx as nx

EARTH_RADIUS_KM = 6371.0088
_NEAREST = 3  # extra nearest-neighbour links: joins duplicates and collinear points


@dataclass(frozen=True, slots=True)
class Region:
    code: str  # 6-digit 行政区划代码
    name: str
    lon: float | None  # None where the source has no coordinates (省直辖县级行政区划)
    lat: float | None
    kind: str  # province / prefecture / county

    @property
    def province_code(self) -> str:
        return self.code[:2] + "0000"

    @property
    def prefecture_code(self) -> str:
        return self.code[:4] + "00"


@cache
def regions() -> tuple[Region, ...]:
    """All regions of mainland China, sorted by code."""
    text = resources.files("optimizer.data").joinpath("regions.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(
        Region(
            code=r["adcode"],
            name=r["name"],
            lon=float(r["lon"]) if r["lon"] else None,
            lat=float(r["lat"]) if r["lat"] else None,
            kind=r["kind"],
        )
        for r in rows
    )


def great_circle_km(
    lon1: NDArray[np.float64], lat1: NDArray[np.float64],
    lon2: NDArray[np.float64], lat2: NDArray[np.float64],
) -> NDArray[np.float64]:
    """Haversine distance, vectorised."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def road_links(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> NDArray[np.int64]:
    """Undirected links (i < j) between neighbouring places, shape (m, 2)."""
    from scipy.spatial import Delaunay, QhullError, cKDTree

    n = len(lon)
    if n < 2:
        return np.empty((0, 2), dtype=np.int64)
    xy = np.column_stack([lon * np.cos(np.radians(lat.mean())), lat])
    pairs = []
    if n >= 4:
        try:
            tri = Delaunay(xy)
            s = tri.simplices
            pairs.append(np.vstack([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]]))
        except QhullError:  # all points collinear or coincident
            pass
    k = min(_NEAREST + 1, n)
    _, nearest = cKDTree(xy).query(xy, k=k)
    nearest = np.asarray(nearest).reshape(n, k)
    pairs.append(np.column_stack([np.repeat(np.arange(n), k - 1), nearest[:, 1:].ravel()]))
    links = np.vstack(pairs)
    links = np.sort(links, axis=1)
    links = links[links[:, 0] != links[:, 1]]
    return np.unique(links, axis=0)


def link_minutes(
    lon: NDArray[np.float64], lat: NDArray[np.float64], links: NDArray[np.int64],
    detour_factor: float, speed_kmh: float,
) -> NDArray[np.float64]:
    km = great_circle_km(lon[links[:, 0]], lat[links[:, 0]], lon[links[:, 1]], lat[links[:, 1]])
    return km * detour_factor / speed_kmh * 60.0


def road_graph(
    ids: list[str], lon: NDArray[np.float64], lat: NDArray[np.float64],
    detour_factor: float = 1.3, speed_kmh: float = 60.0,
) -> nx.Graph:
    """The road network as a networkx graph with `minutes` on each edge."""
    import networkx as nx

    links = road_links(lon, lat)
    minutes = link_minutes(lon, lat, links, detour_factor, speed_kmh)
    g = nx.Graph()
    g.add_nodes_from(ids)
    g.add_weighted_edges_from(
        ((ids[a], ids[b], float(w)) for (a, b), w in zip(links, minutes, strict=True)),
        weight="minutes",
    )
    return g


def travel_minutes(
    lon: NDArray[np.float64], lat: NDArray[np.float64],
    detour_factor: float = 1.3, speed_kmh: float = 60.0,
) -> NDArray[np.float32]:
    """All-pairs shortest travel time in minutes over the road network, shape (n, n)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    n = len(lon)
    if n == 0:
        return np.zeros((0, 0), dtype=np.float32)
    links = road_links(lon, lat)
    # csgraph drops explicit zeros, so coincident places get a tiny positive length
    w = np.maximum(link_minutes(lon, lat, links, detour_factor, speed_kmh), 1e-6)
    adj = coo_matrix((w, (links[:, 0], links[:, 1])), shape=(n, n)).tocsr()
    dist = dijkstra(adj, directed=False)
    dist[~np.isfinite(dist)] = 0.0  # unreachable cannot happen: nearest links join all
    np.fill_diagonal(dist, 0.0)
    return dist.astype(np.float32)
