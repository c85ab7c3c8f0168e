import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from labelhub.core import rle


def test_known_mask_counts_follow_coco_column_major_order() -> None:
    mask = np.array([[0, 1, 1], [0, 1, 0]], dtype=bool)  # columns: [0,0] [1,1] [1,0]
    assert rle.encode(mask) == {"size": [2, 3], "counts": [2, 3, 1]}


def test_mask_starting_with_one_has_leading_zero_run() -> None:
    mask = np.array([[1, 0], [1, 0]], dtype=bool)
    assert rle.encode(mask)["counts"] == [0, 2, 2]


@settings(max_examples=60, deadline=None)
@given(arrays(np.bool_, st.tuples(st.integers(1, 12), st.integers(1, 12))))
def test_round_trip_list_and_string_counts(mask: np.ndarray) -> None:
    encoded = rle.encode(mask)
    assert np.array_equal(rle.decode(encoded), mask)
    packed = {"size": encoded["size"], "counts": rle.encode_counts_string(encoded["counts"])}
    assert rle.decode_counts_string(packed["counts"]) == encoded["counts"]
    assert np.array_equal(rle.decode(packed), mask)
    assert rle.area(packed) == int(mask.sum())


def test_string_counts_match_pycocotools_reference() -> None:
    # pycocotools.mask.encode(np.asfortranarray([[0,1,1],[0,1,0]], dtype=np.uint8))["counts"] == b"231"
    assert rle.encode_counts_string([2, 3, 1]) == "231"
    assert rle.decode_counts_string("231") == [2, 3, 1]


def test_truncated_string_is_rejected() -> None:
    from labelhub.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        rle.decode_counts_string("W")  # "W" - 48 = 0x27: continuation bit set, nothing follows
