"""A synthetic, realistic Moodle "Logs" report for benchmarks: any number of rows and users.

`generate_moodle_log(path, rows, users)` writes what a direct download from an English Moodle
looks like (UTF-8 with BOM, CRLF, `d/mm/yy, HH:MM:SS` times with the day not zero-padded,
newest first) with a realistic mix of events: views, forum discussions and posts (each with
its "Some content has been posted." twin), logins, submissions, completion updates, Turnitin
rows that name nobody and a few login-as rows. It returns what a correct import must find.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

HEADER = (
    "Time",
    "User full name",
    "Affected user",
    "Event context",
    "Component",
    "Event name",
    "Description",
    "Origin",
    "IP address",
)
_FIRST = ("Ana", "Ben", "Chloe", "Dev", "Elif", "Femi", "Grace", "Hugo", "Ines", "Jonas", "Kai")
_LAST = ("Silva", "Okafor", "Martin", "Patel", "Yilmaz", "Adeyemi", "Lee", "Dubois", "Costa")
_COURSE_ID = 177
_COURSE = "Course: Facilitating Online Cohorts (FOC-2024)"
_MODULES = (
    ("resource", "File: Week 1 reading", "File"),
    ("page", "Page: How this course works", "Page"),
    ("forum", "Forum: Introductions", "Forum"),
    ("url", "URL: Recorded webinar", "URL"),
    ("quiz", "Quiz: Week 2 check", "Quiz"),
)

#: event -> (weight, kind a correct import gives, or None for a skipped row)
_MIX = {
    "course_viewed": (28, "view"),
    "module_viewed": (30, "view"),
    "discussion_viewed": (12, "view"),
    "discussion_created": (1, "post"),
    "post_created": (5, "reply"),
    "logged_in": (3, "login"),
    "submitted": (1, "submit"),
    "completion": (12, None),
    "profile_viewed": (3, None),
    "turnitin": (1, None),
}


@dataclass
class GeneratedLog:
    """What a correct import of the generated file finds.

    Attributes:
        rows: data rows written (the header not counted).
        kinds: activity records by kind ("view", "reply", ...).
        skipped: rows skipped as not participation (twins of posts included).
        unattributed: rows naming nobody.
        people: distinct user ids with at least one activity record.
        logged_as: activity rows done by someone logged in as another user.
    """

    rows: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    unattributed: int = 0
    people: set[str] = field(default_factory=set)
    logged_as: int = 0


def _stamp(moment: datetime) -> str:
    # Moodle's English "strftimedatetimeshortaccurate", with its day not zero-padded
    return (
        f"{moment.day}/{moment.month:02d}/{moment.year % 100:02d}, "
        f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )


def generate_moodle_log(
    path: Path,
    rows: int,
    users: int = 300,
    *,
    seed: int = 2024,
    end: datetime = datetime(2024, 6, 30, 22, 15, 0),
    mean_gap_seconds: float = 6.0,
) -> GeneratedLog:
    """Write a Logs report of `rows` data rows by `users` people, newest first.

    Args:
        path: where to write it.
        rows: the number of data rows.
        users: the number of distinct learners.
        seed: the random seed (the same arguments always write the same file).
        end: the time of the newest row.
        mean_gap_seconds: the mean time between rows (a million rows at 6 s is ~70 days).
    """
    rng = random.Random(seed)
    people = [
        (str(5000 + n), f"{_FIRST[n % len(_FIRST)]} {_LAST[n // len(_FIRST) % len(_LAST)]} {n}")
        for n in range(users)
    ]
    events = list(_MIX)
    weights = [_MIX[e][0] for e in events]
    found = GeneratedLog()
    moment = end
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(HEADER)
        written = 0
        discussion = 900
        post = 40_000
        picks = rng.choices(events, weights, k=rows)
        for event in picks:
            if written >= rows:
                break
            moment -= timedelta(seconds=int(rng.expovariate(1 / mean_gap_seconds)))
            stamp = _stamp(moment)
            uid, name = people[rng.randrange(users)]
            ip = f"10.{int(uid) % 200}.{int(uid) % 17}.{int(uid) % 250 + 1}"
            as_other = rng.random() < 0.002
            shown = f"Site Admin as {name}" if as_other else name
            row: list[str]
            if event == "course_viewed":
                row = [
                    stamp,
                    shown,
                    "-",
                    _COURSE,
                    "System",
                    "Course viewed",
                    f"The user with id '{uid}' viewed the course with id '{_COURSE_ID}'.",
                ]
            elif event == "module_viewed":
                table, context, component = _MODULES[rng.randrange(len(_MODULES))]
                cmid = 3100 + rng.randrange(40)
                row = [
                    stamp,
                    shown,
                    "-",
                    context,
                    component,
                    "Course module viewed",
                    f"The user with id '{uid}' viewed the '{table}' activity with course "
                    f"module id '{cmid}'.",
                ]
            elif event == "discussion_viewed":
                row = [
                    stamp,
                    shown,
                    "-",
                    "Forum: Introductions",
                    "Forum",
                    "Discussion viewed",
                    f"The user with id '{uid}' has viewed the discussion with id "
                    f"'{rng.randrange(900, discussion + 1)}' in the forum with course "
                    "module id '3102'.",
                ]
            elif event in ("discussion_created", "post_created"):
                post += 1
                if event == "discussion_created":
                    discussion += 1
                    thread = discussion
                    what = (
                        f"The user with id '{uid}' has created the discussion with id "
                        f"'{thread}' in the forum with course module id '3102'."
                    )
                    label = "Discussion created"
                else:
                    thread = rng.randrange(900, discussion + 1)
                    what = (
                        f"The user with id '{uid}' has created the post with id '{post}' "
                        f"in the discussion with id '{thread}' in the forum with course "
                        "module id '3102'."
                    )
                    label = "Post created"
                if written + 1 < rows:  # the twin Moodle logs with every post, listed first
                    out.writerow(
                        [
                            stamp,
                            shown,
                            "-",
                            "Forum: Introductions",
                            "Forum",
                            "Some content has been posted.",
                            f"The user with id '{uid}' has posted content in the forum "
                            f"post with id '{post}' in the discussion '{thread}' located "
                            "in the forum with course module id '3102'.",
                            "web",
                            ip,
                        ]
                    )
                    written += 1
                    found.skipped += 1
                row = [stamp, shown, "-", "Forum: Introductions", "Forum", label, what]
            elif event == "logged_in":
                row = [
                    stamp,
                    shown,
                    "-",
                    "System",
                    "System",
                    "User has logged in",
                    f"The user with id '{uid}' has logged in.",
                ]
            elif event == "submitted":
                row = [
                    stamp,
                    shown,
                    "-",
                    "Assignment: Reflection 1",
                    "Assignment",
                    "A submission has been submitted.",
                    f"The user with id '{uid}' has submitted the submission with id "
                    f"'{rng.randrange(700, 800)}' for the assignment with course module "
                    "id '3110'.",
                ]
            elif event == "completion":
                row = [
                    stamp,
                    shown,
                    "-",
                    "File: Week 1 reading",
                    "System",
                    "Course activity completion updated",
                    f"The user with id '{uid}' updated the completion state for the course "
                    f"module with id '3100' for the user with id '{uid}'.",
                ]
            elif event == "profile_viewed":
                other = people[rng.randrange(users)][0]
                row = [
                    stamp,
                    shown,
                    name,
                    _COURSE,
                    "System",
                    "User profile viewed",
                    f"The user with id '{uid}' viewed the profile for the user with id "
                    f"'{other}' in the course with id '{_COURSE_ID}'.",
                ]
            else:
                row = [
                    stamp,
                    "-",
                    "-",
                    "Turnitin Assignment 1: Case study",
                    "Turnitin Assignment 1",
                    "List Submissions",
                    f"User viewed their submission inbox at course: {_COURSE_ID}",
                ]
            row += ["web", ip]
            out.writerow(row)
            written += 1
            kind = _MIX[event][1]
            if event == "turnitin":
                found.unattributed += 1
            elif kind is None:
                found.skipped += 1
            else:
                found.kinds[kind] += 1
                found.people.add(uid)
                found.logged_as += as_other
        found.rows = written
    return found


if __name__ == "__main__":  # pragma: no cover - a manual helper
    import sys
    import time

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "moodle_log_1m.csv")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    began = time.perf_counter()
    facts = generate_moodle_log(target, count)
    print(f"{target}: {facts.rows} rows in {time.perf_counter() - began:.1f} s; {facts.kinds}")
