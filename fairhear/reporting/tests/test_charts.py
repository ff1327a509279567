"""The chart renderer: bars proportional to their values, a line through its points, every
chart a named image with a description, and text escaped wherever it came from."""

import re
from xml.etree import ElementTree

from fairhear.reporting.charts import VALUE_ROOM, WIDTH, Chart, Series, bars, line

SVG = "{http://www.w3.org/2000/svg}"


def _bar_widths(svg: str, series: int = 0) -> list[float]:
    return [
        float(w)
        for w in re.findall(
            rf'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" [^>]*data-series="{series}"', svg
        )
    ]


def test_bar_lengths_are_proportional_to_the_values():
    chart = Chart(
        "c",
        "Complaints by category",
        "A bar per category.",
        ["A", "B", "C"],
        [Series("Complaints", [2, 4, 0])],
    )
    svg = bars(chart)
    room = WIDTH - VALUE_ROOM  # 280: the largest value, 4, fills it
    assert _bar_widths(svg) == [140.0, 280.0, 0.0]
    # Each bar is followed by its number, so colour and length are not the only cues.
    texts = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
    assert texts == ["A", "2", "B", "4", "C", "0"]
    assert room == 280


def test_a_percentage_scale_runs_to_100_and_grouped_bars_name_their_series():
    chart = Chart(
        "t",
        "On time",
        "Two bars a stage.",
        ["Stage 1"],
        [Series("policy", [60.0], ["60.0%"]), Series("Code", [80.0], ["80.0%"])],
        unit="%",
        maximum=100,
    )
    svg = bars(chart)
    # Grouped bars keep 80 more units for the series' name: room 340 - 60 - 80 = 200.
    assert _bar_widths(svg, 0) == [120.0]  # 60% of 200
    assert _bar_widths(svg, 1) == [160.0]  # 80% of 200
    assert "60.0% policy" in svg
    assert "80.0% Code" in svg
    # A key names each series beside its pattern; the two patterns differ.
    assert 'fill="url(#t-p0)"' in svg
    assert 'fill="url(#t-p1)"' in svg
    assert svg.count("<pattern ") == 2


def test_stacked_segments_add_up_along_one_bar_with_the_total_after_it():
    chart = Chart(
        "s",
        "Outcomes",
        "One bar a stage.",
        ["Stage 1", "Stage 2"],
        [Series("Upheld", [3, 0]), Series("Partly upheld", [1, 0]), Series("Not upheld", [1, 1])],
    )
    svg = bars(chart, stacked=True)
    # The longest bar is stage 1's 5, filling 280 units: 3 is 168, 1 is 56.
    assert _bar_widths(svg, 0) == [168.0]
    assert _bar_widths(svg, 1) == [56.0]
    assert _bar_widths(svg, 2) == [56.0, 56.0]
    assert re.search(r'x="168" y="[\d.]+" width="56"[^>]*data-series="1"', svg)
    assert ">5</text>" in svg
    assert ">1</text>" in svg


def test_a_line_rises_with_its_values():
    chart = Chart(
        "l",
        "Received by month",
        "A line.",
        ["Apr\n2026", "May", "Jun"],
        [Series("Received", [0, 5, 10])],
    )
    svg = line(chart)
    points = re.search(r'<polyline points="([^"]+)"', svg).group(1).split()
    ys = [float(p.split(",")[1]) for p in points]
    # Plot 180 units high: 0 at the bottom, 5 half way up, 10 at the top.
    assert ys[0] - ys[1] == ys[1] - ys[2] == 90.0
    assert "<tspan" in svg
    assert ">2026</tspan>" in svg


def test_every_chart_is_a_named_image_that_scales_with_the_page():
    for svg in (
        bars(Chart("b", "Title", "Description", ["x"], [Series("s", [1])])),
        line(Chart("l", "Title", "Description", ["x", "y"], [Series("s", [1, 2])])),
    ):
        root = ElementTree.fromstring(svg)  # noqa: S314 - markup we made
        assert root.get("role") == "img"
        labelled = root.get("aria-labelledby").split()
        assert [root.find(f"{SVG}title").get("id"), root.find(f"{SVG}desc").get("id")] == labelled
        assert root.get("width") == "100%"
        assert root.get("viewBox").startswith("0 0 340 ")


def test_a_name_with_markup_is_escaped_everywhere():
    evil = '<script>alert("x")</script>'
    chart = Chart("e", evil, evil, [evil], [Series(evil, [1]), Series("b", [2])])
    for svg in (bars(chart), bars(chart, stacked=True), line(chart)):
        assert "<script>" not in svg
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in svg
        ElementTree.fromstring(svg)  # noqa: S314 - still well-formed XML


def test_nothing_to_show_says_so():
    svg = bars(Chart("n", "Compliments", "None.", [], [Series("Compliments", [])]))
    assert "Nothing to show for this period." in svg


def test_twelve_months_name_every_other_month_so_no_two_names_run_into_each_other():
    months = ["Apr\n2026", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    months += ["Jan\n2027", "Feb", "Mar"]
    svg = line(Chart("m", "Received by month", "A line.", months, [Series("Received", [1] * 12)]))
    named = re.findall(r'<tspan x="[\d.]+" dy="0">(\w+)</tspan>', svg)
    # 252 units for 11 steps of 22.9: a three-letter name at 15 units needs 33.
    assert named == ["Apr", "Jun", "Aug", "Oct", "Dec", "Feb"]
