"""Generate ``src/daiban/reference/holidays.json`` once, from the ``holidays`` package (``holidays.China``).

Run: ``.venv/bin/python scripts/gen_holidays.py`` (needs the dev extra: ``holidays``). The output is
committed, so the application never imports ``holidays`` at run time.

* Official years (a State Council General Office notice exists, listed in NOTICES below): statutory holidays,
  调休 rest days and 调休 working days exactly as ``holidays.China`` records them from the notices.
* Later years up to LAST_YEAR are *provisional*: weekends plus the statutory holidays (and the 补假 the
  holiday-arrangement rules give when a holiday falls on a weekend) that the package computes, no 调休.

The file stores only the days that differ from "Monday-Friday work, Saturday-Sunday rest", plus weekend days
inside a holiday period (named, so a month view can show the whole 春节 break).
"""

from __future__ import annotations

import json
import re
import sys
from datetime import date, timedelta
from pathlib import Path

import holidays

FIRST_YEAR = 2016
LAST_OFFICIAL_YEAR = 2026
LAST_YEAR = 2035
OUTPUT = Path(__file__).resolve().parents[1] / "src" / "daiban" / "reference" / "holidays.json"

# Notice numbers as read on the pages named in "seen_at" (searched 2025; gov.cn itself was not reachable).
# "confirmed" is True only where the number was read next to the notice's full text; a year whose number
# could not be read there would carry "confirmed": false rather than a guessed number.
NOTICES: dict[int, list[dict]] = {
    2016: [
        {
            "number": "国办发明电〔2015〕18号",
            "title": "国务院办公厅关于2016年部分节假日安排的通知",
            "date": "2015-12-10",
            "confirmed": True,
            "seen_at": "http://www.gov.cn/zhengce/content/2015-12/10/content_10394.htm",
        }
    ],
    2017: [
        {
            "number": "国办发明电〔2016〕17号",
            "title": "国务院办公厅关于2017年部分节假日安排的通知",
            "date": "2016-12-01",
            "confirmed": True,
            "seen_at": "https://zh.wikisource.org/zh/国务院办公厅关于2017年部分节假日安排的通知",
        }
    ],
    2018: [
        {
            "number": "国办发明电〔2017〕12号",
            "title": "国务院办公厅关于2018年部分节假日安排的通知",
            "date": "2017-11-30",
            "confirmed": True,
            "seen_at": "https://zh.wikisource.org/zh-hans/国务院办公厅关于2018年部分节假日安排的通知",
        }
    ],
    2019: [
        {
            "number": "国办发明电〔2018〕15号",
            "title": "国务院办公厅关于2019年部分节假日安排的通知",
            "date": "2018-12-04",
            "confirmed": True,
            "seen_at": "http://czj.gnzrmzf.gov.cn/info/1282/12573.htm",
        },
        {
            "number": "国办发明电〔2019〕3号",
            "title": "国务院办公厅关于调整2019年劳动节假期安排的通知",
            "date": "2019-03-22",
            "confirmed": True,
            "seen_at": "https://csglxh.com/wwwcsglxhcom/zhengce/wenjian/192/397/1856684/1574209/index.htm",
            "note": "首都之窗政策文件库的转载页，发文字号栏为“国办发明电[2019]3号”",
        },
    ],
    2020: [
        {
            "number": "国办发明电〔2019〕16号",
            "title": "国务院办公厅关于2020年部分节假日安排的通知",
            "date": "2019-11-21",
            "confirmed": True,
            "seen_at": "http://gansulong.com/c/0Q25M3X2022_2.html",
        },
        {
            "number": "国办发明电〔2020〕1号",
            "title": "国务院办公厅关于延长2020年春节假期的通知",
            "date": "2020-01-26",
            "confirmed": True,
            "seen_at": "http://gansulong.com/c/0Q25M3X2022_2.html",
            "note": "春节假期延长至2月2日，2月1日（星期六）不再上班",
        },
    ],
    2021: [
        {
            "number": "国办发明电〔2020〕27号",
            "title": "国务院办公厅关于2021年部分节假日安排的通知",
            "date": "2020-11-25",
            "confirmed": True,
            "seen_at": "http://www.cncaprc.cn/?c=i&a=lList_mod&myid=3&id=3366",
        }
    ],
    2022: [
        {
            "number": "国办发明电〔2021〕11号",
            "title": "国务院办公厅关于2022年部分节假日安排的通知",
            "date": "2021-10-25",
            "confirmed": True,
            "seen_at": "http://www.beijing.gov.cn/zhengce/zhengcefagui/202110/t20211026_2520500.html",
        }
    ],
    2023: [
        {
            "number": "国办发明电〔2022〕16号",
            "title": "国务院办公厅关于2023年部分节假日安排的通知",
            "date": "2022-12-08",
            "confirmed": True,
            "seen_at": "https://zh.m.wikisource.org/zh/国务院办公厅关于2023年部分节假日安排的通知",
        }
    ],
    2024: [
        {
            "number": "国办发明电〔2023〕7号",
            "title": "国务院办公厅关于2024年部分节假日安排的通知",
            "date": "2023-10-25",
            "confirmed": True,
            "seen_at": "https://zh.wikisource.org/wiki/国务院办公厅关于2024年部分节假日安排的通知",
        }
    ],
    2025: [
        {
            "number": "国办发明电〔2024〕12号",
            "title": "国务院办公厅关于2025年部分节假日安排的通知",
            "date": "2024-11-12",
            "confirmed": True,
            "seen_at": "http://mip.gyhiac.cn/blog/jCiECJtgPIQFRn-11.html",
            "note": "仅见于转载页（新华社发布的正文不含文号），宜在 gov.cn 复核",
        }
    ],
    2026: [
        {
            "number": "国办发明电〔2025〕7号",
            "title": "国务院办公厅关于2026年部分节假日安排的通知",
            "date": "2025-11-04",
            "confirmed": True,
            "seen_at": "http://2cto.com.cn/forum.php?mod=viewthread&page=1&tid=1152",
            "note": "仅见于转载页（转自人社通；新华社发布的正文不含文号），宜在 gov.cn 复核",
        }
    ],
}

