"""Matching a plan's new version to the items already stored (``ledger.diff.match``): the
thresholds hold at their value, and among equally similar candidates the first one wins, so a
re-import pairs items the same way every time. The similarities are worked out by hand: difflib's
ratio is 2·M/T (M matching characters, T both lengths together)."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.ledger.diff import ANY_SPAN_SIMILARITY, SAME_SPAN_SIMILARITY, Key, match

SEPT = (date(2024, 9, 2), date(2024, 9, 6))
OCT = (date(2024, 10, 8), date(2024, 10, 12))


def test_the_thresholds_are_the_ones_these_cases_are_built_on():
    assert (SAME_SPAN_SIMILARITY, ANY_SPAN_SIMILARITY) == (0.6, 0.85)


@pytest.mark.parametrize(
    ("old", "new", "paired"),
    [
        ("abcde", "abcxy", True),  # same span, 2·3/10 = 0.60: at the threshold, the same item
        ("abcde", "abxyz", False),  # same span, 2·2/10 = 0.40: another item
    ],
)
def test_a_revised_text_on_the_same_span_at_the_threshold_is_the_same_item(old, new, paired):
    result = match([Key(old, *SEPT)], [Key(new, *SEPT)])
    assert (result.changed == [(0, 0)]) is paired
    assert (result.added, result.removed) == (([], []) if paired else ([0], [0]))


@pytest.mark.parametrize(
    ("new", "paired"),
    [
        ("abcdefghijklmnopqXYZ", True),  # 17 of 20 kept: 2·17/40 = 0.85, at the threshold
        ("abcdefghijklmnopWXYZ", False),  # 16 of 20: 0.80
    ],
)
def test_a_similar_text_on_another_span_at_the_threshold_is_the_same_item(new, paired):
    result = match([Key("abcdefghijklmnopqrst", *SEPT)], [Key(new, *OCT)])
    assert (result.changed == [(0, 0)]) is paired


@pytest.mark.parametrize("span", [SEPT, OCT], ids=["same-span", "other-span"])
def test_of_equally_similar_old_items_the_first_is_the_match(span):
    old = [Key("abcdefghijklmnopqrsX", *SEPT), Key("abcdefghijklmnopqrsY", *SEPT)]
    result = match(old, [Key("abcdefghijklmnopqrsZ", *span)])  # 0.95 with each
    assert result.changed == [(0, 0)]
    assert result.removed == [1]
