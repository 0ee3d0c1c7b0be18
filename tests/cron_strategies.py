"""Hypothesis strategies for valid system-cron expressions (shared by several property tests)."""

from __future__ import annotations

from hypothesis import strategies as st

from prompt_alchemy_scheduler_tui.backends.cron_fields import FIELDS, MONTH_NAMES, WEEKDAY_NAMES, FieldSpec


def _value(spec: FieldSpec) -> st.SearchStrategy[str]:
    numbers = st.integers(spec.low, spec.high_accepted).map(str)
    if spec.name == "month":
        return st.one_of(numbers, st.sampled_from(MONTH_NAMES).map(str.upper), st.sampled_from(MONTH_NAMES))
    if spec.name == "day of week":
        return st.one_of(
            numbers, st.sampled_from(WEEKDAY_NAMES), st.sampled_from(WEEKDAY_NAMES).map(str.title)
        )
    return numbers


@st.composite
def _range(draw: st.DrawFn, spec: FieldSpec) -> str:
    low = draw(st.integers(spec.low, spec.high_accepted))
    high = draw(st.integers(low, spec.high_accepted))
    return f"{low}-{high}"


def _item(spec: FieldSpec) -> st.SearchStrategy[str]:
    span = spec.high - spec.low + 1
    steps = st.integers(1, span)
    return st.one_of(
        _value(spec),
        _range(spec),
        steps.map(lambda n: f"*/{n}"),
        st.tuples(_range(spec), steps).map(lambda pair: f"{pair[0]}/{pair[1]}"),
    )


def field_text(spec: FieldSpec) -> st.SearchStrategy[str]:
    return st.one_of(
        st.just("*"),
        _item(spec),
        st.lists(_item(spec), min_size=2, max_size=4).map(",".join),
    )


@st.composite
def cron_expressions(draw: st.DrawFn) -> str:
    return " ".join(draw(field_text(spec)) for spec in FIELDS)
