"""What several test modules share: the hand-counted problem ledger (its header and items), a
second route to a demo return's 合计 row, and the kernels a run started."""

from __future__ import annotations

from datetime import date as D
from pathlib import Path

from openpyxl import load_workbook

from helpers.core.paths import RAW_DIR

HEADER = ["序号", "区域", "项目名称", "项目年份", "存在的问题隐患", "整改限期", "责任人",
          "发现日期", "整改状态", "销号日期"]


CONTACT = "鹿城区民政局 张三 13812345678"


# Seven items counted by hand at 30 June and 31 December 2018 (see test_counts_*).
HAND_ITEMS = [
    [1, "鹿城区", "五马街道中心", 2017, "消防通道堵塞", "2018-04-30", CONTACT, "2018-03-01",
     "已销号", "2018-04-20"],
    [2, None, "南汇街道食堂", 2017, "助餐点未开展服务", "2018年5月31日", CONTACT, "2018.3.15",
     "已整改（销号）", D(2018, 6, 10)],
    [3, None, "七都照料中心", "2016年", "床位未投用", D(2018, 6, 15), CONTACT, "2018/5/1",
     "未整改", None],
    [4, "龙湾区", "永中照料中心", 2017, "未开展服务", "2018年7月底", "龙湾区民政局 李四",
     "2018-06-01", "整改中", None],
    [5, None, "龙湾福利中心", 2017, "消防远程监控未联网", "2018-05-10", "龙湾区民政局 李四",
     "2018-04-10", "已销号", "2018-08-01"],
    [6, "洞头区", "北岙照料中心", 2016, "无障碍设施缺失", "2018-08-05", "王五 13912345678",
     "2018-07-05", "未整改", None],
    [7, None, "东屏照料中心", 2017, "资料不全", "2018-06-30", "洞头区民政局 王五",
     "2018-02-01", "已销号", "2018-06-30"],
]


HAND_MERGES = ["B3:B5", "B6:B7", "B8:B9"]  # 区域 merged over each district's items


def raw_total(date: str, header_fragment: str) -> int:
    """Second route: the 合计 row of a wide demo return, read straight from the workbook."""
    ws = load_workbook(RAW_DIR / "2018" / "progress" / f"{date}.xlsx").active
    header_col = next(c.column for row in ws.iter_rows(max_row=6) for c in row
                      if isinstance(c.value, str) and header_fragment in c.value.replace("\n", ""))
    total_row = next(c.row for c in ws["A"] if isinstance(c.value, str)
                     and c.value.replace(" ", "") == "合计")
    return int(ws.cell(total_row, header_col).value)


def kernels_of(pid: int) -> list[int]:
    """The papermill kernels `pid` started: they run in a session of their own (so killing the
    run's process group does not reach them) and carry JPY_PARENT_PID=<pid>."""
    marker = f"\0JPY_PARENT_PID={pid}\0".encode()
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker in b"\0" + environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found
