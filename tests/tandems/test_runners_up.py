"""The proposal page's runner-ups for a page of pairs at once are ``candidates``' for each."""

from hypothesis import given, settings
from hypothesis import strategies as st

from tandems.matching import Weights, candidates, runners_up
from tests.tandems.test_matching import instances


@settings(max_examples=150, deadline=None)
@given(instances(), st.data())
def test_runners_up_are_what_candidates_says_for_each_mentee(instance, data):
    mentees, mentors, policy, forbidden = instance
    mentor_ids = [mentor.id for mentor in mentors]
    # Her proposed mentor; now and then one who is not among the mentors any more.
    proposed = [
        data.draw(st.sampled_from([*mentor_ids, 999])) if mentor_ids else 999 for _ in mentees
    ]
    weights = Weights(topics=2.0, kind=1.0, level=0.5, distance=1.5, wish=3.0)
    options = {"policy": policy, "weights": weights, "forbidden": forbidden}
    found = runners_up(mentees, mentors, proposed=proposed, **options)
    assert len(found) == len(mentees)
    for mentee, mentor_id, (km, runner) in zip(mentees, proposed, found, strict=True):
        ranked = candidates(mentee, mentors, **options)
        own = next((c for c in ranked if c.mentor_id == mentor_id), None)
        best = next((c for c in ranked if c.rule is None and c.mentor_id != mentor_id), None)
        assert km == (own.km if own is not None else None)
        if best is None:
            assert runner is None
        else:
            assert runner == best
