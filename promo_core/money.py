"""The shop's currency: how every amount of money is written, in tables, charts, sentences and memos.

An amount without a unit makes a marketer guess; a shop sets its currency once and every page, chart
and export writes money the same way ("¥1,234.50", "-€12.00", "+$3.20"). The default writes no symbol,
so nothing is labelled with a currency the shop does not use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

UNDEFINED = "–"


@dataclass(frozen=True)
class Currency:
    """A currency: ISO code ("" for none), the symbol written before amounts, and its minor digits."""

    code: str
    symbol: str
    decimals: int = 2

    def format(self, value: float | None, signed: bool = False, decimals: int | None = None) -> str:
        """An amount as text: the symbol after the sign ("-¥3.50"); ``signed`` writes "+" for gains.

        ``decimals`` overrides the currency's own (whole amounts for totals); an undefined amount
        (None or NaN) is a dash.
        """
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return UNDEFINED
        digits = self.decimals if decimals is None else min(decimals, self.decimals)
        magnitude = f"{abs(value):,.{digits}f}"
        if round(abs(value), digits) == 0:
            sign = "+" if signed else ""
        else:
            sign = "-" if value < 0 else ("+" if signed else "")
        return f"{sign}{self.symbol}{magnitude}"

    def column_format(self, decimals: int | None = None) -> str:
        """A printf pattern for number columns of tables (sprintf-js, as Streamlit uses)."""
        digits = self.decimals if decimals is None else min(decimals, self.decimals)
        return f"{self.symbol}%,.{digits}f"

    def hover(self, field: str, decimals: int | None = None) -> str:
        """A Plotly hover-template placeholder for an amount, e.g. ``¥%{x:,.2f}``."""
        digits = self.decimals if decimals is None else min(decimals, self.decimals)
        return f"{self.symbol}%{{{field}:,.{digits}f}}"


CURRENCIES: dict[str, Currency] = {
    currency.code: currency
    for currency in (
        Currency("", ""),
        Currency("CNY", "¥"),
        Currency("USD", "$"),
        Currency("EUR", "€"),
        Currency("GBP", "£"),
        Currency("JPY", "JP¥", 0),
        Currency("HKD", "HK$"),
        Currency("TWD", "NT$"),
        Currency("SGD", "S$"),
        Currency("AUD", "A$"),
        Currency("CAD", "C$"),
        Currency("KRW", "₩", 0),
        Currency("INR", "₹"),
    )
}
NO_CURRENCY = CURRENCIES[""]

