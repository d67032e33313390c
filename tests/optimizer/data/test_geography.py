"""Real regions and the road network's travel times."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from optimizer.data.geography import regions, road_graph, travel_minutes


def _zhejiang():
    rs = [r for r in regions() if r.code.startswith("33") and r.lon is not None]
    return (np.array([r.lon for r in rs]), np.array([r.lat for r in rs]), [r.code for r in rs])


def test_regions_hold_the_real_lishui_counties():
    names = {r.name for r in regions() if r.code.startswith("3311") and r.kind == "county"}
    assert names == {"莲都区", "龙泉市", "青田县", "缙云县", "遂昌县", "松阳县", "云和县", "庆元县",
                     "景宁畲族自治县"}


def test_travel_matrix_is_a_metric():
    lon, lat, _ = _zhejiang()
    t = travel_minutes(lon, lat).astype(np.float64)
    assert np.all(np.diag(t) == 0)
    assert np.allclose(t, t.T, atol=1e-3)
    assert np.all(t[~np.eye(len(t), dtype=bool)] > 0)
    # triangle inequality over every triple
    assert np.all(t[:, None, :] <= t[:, :, None] + t[None, :, :] + 1e-2)


def test_travel_time_is_plausible():
    lon, lat, codes = _zhejiang()
    t = travel_minutes(lon, lat)
    hz, ls = codes.index("330100"), codes.index("331100")  # 杭州 → 丽水, ~250 km by road
    assert 150 < t[hz, ls] < 400


def test_road_graph_is_connected_and_matches_the_matrix():
    import networkx as nx

    lon, lat, codes = _zhejiang()
    g = road_graph(codes, lon, lat)
    assert nx.is_connected(g)
    d = nx.single_source_dijkstra_path_length(g, "331102", weight="minutes")
    t = travel_minutes(lon, lat)
    i = codes.index("331102")
    assert all(abs(d[c] - t[i, j]) < 1e-2 for j, c in enumerate(codes))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(100, 122), st.floats(20, 40)), min_size=1, max_size=12))
def test_any_point_set_gives_a_finite_symmetric_matrix(points):
    lon = np.array([p[0] for p in points])
    lat = np.array([p[1] for p in points])
    t = travel_minutes(lon, lat)
    assert np.all(np.isfinite(t)) and np.allclose(t, t.T, atol=1e-3)
    assert np.all(np.diag(t) == 0)
