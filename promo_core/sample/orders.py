"""Order lines of the sample shop, driven by each customer's planted segment and taste.

What is planted, and why:
- order count, dates, basket size, price level and coupon use follow the customer's segment, so
  RFM clustering can recover the segments;
- items are picked by popularity *and* by the customer's latent taste, and each customer keeps a few
  staple items bought again and again (tea, snacks and beauty most), so a personalised recommender
  beats a popularity list on a time holdout;
- about 3% of lines are returns (negative quantity, order id "C..." as in the UCI Online Retail data)
  of an earlier line of the same customer and item, more often for apparel and low-quality items;
- about 0.5% of lines are guest checkouts with no customer id.
Everything is vectorised numpy so millions of lines take seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from promo_core.sample.catalogue import CATEGORIES, Catalogue, build_catalogue
from promo_core.sample.customers import (
    CATEGORY_SHARES,
    CHANNELS,
    COUNTRIES,
    COUNTRY_SHARES,
    SEGMENT_NAMES,
    SEGMENTS,
    CustomerPanel,
    draw_customers,
)
from promo_core.sample.labels import ids, labels
from promo_core.sample.season import (
    N_DAYS,
    START,
    daily_weights,
    draw_in_ranges,
    sample_seconds,
    timestamps,
)

RETURN_SHARE = 0.03
GUEST_SHARE = 0.005
COUPONS = ("SAVE10", "WELCOME10", "VIP15", "1111SALE", "618SALE", "FREESHIP")
COUPON_DISCOUNT = np.array([0.10, 0.10, 0.15, 0.20, 0.15, 0.0, 0.0])  # last entry: no coupon
STAPLE_WEIGHTS = np.array([0.5, 0.3, 0.2])
"""Each customer has this many staple items; a repeat line picks one with these weights."""
PREFERRED_CATEGORY_SHARE = 0.55
TASTE_STRENGTH = 1.5
CANDIDATES = 8
FIRST_ORDER_NUMBER = 100001
_SALE_1111 = (np.datetime64("2025-11-01"), np.datetime64("2025-11-11"))
_SALE_618 = (np.datetime64("2026-06-01"), np.datetime64("2026-06-18"))
_CHANNEL_MIX = np.array([0.35, 0.35, 0.15, 0.15])


@dataclass(frozen=True, eq=False)
class OrderBook:
    """``frame`` is orders.csv; the arrays describe the same rows by index, for other generators."""

    frame: pd.DataFrame
    order: np.ndarray  # order index per line (returns are their own orders)
    customer: np.ndarray  # panel index per line, -1 for guests
    item: np.ndarray  # catalogue index per line
    day: np.ndarray  # day offset from START
    is_return: np.ndarray
    returned: np.ndarray  # a purchase line that a later return line refers to
    staples: np.ndarray  # (n_customers, len(STAPLE_WEIGHTS)) catalogue indices

    def customer_totals(self, n_customers: int, first_day: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Per customer from ``first_day`` on: (purchase orders, net amount after returns)."""
        known = (self.customer >= 0) & (self.day >= first_day)
        amount = self.frame["amount"].to_numpy()
        net = np.bincount(self.customer[known], weights=amount[known], minlength=n_customers)
        buy = known & ~self.is_return
        first_line = np.unique(self.order[buy], return_index=True)[1]
        n_orders = np.bincount(self.customer[buy][first_line], minlength=n_customers)
        return n_orders, net


def _profile(attr: str) -> np.ndarray:
    return np.array([getattr(s, attr) for s in SEGMENTS])


def _choose_items(
    rng: np.random.Generator,
    catalogue: Catalogue,
    taste: np.ndarray,
    category: np.ndarray,
    price_tilt: np.ndarray,
) -> np.ndarray:
    """Best of a few popularity-drawn candidates in the category, scored by taste and price fit.

    Keeping the best of ``CANDIDATES`` noisy scores approximates a softmax over the whole category
    without ever building a lines x items matrix.
    """
    bounds = catalogue.bounds
    low, high = bounds[category], bounds[category + 1] - 1
    weights = np.exp(catalogue.popularity)
    median = np.array([np.median(catalogue.price[a:b]) for a, b in zip(bounds[:-1], bounds[1:])])
    rel_price = np.log(catalogue.price / median[catalogue.category])
    best = np.zeros(len(category), dtype=np.int64)
    best_score = np.full(len(category), -np.inf)
    for _ in range(CANDIDATES):
        cand = draw_in_ranges(rng, weights, low, high)
        score = (
            TASTE_STRENGTH * np.einsum("ld,ld->l", taste, catalogue.taste[cand])
            + price_tilt * rel_price[cand]
            + rng.gumbel(size=len(cand))
        )
        better = score > best_score
        best[better], best_score[better] = cand[better], score[better]
    return best


