"""``python -m promo_core.sample [--out sample_data] [--seed 7]`` regenerates the sample folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from promo_core.sample.shop import generate_shop, write_shop


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m promo_core.sample", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("sample_data"), help="folder to write")
    parser.add_argument("--seed", type=int, default=7, help="random seed (same seed, same bytes)")
    args = parser.parse_args(argv)
    paths = write_shop(generate_shop(seed=args.seed), args.out)
    total = sum(p.stat().st_size for p in paths)
    for path in paths:
        print(f"{path.stat().st_size / 1e6:8.2f} MB  {path}")
    print(f"{total / 1e6:8.2f} MB  total")


if __name__ == "__main__":
    main()
