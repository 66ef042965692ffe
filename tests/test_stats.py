"""catsdogs/stats.py against values computed by hand and against brute-force enumeration.

No statistics library is installed (the package declares no dependencies), so the reference
values are either worked out below from the definition, or published examples
(Newcombe 1998, "Two-sided confidence intervals for the single proportion", Table I), or
counted by enumerating every possible outcome of a small experiment.
"""

import itertools
from fractions import Fraction

import pytest

from catsdogs import stats

# --- Wilson interval ------------------------------------------------------------------------

@pytest.mark.parametrize("correct, total, low, high", [
    (0, 10, 0.0, 0.2775),     # by hand: centre = half = (1.96²/20) / (1 + 1.96²/10) = 0.1388
    (0, 20, 0.0, 0.1611),     # Newcombe 1998, Table I
    (1, 29, 0.0061, 0.1718),  # Newcombe 1998, Table I
    (15, 148, 0.0624, 0.1605),  # Newcombe 1998, Table I
    (81, 263, 0.2553, 0.3662),  # Newcombe 1998, Table I
])
def test_wilson_interval_known_values(correct, total, low, high):
    assert stats.wilson_interval(correct, total) == pytest.approx((low, high), abs=5e-5)


def test_wilson_interval_is_symmetric_in_right_and_wrong():
    low, high = stats.wilson_interval(188, 200)
    mirrored_low, mirrored_high = stats.wilson_interval(12, 200)
    assert (low, high) == pytest.approx((1 - mirrored_high, 1 - mirrored_low))


@pytest.mark.parametrize("correct, total", [(201, 200), (-1, 200), (5, 0), (2.5, 10)])
def test_wilson_interval_refuses_impossible_counts(correct, total):
    with pytest.raises(ValueError, match="whole number"):
        stats.wilson_interval(correct, total)


# --- Fisher's exact test --------------------------------------------------------------------

def test_fisher_lady_tasting_tea():
    """Fisher's own example: 3 of 4 wrong against 1 of 4. The splits of the 4 mistakes over the
    two sets of 4 have probabilities 1, 16, 36, 16, 1 (out of 70); the observed one (16) and
    every less likely one add up to 34/70."""
    assert stats.fisher_exact(3, 4, 1, 4) == pytest.approx(34 / 70)


def test_fisher_no_difference_gives_one():
    assert stats.fisher_exact(2, 4, 2, 4) == pytest.approx(1.0)


def brute_force_fisher(wrong_a, total_a, wrong_b, total_b):
    """Put the mistakes on every possible set of photos (all equally likely if the two sets are
    equally hard), count how often k of them land in set b, and sum the exact frequencies of the
    outcomes at most as frequent as the observed one."""
    photos = range(total_a + total_b)  # photos total_a, total_a + 1, ... are set b
    frequency = {}
    for wrong_photos in itertools.combinations(photos, wrong_a + wrong_b):
        k = sum(photo >= total_a for photo in wrong_photos)
        frequency[k] = frequency.get(k, 0) + 1
    everything = sum(frequency.values())
    observed = frequency[wrong_b]
    return float(sum(Fraction(count, everything) for count in frequency.values() if count <= observed))


@pytest.mark.parametrize("wrong_a, total_a, wrong_b, total_b",
                         [(1, 8, 4, 6), (0, 7, 3, 7), (5, 9, 1, 5), (2, 10, 2, 4), (6, 6, 0, 6)])
def test_fisher_matches_enumeration(wrong_a, total_a, wrong_b, total_b):
    expected = brute_force_fisher(wrong_a, total_a, wrong_b, total_b)
    assert stats.fisher_exact(wrong_a, total_a, wrong_b, total_b) == pytest.approx(expected, rel=1e-12)


def test_fisher_refuses_impossible_counts():
    with pytest.raises(ValueError, match="set b"):
        stats.fisher_exact(3, 10, 12, 10)


# --- McNemar's exact test -------------------------------------------------------------------

@pytest.mark.parametrize("only_a, only_b, expected", [
    (1, 6, 16 / 128),   # by hand: 7 disagreements; P(1 or fewer either way) = 2 · (1 + 7) / 2⁷
    (0, 5, 2 / 32),     # 5 disagreements, all one way: 2 · 1 / 2⁵
    (2, 2, 1.0),        # an even split is the likeliest outcome: every outcome counts
    (0, 0, 1.0),        # no disagreement: no evidence either way
    (3, 10, 2 * sum(Fraction(1, 2**13) * c for c in (1, 13, 78, 286))),  # 2 · P(X ≤ 3), X ~ B(13, 1/2)
])
def test_mcnemar_known_values(only_a, only_b, expected):
    assert stats.mcnemar_exact(only_a, only_b) == pytest.approx(float(expected))


def brute_force_mcnemar(only_a, only_b):
    """Let every disagreement go either way (2^n equally likely outcomes if the two models are
    equally good) and sum the frequencies of the outcomes at most as frequent as the observed one."""
    disagreeing = only_a + only_b
    frequency = {}
    for outcome in itertools.product([0, 1], repeat=disagreeing):
        frequency[sum(outcome)] = frequency.get(sum(outcome), 0) + 1
    observed = frequency[only_b]
    return float(sum(Fraction(count, 2**disagreeing) for count in frequency.values() if count <= observed))


@pytest.mark.parametrize("only_a, only_b", [(0, 1), (1, 3), (4, 4), (2, 9), (7, 1)])
def test_mcnemar_matches_enumeration(only_a, only_b):
    assert stats.mcnemar_exact(only_a, only_b) == pytest.approx(brute_force_mcnemar(only_a, only_b), rel=1e-12)


def test_disagreements_count_only_the_photos_that_differ():
    before = [True, True, False, False, True, False]
    after = [True, False, True, True, True, False]
    assert stats.disagreements(before, after) == (1, 2)


def test_disagreements_need_the_same_photos():
    with pytest.raises(ValueError, match="same photos"):
        stats.disagreements([True, False], [True])