def _top_k_weighted(rng: np.random.Generator, weights: np.ndarray, k: int) -> np.ndarray:
    """Indices of ``k`` draws without replacement proportional to ``weights`` (Gumbel top-k)."""
    with np.errstate(divide="ignore"):
        keys = np.log(weights) + rng.gumbel(size=len(weights))
    return np.sort(np.argpartition(-keys, k)[:k])


def _order_counts(rng: np.random.Generator, seg: np.ndarray, n_cust_lines: int | None) -> np.ndarray:
    """Purchase orders per customer: the segment's natural rate, or scaled to fill ``n_cust_lines``."""
    min_orders, extra_orders = _profile("min_orders")[seg], _profile("extra_orders")[seg]
    cap = _profile("max_orders")[seg]
    if n_cust_lines is None:
        return np.minimum(min_orders + rng.poisson(extra_orders), cap)
    per_order = 1.0 + _profile("basket_extra")[seg]
    scale = max(0.0, (n_cust_lines - (min_orders * per_order).sum()) / (extra_orders * per_order).sum())
    cap = np.ceil(cap * max(1.0, scale)).astype(int)
    return np.minimum(min_orders + rng.poisson(scale * extra_orders), cap)


def _order_days(
    rng: np.random.Generator, panel: CustomerPanel, o_cust: np.ndarray, first: np.ndarray, last: np.ndarray
) -> np.ndarray:
    """Day of each order: seasonal draws between the customer's planted first and last day.

    ``first``/``last`` flag each customer's first and last order, which land exactly on those days.
    """
    low, high = panel.first_day[o_cust], panel.last_day[o_cust]
    weights = daily_weights()
    day = draw_in_ranges(rng, weights, low, high)
    hunter = panel.segment[o_cust] == SEGMENT_NAMES.index("bargain")  # they crowd into sale days
    day[hunter] = draw_in_ranges(rng, weights**2, low[hunter], high[hunter])
    day[last] = high[last]
    day[first] = low[first]
    return day


def _lines_per_order(rng: np.random.Generator, o_seg: np.ndarray, n_cust_lines: int | None) -> np.ndarray:
    """At least one line per order; extra lines follow the segment's basket size."""
    basket = _profile("basket_extra")[o_seg]
    if n_cust_lines is None:
        return 1 + rng.poisson(basket)
    return 1 + rng.multinomial(n_cust_lines - len(o_seg), basket / basket.sum())