_ONE_DAY = re.compile(r'\{\n\s+"day": (.+),\n\s+"workday": (.+),\n\s+"name": (.+)\n\s+\}')
_SUBSTITUTED = re.compile(r"由 (\d{4}-\d{2}-\d{2}) 调休")
# Names that belong to the Spring Festival break although the package spells them differently.
_FESTIVAL_OF = {"农历除夕": "春节", "春节延长假期": "春节"}


def _festivals(name: str) -> list[str]:
    """The festivals a package name stands for: "中秋节; 国庆节" -> both; "清明节（补假）" -> 清明节."""
    result = []
    for part in name.split("; "):
        part = part.replace("（补假）", "").replace("（推定）", "").replace("（补假，推定）", "")
        if part and not part.startswith("休息日"):
            result.append(_FESTIVAL_OF.get(part, part))
    return result


def _display(name: str) -> str:
    return "、".join(part.replace("（推定）", "") for part in name.split("; "))


def _is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def _blocks(rest: dict[date, str], workdays: set[date]) -> dict[date, str]:
    """Name every day of each holiday period: a run of rest days (weekends included) holding a festival."""

    def resting(day: date) -> bool:
        return day in rest or (_is_weekend(day) and day not in workdays)

    block_of: dict[date, str] = {}
    seen: set[date] = set()
    for start in sorted(rest):
        if start in seen:
            continue
        run = [start]
        while True:  # extend backwards and forwards over weekends and listed rest days
            before = run[0] - timedelta(days=1)
            if resting(before):
                run.insert(0, before)
            else:
                break
        while True:
            after = run[-1] + timedelta(days=1)
            if resting(after):
                run.append(after)
            else:
                break
        names: list[str] = []
        for day in run:
            for festival in _festivals(rest.get(day, "")):
                if festival not in names:
                    names.append(festival)
        seen.update(run)
        for day in run:
            block_of[day] = "、".join(names)
    return block_of


def year_days(year: int, *, official: bool) -> list[dict]:
    """The special days of one year in the reference-file shape {"day", "workday", "name"}."""
    # Note: the neighbouring years are loaded too, so a weekend next to a holiday across New Year is named.
    china = holidays.China(years=range(year - 1, year + 2), language="zh_CN")
    rest = dict(china.items())
    workdays = {day for day in china.weekend_workdays if day.year == year} if official else set()
    block_of = _blocks(rest, workdays)
    days: dict[date, dict] = {}
    paired: dict[date, date] = {}  # 调休 working day -> the rest day it pays for
    for day, name in rest.items():
        if day.year != year:
            continue
        match = _SUBSTITUTED.search(name)
        if match:
            if not official:
                raise SystemExit(f"{year}: the package lists 调休 for a year without a notice: {day} {name}")
            paired[date.fromisoformat(match.group(1))] = day
            label = f"{block_of[day]}（调休）"
        else:
            label = _display(name)
        days[day] = {"day": day.isoformat(), "workday": False, "name": label}
    for day, block in block_of.items():  # weekend days inside a holiday period
        if day.year == year and day not in days and block:
            days[day] = {"day": day.isoformat(), "workday": False, "name": block}
    if official:
        for day in sorted(workdays):
            festival = block_of.get(paired[day], "") if day in paired else ""
            days[day] = {"day": day.isoformat(), "workday": True, "name": f"{festival}调休上班"}
    return [days[day] for day in sorted(days)]


def build() -> dict:
    years = {}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        official = year <= LAST_OFFICIAL_YEAR
        years[str(year)] = {
            "official": official,
            "notices": NOTICES.get(year, []) if official else [],
            "days": year_days(year, official=official),
        }
    return {
        "description": "中国大陆工作日历：法定节假日与调休（国务院办公厅部分节假日安排的通知）；"
        "official=false 的年份为暂行：仅周末与法定节假日（含逢周末的补假），未含调休",
        "generated_by": "scripts/gen_holidays.py",
        "source": f"holidays {holidays.__version__} (holidays.China, zh_CN)",
        "first": date(FIRST_YEAR, 1, 1).isoformat(),
        "last": date(LAST_YEAR, 12, 31).isoformat(),
        "years": years,
    }


def main() -> int:
    data = build()
    text = json.dumps(data, ensure_ascii=False, indent=1)
    # One line per special day keeps the file short and its diffs readable.
    text = _ONE_DAY.sub(r'{"day": \1, "workday": \2, "name": \3}', text)
    OUTPUT.write_text(text + "\n", encoding="utf-8")
    for year, entry in data["years"].items():
        workdays = sum(1 for day in entry["days"] if day["workday"])
        print(f"{year} official={entry['official']!s:5} special={len(entry['days']):3} 调休上班={workdays}")
    print(f"wrote {OUTPUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
