"""A report's figures as rows, for the text and CSV formats (JSON is the report itself)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from fairhear.cases.export import csv_safe

COLUMNS = ["period", "figure", "part", "value", "numerator", "denominator", "percent", "cases"]


def _row(period: str, key: str, part: str, figure: dict) -> dict:
    return {
        "period": period,
        "figure": key,
        "part": part,
        "value": "" if figure.get("value") is None else figure["value"],
        "numerator": figure.get("numerator", ""),
        "denominator": figure.get("denominator", ""),
        "percent": figure.get("percent") or "",
        "cases": " ".join(figure.get("references", [])),
    }


def _figure_rows(period: str, figures: dict) -> Iterator[dict]:
    for key, figure in figures.items():
        if not isinstance(figure, dict):
            continue
        yield _row(period, key, "", figure)
        for split_name in ("by_reason", "by"):
            for part, sub in (figure.get(split_name) or {}).items():
                yield _row(period, key, part, sub)


def rows(report: dict) -> Iterator[dict]:
    """Every figure of a report, one row per period (or tenure) and part."""
    if "periods" in report:
        for period in [*report["periods"], report["total"]]:
            yield from _figure_rows(period["period"], period["figures"])
        return
    for section in ("lcra", "lcho"):
        figures = {k: v for k, v in report[section].items() if isinstance(v, dict)}
        yield from _figure_rows(section, figures)


def as_csv(report: dict) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows(report):
        # A spreadsheet must not read a cell as a formula (OWASP CSV injection).
        writer.writerow({k: csv_safe(v) for k, v in row.items()})
    return out.getvalue()


def as_text(report: dict) -> str:
    """A plain table for a terminal: period, figure, value (N of D, P%)."""
    head = [f"{report['report']} for {report['organisation']}, {report['from']} to {report['to']}"]
    for key in ("by", "service_area", "category"):
        if report.get(key):
            head.append(f"  {key.replace('_', ' ')}: {report[key]}")
    lines = [*head, ""]
    for row in rows(report):
        figure = row["figure"] + (f" [{row['part']}]" if row["part"] else "")
        if row["value"] != "":
            value = str(row["value"])
        elif row["denominator"] == 0:
            value = "none (nothing to divide by)"
        else:
            value = "not recorded"
        if row["denominator"] != "" and row["numerator"] != "":
            value += f"  ({row['numerator']} of {row['denominator']}"
            value += f", {row['percent']}%)" if row["percent"] else ")"
        lines.append(f"{row['period']:<10} {figure:<40} {value}")
    return "\n".join(lines) + "\n"
