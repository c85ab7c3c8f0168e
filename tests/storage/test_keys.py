from __future__ import annotations

import pytest

from labelhub.core.errors import InvalidInput
from labelhub.storage.keys import check_key, check_prefix


@pytest.mark.parametrize("key", ["a", "a/b/c.png", "projects/1/images/x.y.z", "über/ß", "a..b", "a./b"])
def test_valid_keys_pass_through(key: str) -> None:
    assert check_key(key) == key


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("", "empty"),
        ("/etc/passwd", "absolute"),
        ("a/../../etc", "starting with '.'"),
        ("a\\b", "backslash"),
        ("a\x00b", "control character"),
        ("line\nbreak", "control character"),
        ("a/.git/config", "starting with '.'"),
        ("a//b", "empty segment"),
        ("dir/", "ends with '/'"),
        ("é" * 513, "1024"),
    ],
)
def test_invalid_keys_say_why(key: str, hint: str) -> None:
    with pytest.raises(InvalidInput, match=None) as info:
        check_key(key)
    assert hint in info.value.message


@pytest.mark.parametrize("prefix", ["", "a", "a/", "a/b/", "a/b"])
def test_valid_prefixes(prefix: str) -> None:
    assert check_prefix(prefix) == prefix


@pytest.mark.parametrize("prefix", ["/", "/a", "a//", "../", "a/./", "a\\"])
def test_invalid_prefixes(prefix: str) -> None:
    with pytest.raises(InvalidInput):
        check_prefix(prefix)
