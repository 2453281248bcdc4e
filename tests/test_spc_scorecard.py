"""SPC in the scorecard: the variation and assurance columns (icon and words), the template's
``judgement``, the key, the overview lists proposed from SPC, and the SPC charts."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kpi_xl import api
from kpi_xl.errors import InputError
from kpi_xl.layout.builder import build_layout
from kpi_xl.layout.spc_cells import ASSURANCE, VARIATION, propose_from_spc, spc_why
from kpi_xl.layout.templates import judged, load_template, parse_template
from kpi_xl.model import Rebase
from kpi_xl.periods import Month
from kpi_xl.rate.evaluate import evaluate
from kpi_xl.rate.spc import spc
from kpi_xl.rate.spc_series import ASSURANCE_WORDS, VARIATION_WORDS, assurance_words, variation_words

ROOT = Path(__file__).resolve().parent.parent
JAN20 = ROOT / "workbooks" / "kpi_scorecard_jan2020.xlsx"
FEB14 = ROOT / "workbooks" / "monthly_monitoring_feb2014.xlsx"
TABLE = ("id", "indicator", "rag", "variation", "assurance")


@pytest.fixture(scope="module")
def jan20():
    return api.evaluate_file(JAN20)


def template(tmp_path, judgement: str | None, extra: str = ""):
    text = (ROOT / "templates" / "kpi-scorecard.toml").read_text(encoding="utf-8")
    text = text.replace('judgement = "both"', f'judgement = "{judgement}"' if judgement else "")
    path = tmp_path / "mine.toml"
    path.write_text(text + extra, encoding="utf-8")
    return load_template(str(path))


def test_judgement_chooses_the_columns():
    assert judged(TABLE, "both") == TABLE
    assert judged(TABLE, "rag") == ("id", "indicator", "rag")
    assert judged(TABLE, "spc") == ("id", "indicator", "variation", "assurance")
    assert judged(("id", "rag", "trend"), "spc") == ("id", "variation", "assurance", "trend")


def test_a_template_without_judgement_shows_the_rag_only(tmp_path):
    assert template(tmp_path, None).sheet("kpi_table").columns[7:] == ("rag", "trend")


def test_a_wrong_judgement_or_chart_kind_fails_at_load():
    with pytest.raises(InputError) as info:
        parse_template({"report": {"judgement": "traffic"}, "sheets": [{"kind": "key"}]}, "t.toml")
    assert info.value.problems[0].where == "t.toml: report.judgement" and "rag, spc, both" in info.value.problems[0].fix
    with pytest.raises(InputError) as info:
        parse_template({"sheets": [{"kind": "key", "charts": "spc"}]}, "t.toml")
    assert info.value.problems[0].where == "t.toml: sheets[1].charts"


def test_every_judgement_has_an_icon_and_a_plain_meaning():
    assert set(VARIATION) == set(VARIATION_WORDS.values())
    assert set(ASSURANCE) == set(ASSURANCE_WORDS.values())
    for icon, _, meaning in (*VARIATION.values(), *ASSURANCE.values()):
        assert icon.strip() and len(meaning) > 30


def test_the_kpi_table_shows_icon_and_words_for_each_indicator(jan20):
    table = build_layout(jan20, load_template("kpi-scorecard")).sheet("KPI table")
    header = {c.value: c for c in table.cells if c.value in ("Variation (SPC)", "Assurance (SPC)")}
    for name, words_of, icons in (("Variation (SPC)", variation_words, VARIATION),
                                  ("Assurance (SPC)", assurance_words, ASSURANCE)):
        col, row0 = header[name].col, header[name].row
        shown = [c for c in table.cells if c.col == col and c.row > row0 and c.value not in (None, "")]
        expected = [words_of(r.spc) for r in jan20.results]
        values = [c.value for c in shown][:len(expected)]
        for value, words in zip(values, expected):
            if words:
                assert value == f"{icons[words][0]} {words}"  # the icon and the words, never the colour alone
            else:
                assert value in ("-", "Too few months")
    words = {variation_words(r.spc) for r in jan20.results}
    assert {"Improving (high)", "Concern (low)", "Common cause"} <= words


def test_the_key_explains_every_icon(jan20):
    key = build_layout(jan20, load_template("kpi-scorecard")).sheet("Key")
    texts = [c.value for c in key.cells if isinstance(c.value, str)]
    for words, (icon, _, meaning) in (*VARIATION.items(), *ASSURANCE.items()):
        assert f"{icon} {words}" in texts and meaning in texts
    assert "SPC: why" in texts
    eh9 = next(r for r in jan20.results if r.indicator.id == "EH 9")
    assert spc_why(eh9) == "Concern (high), Hit and miss: the latest point is outside the process limits"
    assert spc_why(eh9) in texts


def test_the_key_gives_the_reason_when_there_are_too_few_months(jan20):
    few = replace(jan20.results[0], spc=spc([0.5] * 9))
    assert spc_why(few) == "9 months: SPC needs 12"


def test_overview_lists_proposed_from_spc(tmp_path, jan20):
    tpl = template(tmp_path, "spc")
    assert tpl.sheet("overview").lists_from == "spc"
    proposed = replace(jan20, raw=replace(jan20.raw, overview=[]))  # no lists typed on the Overview sheet
    overview = build_layout(proposed, tpl).sheet("Overview of performance")
    texts = [c.value for c in overview.cells if isinstance(c.value, str)]
    assert any(t.startswith("THINGS TO DO BETTER (proposed from SPC)") for t in texts)
    assert any(t.startswith("Proposed by kpi_xl from statistical process control") for t in texts)
    for res in jan20.results:
        listed = [t for t in texts if t.startswith(f"\u2022 {res.indicator.id} ")]
        assert bool(listed) == (propose_from_spc(res) is not None)
    concern = next(r for r in jan20.results if variation_words(r.spc) == "Concern (low)")
    assert propose_from_spc(concern) == "Things to do better"


def test_the_spc_chart_sheet_has_a_chart_per_indicator_with_limits(jan20):
    sheet = build_layout(jan20, load_template("kpi-scorecard")).sheet("SPC charts")
    charted = [r for r in jan20.results if r.spc.limits]
    assert len(sheet.charts) == len(charted) > 10
    chart = sheet.charts[[r.indicator.id for r in charted].index("EH 9")]
    names = [s.name for s in chart.series]
    assert names[:5] == ["EH 9", "Mean", "Process limits", "Lower process limit", "Target"]
    assert "Concern" in names  # its latest point is a special-cause concern (orange square)
    concern = chart.series[names.index("Concern")]
    assert not concern.line and concern.marker_type == "square"
    assert chart.unlisted == (3,)  # the lower limit shares the legend entry of the upper
    low, high = chart.y_range  # the axis shows the limits and every figure, not from a zero far below
    eh9 = next(r for r in charted if r.indicator.id == "EH 9").spc
    assert low <= eh9.limits.lower and high >= eh9.limits.upper
    assert low <= min(p.value for p in eh9.points) and high >= max(p.value for p in eh9.points) and low > 0


def test_a_rebase_breaks_the_chart_lines_and_is_noted(jan20):
    raw = jan20.raw
    rebased = replace(raw, rebases=[Rebase("EH 9", Month(2019, 1), "New early help model")],
                      settings=replace(raw.settings, spc_minimum_points=6))
    ev = evaluate(rebased)
    eh9 = next(r for r in ev.results if r.indicator.id == "EH 9")
    assert len(eh9.spc.groups) == 2
    sheet = build_layout(ev, load_template("kpi-scorecard")).sheet("SPC charts")
    chart = next(c for c in sheet.charts if c.title.startswith("EH 9"))
    names = [s.name for s in chart.series]
    assert names.count("Mean") == 2  # one line for each group, so the mean breaks at the rebase
    texts = [c.value for c in sheet.cells if isinstance(c.value, str)]
    assert "EH 9: limits start again from January 2019: New early help model." in texts


def test_a_rebase_after_too_few_months_keeps_the_legend_and_says_why_on_the_chart(jan20):
    """Before the rebase, 10 months (too few for limits) draw no mean: the legend still names
    the mean and limits of the group after it, and the chart's title and alt text give the reason."""
    raw = jan20.raw
    ev = evaluate(replace(raw, rebases=[Rebase("EH 9", Month(2019, 2), "New early help model")]))
    eh9 = next(r for r in ev.results if r.indicator.id == "EH 9")
    assert [g.limits is None for g in eh9.spc.groups] == [True, False]
    chart = next(c for c in build_layout(ev, load_template("kpi-scorecard")).sheet("SPC charts").charts
                 if c.title.startswith("EH 9"))
    names = [s.name for s in chart.series]
    listed = [name for i, name in enumerate(names) if i not in chart.unlisted]
    assert "Mean" in listed and "Process limits" in listed and "Lower process limit" not in listed
    assert chart.title.splitlines()[-1] == "Limits from Feb-19: New early help model"
    assert chart.description.endswith(" The limits start again from February 2019: New early help model.")


def test_the_sample_rebases_qa1_at_the_supervision_policy(jan20):
    """The 2020 sample's Rebase sheet: QA 1's figures step up with the supervision policy of
    December 2018. With the rebase only January 2020 stands out; without it, every month would
    be a special cause (the old level a concern, the new one an improvement)."""
    qa1 = next(r for r in jan20.results if r.indicator.id == "QA 1")
    assert [(r.indicator_id, r.period) for r in jan20.raw.rebases] == [("QA 1", Month(2018, 12))]
    assert [p.period for p in qa1.spc.latest_points][0] == Month(2018, 12) and qa1.spc.groups[0].limits is None
    special = [p.period for p in qa1.spc.latest_points if p.rule is not None]
    assert special == [Month(2020, 1)] and variation_words(qa1.spc) == "Improving (high)"
    whole = spc([p.value for p in qa1.spc.points])
    assert all(p.rule is not None for p in whole.points)
