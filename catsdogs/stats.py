"""How much do a few hundred photos tell? The three small statistical tools of the series.

- `wilson_interval`: the 95% confidence interval of one accuracy (post 06).
- `fisher_exact`: do two *independent* sets of photos (validation and test) have different error
  rates? (post 06)
- `mcnemar_exact`: do two models, or one model before and after a change, differ on the *same*
  photos? Only the photos on which they disagree carry information (post 05).

Both tests answer with a p-value, and both compute it the same way (`p_value`): assume there is no
difference (the null hypothesis); then every possible outcome of the experiment has a
probability; the p-value is the sum of the probabilities of all outcomes that are at most as
likely as the one we observed. A small p-value says: if there were no difference, an outcome
as unlikely as ours would be rare. It is not the probability that there is no difference.

Plain Python (the standard library's `math.comb`), so every step can be read and checked.
"""

from math import comb, sqrt


def _check_count(name, count, total):
    if int(count) != count or int(total) != total or total <= 0 or not 0 <= count <= total:
        raise ValueError(f"{name}: need a whole number from 0 to {total} out of a positive whole number, "
                         f"got {count} of {total}")


def wilson_interval(correct, total, z=1.96):
    """The Wilson score interval (95% for z=1.96) of an accuracy of `correct` out of `total`:
    the range of true accuracies that this measurement does not rule out."""
    _check_count("wilson_interval", correct, total)
    p = correct / total
    centre = (p + z**2 / (2 * total)) / (1 + z**2 / total)
    half = z * sqrt(p * (1 - p) / total + z**2 / (4 * total**2)) / (1 + z**2 / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def p_value(ways, observed):
    """The p-value of the series: the total probability of the outcomes at most as likely as the
    observed one. `ways`: {outcome: number of equally likely ways it can happen if there is no
    difference}. Whole numbers, so equally likely outcomes compare equal exactly."""
    at_most_as_likely = sum(count for count in ways.values() if count <= ways[observed])
    return at_most_as_likely / sum(ways.values())


def fisher_exact(wrong_a, total_a, wrong_b, total_b):
    """Fisher's exact test (two-sided) for the error rates of two independent sets of photos.

    If both sets were equally hard, the mistakes (wrong_a + wrong_b of them) would fall on any
    of the total_a + total_b photos alike, so the number landing in set b follows the
    hypergeometric distribution. The p-value is the sum of the probabilities of every split of
    the mistakes that is at most as likely as the observed one."""
    _check_count("fisher_exact, set a", wrong_a, total_a)
    _check_count("fisher_exact, set b", wrong_b, total_b)
    wrong = wrong_a + wrong_b
    splits = range(max(0, wrong - total_a), min(wrong, total_b) + 1)  # k = mistakes in set b
    ways = {k: comb(total_b, k) * comb(total_a, wrong - k) for k in splits}
    return p_value(ways, wrong_b)


def disagreements(correct_a, correct_b):
    """On the same photos: (right only with a, right only with b), from two lists of True/False
    (one entry per photo: was the answer right?). Photos both get right or both get wrong
    say nothing about which is better, so McNemar's test uses only these two counts."""
    correct_a, correct_b = [bool(x) for x in correct_a], [bool(x) for x in correct_b]
    if len(correct_a) != len(correct_b):
        raise ValueError(f"disagreements: the two lists must cover the same photos, "
                         f"got {len(correct_a)} and {len(correct_b)} entries")
    only_a = sum(a and not b for a, b in zip(correct_a, correct_b))
    only_b = sum(b and not a for a, b in zip(correct_a, correct_b))
    return only_a, only_b


def mcnemar_exact(only_a, only_b):
    """McNemar's exact test (two-sided) for two classifiers scored on the same photos.

    `only_a`: photos right only with a; `only_b`: right only with b. If a and b were equally
    good, each of the only_a + only_b disagreements would go either way with probability 1/2
    (a binomial distribution). The p-value is the sum of the probabilities of every split of
    the disagreements at most as likely as the observed one (1 when there are none)."""
    for name, count in [("only_a", only_a), ("only_b", only_b)]:
        if int(count) != count or count < 0:
            raise ValueError(f"mcnemar_exact: {name} must be a whole number of photos, got {count}")
    disagreeing = only_a + only_b
    ways = {k: comb(disagreeing, k) for k in range(disagreeing + 1)}  # k of them right only with b
    return p_value(ways, only_b)
