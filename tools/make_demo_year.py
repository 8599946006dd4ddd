"""Write the demo previous year the year-end report compares with (比上年): data/raw/2017/,
its allocation scaled from 2018's and its demo returns, all marked as demo data.

    python tools/make_demo_year.py            # 2017 from 2018
    python tools/make_demo_year.py 2019 2018  # another year from another"""

from __future__ import annotations

import sys

from helpers.core.paths import RAW_DIR
from helpers.demo.previous_year import write_demo_year


def main(argv: list[str]) -> int:
    year, base = (int(argv[0]), int(argv[1])) if len(argv) == 2 else (2017, 2018)
    for path in write_demo_year(RAW_DIR, year, base):
        print(path.relative_to(RAW_DIR))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
