"""The rows of the national vacancy board's table, written out in Python.

Fifty rows a page of some twenty values each: through the template engine (a lookup, an
escape and a node for every value, a loop for every bed) they were the largest part of the
page's time, and through ``format_html`` still 3.5 ms (Django's escape is wrapped for lazy
text, 8 µs a value). Here every value goes through the standard library's ``html.escape``
(``_e``) as it is placed, and the finished rows are marked safe once. The markup is the
GOV.UK table's; the page template (register/board.html) keeps everything else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe

from swc.core import clock
from swc.core.vocabulary import HomeAccepts
from swc.homes.selectors import BoardRow

_SUSPENDED = '<strong class="govuk-tag govuk-tag--red">Admissions suspended</strong>'
_OUT_OF_DATE = ' <strong class="govuk-tag govuk-tag--orange">Out of date</strong>'


def _e(value: object) -> str:
    """A value as text in HTML, escaped (quotes too: some go in attributes)."""
    return escape(str(value), quote=True)


def _lines(texts: Iterable[str], css: str) -> str:
    """Each text on its own line, or "None" for no texts."""
    return "".join(f'<span class="{css}">{_e(text)}</span>' for text in texts) or "None"


def board_rows(
    rows: list[BoardRow],
    *,
    home_url: Callable[[int], str] | None,
    show_distance: bool,
    show_prices: bool,
) -> SafeString:
    """The table rows for the board's homes. ``home_url`` (None: no links) gives a home's
    register page, for those who may open it."""
    html = "".join(_row(row, home_url, show_distance, show_prices) for row in rows)
    return mark_safe(html)  # noqa: S308  # nosec B308 B703 (every value passes through _e)


def _row(
    row: BoardRow, home_url: Callable[[int], str] | None, show_distance: bool, show_prices: bool
) -> str:
    home = row.home
    name = _e(home.name)
    link = f'<a class="govuk-link" href="{_e(home_url(home.pk))}">{name}</a>' if home_url else name
    later = [bed.available_from for bed in row.free_later]
    free_soon = _lines(
        (f"from {day.day} {day:%b}" for day in later), "govuk-!-display-block swc-nowrap"
    )
    confirmation = row.confirmation
    words = confirmation.words[:1].upper() + confirmation.words[1:] if confirmation else ""
    out_of_date = _OUT_OF_DATE if confirmation and confirmation.out_of_date else ""
    confirmed = row.last_confirmed_at.astimezone(clock.LONDON) if row.last_confirmed_at else None
    confirmed_at = (
        f' <span class="govuk-body-s govuk-!-display-block swc-nowrap">'
        f"{confirmed.day} {confirmed:%b %Y %H:%M}</span>"
        if confirmed
        else ""
    )
    distance = (
        f'<td class="govuk-table__cell govuk-table__cell--numeric" '
        f'data-label="Distance (miles)">{_e(row.distance_miles)}</td>\n      '
        if show_distance
        else ""
    )
    price = "Not given" if row.price is None else f"\u00a3{row.price:,.2f}"
    prices = (
        f'<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Held">'
        f"{_e(row.held)}</td>\n      "
        f'<td class="govuk-table__cell govuk-table__cell--numeric" data-label="Weekly price">'
        f"{_e(price)}</td>"
        if show_prices
        else ""
    )
    return f"""    <tr class="govuk-table__row">
      <td class="govuk-table__cell" data-label="Home" data-sort-value="{name}">
        {link}
        <span class="govuk-body-s govuk-!-display-block">{_e(home.town)}</span>
        {"" if row.admissions_open else _SUSPENDED}
      </td>
      <td class="govuk-table__cell govuk-table__cell--numeric" data-label="Free now">{len(row.free_now)}</td>
      <td class="govuk-table__cell" data-label="Free soon" data-sort-value="{later[0].isoformat() if later else ""}">{free_soon}</td>
      <td class="govuk-table__cell" data-label="Restrictions">{_lines(row.restrictions, "govuk-!-display-block")}</td>
      <td class="govuk-table__cell" data-label="Takes">{_e(HomeAccepts(home.accepts).label)}, {home.age_min}\u2013{home.age_max}</td>
      {distance}<td class="govuk-table__cell" data-label="Last confirmed" data-sort-value="{confirmed.isoformat() if confirmed else ""}">{_e(words)}{out_of_date}{confirmed_at}</td>
      {prices}
    </tr>
"""
