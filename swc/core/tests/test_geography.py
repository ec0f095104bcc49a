"""One distance, in miles, for every page: known places, symmetry, the triangle inequality."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from swc.core.geography import distance_miles, distances_miles


def test_distance_between_known_places() -> None:
    # One degree of latitude: 6,371.0088 km x pi / 180 = 111.195 km = 69.09 miles.
    assert distance_miles(51.0, -1.3, 52.0, -1.3) == pytest.approx(69.09, abs=0.01)
    # Fareham (Swanwick Lodge) to Leeds: about 185 miles as the crow flies.
    assert 180 < distance_miles(50.875, -1.270, 53.858, -1.585) < 215
    assert distance_miles(51.5, -0.1, 51.5, -0.1) == 0


coordinates = st.tuples(st.floats(49.8, 60.9), st.floats(-8.2, 1.8))


@given(coordinates, coordinates, coordinates)
def test_distance_is_symmetric_and_obeys_the_triangle_inequality(a, b, c) -> None:
    ab, ba = distance_miles(*a, *b), distance_miles(*b, *a)
    assert ab == pytest.approx(ba)
    assert ab >= 0
    assert ab <= distance_miles(*a, *c) + distance_miles(*c, *b) + 1e-6


@given(coordinates, st.lists(coordinates, min_size=1, max_size=20))
def test_many_at_once_equals_one_at_a_time(origin, places) -> None:
    many = distances_miles(*origin, [p[0] for p in places], [p[1] for p in places])
    for place, miles in zip(places, many, strict=True):
        assert miles == pytest.approx(distance_miles(*origin, *place), abs=1e-6)