def _line_items(
    rng: np.random.Generator, panel: CustomerPanel, catalogue: Catalogue, l_cust: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Item per line and each customer's staples.

    A line is a staple repeat with the replenish rate of the customer's preferred category;
    otherwise it is chosen by taste within the preferred category (55%) or any category.
    """
    n_staples = len(STAPLE_WEIGHTS)
    tilt = _profile("price_tilt")[panel.segment]
    staples = _choose_items(
        rng,
        catalogue,
        np.repeat(panel.taste, n_staples, axis=0),
        np.repeat(panel.preferred_category, n_staples),
        np.repeat(tilt, n_staples),
    ).reshape(len(panel), n_staples)
    n = len(l_cust)
    preferred = panel.preferred_category[l_cust]
    category = np.where(
        rng.random(n) < PREFERRED_CATEGORY_SHARE, preferred, rng.choice(len(CATEGORIES), n, p=CATEGORY_SHARES)
    )
    item = _choose_items(rng, catalogue, panel.taste[l_cust], category, tilt[l_cust])
    repeat = rng.random(n) < np.array([c.replenish for c in CATEGORIES])[preferred]
    pick = rng.choice(n_staples, n, p=STAPLE_WEIGHTS)
    item[repeat] = staples[l_cust[repeat], pick[repeat]]
    return item, staples


def simulate_orders(
    panel: CustomerPanel, catalogue: Catalogue, rng: np.random.Generator, n_lines: int | None = None
) -> OrderBook:
    """Order lines for every customer in ``panel``.

    With ``n_lines=None`` each segment shops at its natural rate (the sample shop); otherwise order
    counts are scaled so that exactly ``n_lines`` lines come out (benchmarks).
    """
    n_cust_lines = None
    if n_lines is not None:
        n_cust_lines = n_lines - round(n_lines * RETURN_SHARE) - round(n_lines * GUEST_SHARE)
    n_orders = _order_counts(rng, panel.segment, n_cust_lines)
    if n_cust_lines is not None and n_orders.sum() > n_cust_lines:
        need = int(np.ceil(n_orders.sum() / (1 - RETURN_SHARE - GUEST_SHARE)))
        raise ValueError(f"n_lines={n_lines} is too small for {len(panel)} customers; use at least {need}")

    # orders: the customer's first and last fall on its planted days, the rest in between
    o_cust = np.repeat(np.arange(len(panel)), n_orders)
    rank = np.arange(len(o_cust)) - np.repeat(np.cumsum(n_orders) - n_orders, n_orders)
    o_day = _order_days(rng, panel, o_cust, rank == 0, rank == n_orders[o_cust] - 1)
    o_seg = panel.segment[o_cust]
    o_channel = np.where(
        rng.random(len(o_cust)) < 0.75,
        panel.channel[o_cust],
        rng.choice(len(CHANNELS), len(o_cust), p=_CHANNEL_MIX),
    )
    o_coupon = _draw_coupons(rng, o_seg, o_day, rank == 0)

    l_order = np.repeat(np.arange(len(o_cust)), _lines_per_order(rng, o_seg, n_cust_lines))
    l_cust = o_cust[l_order]
    l_item, staples = _line_items(rng, panel, catalogue, l_cust)
    replenish = np.array([c.replenish for c in CATEGORIES])[catalogue.category[l_item]]
    l_qty = 1 + rng.poisson(_profile("quantity_extra")[o_seg[l_order]] + 0.5 * replenish)
    n_total = n_lines if n_lines is not None else round(len(l_order) / (1 - RETURN_SHARE - GUEST_SHARE))

    # guest checkouts: about 1.5 lines per order, any day, popular items
    n_guest = round(n_total * GUEST_SHARE)
    g_order = np.unique(rng.integers(0, max(1, int(n_guest / 1.5)), n_guest), return_inverse=True)[1]
    n_gord = int(g_order.max()) + 1 if n_guest else 0
    g_day = draw_in_ranges(rng, daily_weights(), np.zeros(n_gord, dtype=int), np.full(n_gord, N_DAYS - 1))
    n_items = len(catalogue.price)
    g_item = draw_in_ranges(
        rng, np.exp(catalogue.popularity), np.zeros(n_guest, dtype=int), np.full(n_guest, n_items - 1)
    )

    # returns: a purchase line at least 3 days before the end, more often apparel or poor quality
    n_ret = round(n_total * RETURN_SHARE)
    rate = np.array([c.return_rate for c in CATEGORIES])[catalogue.category[l_item]]
    rate = np.where(o_day[l_order] <= N_DAYS - 4, rate * np.exp(-0.5 * catalogue.quality[l_item]), 0.0)
    ret = _top_k_weighted(rng, rate, n_ret)
    r_day = np.minimum(o_day[l_order[ret]] + rng.integers(3, 31, n_ret), N_DAYS - 1)
    was_returned = np.zeros(len(l_order), dtype=bool)
    was_returned[ret] = True

    # one table; order numbers follow time as in a real shop, returns are "C" + their own number
    ev_day = np.concatenate([o_day, g_day, r_day])
    ev_return = np.repeat([False, False, True], [len(o_cust), n_gord, n_ret])
    ev_time = timestamps(ev_day, sample_seconds(rng, len(ev_day)))
    number = np.empty(len(ev_day), dtype=np.int64)
    number[np.argsort(ev_time, kind="stable")] = FIRST_ORDER_NUMBER + np.arange(len(ev_day))
    lines = {  # per line: purchases, then guest lines, then returns
        "event": [l_order, len(o_cust) + g_order, len(o_cust) + n_gord + np.arange(n_ret)],
        "customer": [l_cust, np.full(n_guest, -1), l_cust[ret]],
        "item": [l_item, g_item, l_item[ret]],
        "quantity": [l_qty, 1 + rng.poisson(0.2, n_guest), -(1 + rng.binomial(l_qty[ret] - 1, 0.3))],
        "coupon": [o_coupon[l_order], np.full(n_guest, -1), o_coupon[l_order[ret]]],
        "channel": [o_channel[l_order], rng.choice([0, 3], n_guest, p=[0.7, 0.3]), o_channel[l_order[ret]]],
        "returned": [was_returned, np.zeros(n_guest, bool), np.zeros(n_ret, bool)],
    }
    line = {k: np.concatenate(v) for k, v in lines.items()}
    order = np.argsort(number[line["event"]], kind="stable")
    line = {k: v[order] for k, v in line.items()}
    event, customer, item = line["event"], line["customer"], line["item"]
    country = np.where(
        customer >= 0, panel.country[customer], rng.choice(len(COUNTRIES), len(customer), p=COUNTRY_SHARES)
    )
    unit_price = np.round(catalogue.price[item] * (1 - COUPON_DISCOUNT[line["coupon"]]), 2)
    prefix = pc.take(pa.array(["", "C"]), pa.array(ev_return[event].astype(np.int64)))
    frame = pd.DataFrame({
        "order_id": ids(prefix, number[event], len(str(FIRST_ORDER_NUMBER + len(ev_day)))),
        "customer_id": labels(panel.customer_id, customer),
        "order_date": ev_time[event],
        "item_id": labels(catalogue.items["item_id"], item),
        "item_name": labels(catalogue.items["item_name"], item),
        "category": labels(catalogue.items["category"], item),
        "quantity": line["quantity"],
        "unit_price": unit_price,
        "amount": np.round(line["quantity"] * unit_price, 2),
        "channel": labels(CHANNELS, line["channel"]),
        "coupon_code": labels(COUPONS, line["coupon"]),
        "country": labels(COUNTRIES, country),
    })
    return OrderBook(
        frame=frame,
        order=event,
        customer=customer,
        item=item,
        day=ev_day[event].astype(np.int64),
        is_return=ev_return[event],
        returned=line["returned"],
        staples=staples,
    )
def _draw_coupons(
    rng: np.random.Generator, seg: np.ndarray, day: np.ndarray, first: np.ndarray
) -> np.ndarray:
    """Coupon index per order (-1 for none): segment habit, sale days, a welcome code on first orders."""
    date = START + day
    sale_1111 = (date >= _SALE_1111[0]) & (date <= _SALE_1111[1])
    sale_618 = (date >= _SALE_618[0]) & (date <= _SALE_618[1])
    n = len(seg)
    used = rng.random(n) < _profile("coupon_rate")[seg] + 0.25 * (sale_1111 | sale_618)
    champion = seg == SEGMENT_NAMES.index("champion")
    everyday = np.where(rng.random(n) < 0.7, COUPONS.index("SAVE10"), COUPONS.index("FREESHIP"))
    everyday = np.where(champion & (rng.random(n) < 0.5), COUPONS.index("VIP15"), everyday)
    code = np.where(sale_618, COUPONS.index("618SALE"), everyday)
    code = np.where(sale_1111, COUPONS.index("1111SALE"), code)
    code = np.where(used, code, -1)
    return np.where(first & (rng.random(n) < 0.15), COUPONS.index("WELCOME10"), code)


def generate_orders(
    n_lines: int, n_customers: int = 140_000, n_items: int = 10_000, seed: int = 7
) -> pd.DataFrame:
    """Exactly ``n_lines`` order lines (returns and guest lines included) for benchmarks and tests."""
    rng = np.random.default_rng(seed)
    catalogue = build_catalogue(n_items, rng)
    panel = draw_customers(n_customers, rng)
    return simulate_orders(panel, catalogue, rng, n_lines=n_lines).frame
