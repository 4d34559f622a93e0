"""The commands for away from the desk: ``plan``, ``rate``, ``log``, ``pending``, ``remind``.

They read a snapshot of the journal without its lock (so they work while the
app has it open), and record through the inbox (``storage.inbox``): the entry
is written whole first, then taken in at once when the journal is free, or by
the open app within a second or two. See docs/away-from-the-desk.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from rejection_tui.asking import Asker, Cancelled, Missing, TooLong, forget_typed_ahead, parse_score
from rejection_tui.cli import say, tell, tell_copies_waiting
from rejection_tui.domain.after_no import AfterNo, after_no_error, no_became_yes_error, normalised
from rejection_tui.domain.categories import CATEGORIES
from rejection_tui.domain.history import match_challenges
from rejection_tui.domain.models import (
    MAX_CONTEXTS,
    OUTCOME_LABELS,
    VIA_SHELL,
    Attempt,
    Challenge,
    Outcome,
    custom_id,
    now_local,
)
from rejection_tui.domain.pending import Waiting, newest, remind_text, waited_phrase, waiting
from rejection_tui.domain.text import visible
from rejection_tui.domain.validation import ValidationError, level_error, text_error, whole_number
from rejection_tui.privacy import passphrase_for
from rejection_tui.storage.envelope import SealedUnreadable
from rejection_tui.storage.errors import JournalEncrypted, JournalError, JournalLocked
from rejection_tui.storage.files import NotDurable
from rejection_tui.storage.inbox import (
    ADD,
    RATE,
    Entry,
    hand_in,
    overlay,
    read_status,
    read_waiting,
    take_in,
    waiting_files,
)
from rejection_tui.storage.journal import Journal

EXIT_PROBLEM = 1
EXIT_JOURNAL = 2
EXIT_CANCELLED = 130

COMMANDS = ("plan", "rate", "log", "pending", "remind")
READERS = ("pending", "remind")

TEXT_NOTE = (
    "Free text (what you fear, what you learned, a note) is never taken from the command line, "
    "where shell history and `ps` would keep it: it is asked for at a prompt, or read from standard "
    "input when that is not a terminal (lines starting 'worry:', 'lesson:' or 'note:' fill those "
    "fields; other lines fill the first)."
)


class Refused(Exception):
    """A value or a request that cannot be recorded: one sentence, exit status 1, nothing written."""


def out(text: str, stream: TextIO | None = None) -> None:
    """Results on stdout; titles are shown, never obeyed."""
    print(visible(text), file=stream or sys.stdout)


# -- parsing flags --------------------------------------------------------------


def score_flag(value: str) -> int:
    """argparse type for 0–100 flags, with the message the forms give."""
    score, problem = parse_score(value, "It")
    if problem:
        raise argparse.ArgumentTypeError(f"{problem[:-1].replace('It must', 'must')}, not {value!r}")
    assert score is not None
    return score


def level_flag(value: str) -> int:
    level = whole_number(value)
    problem = level_error(level)
    if problem:
        raise argparse.ArgumentTypeError(f"{problem.replace('Level must', 'must')}, not {value!r}")
    assert level is not None
    return level


OUTCOME_WORDS: dict[str, Outcome] = {
    **{o.value: o for o in Outcome},
    **{label: o for o, label in OUTCOME_LABELS.items()},
    "r": Outcome.REJECTED,
    "a": Outcome.ACCEPTED,
    "p": Outcome.PARTIAL,
    "n": Outcome.NOT_ASKED,
    "no": Outcome.REJECTED,
    "yes": Outcome.ACCEPTED,
}


def outcome_of(text: str) -> Outcome | None:
    return OUTCOME_WORDS.get(
        text.strip().casefold().replace("-", "_").replace(" ", "_")
    ) or OUTCOME_WORDS.get(text.strip().casefold())


def outcome_flag(value: str) -> Outcome:
    outcome = outcome_of(value)
    if outcome is None:
        raise argparse.ArgumentTypeError(
            f"must be one of rejected, accepted, partial, not_asked, not {value!r}"
        )
    return outcome


def yes_no(text: str) -> bool | None:
    return {"yes": True, "y": True, "no": False, "n": False}.get(text.strip().casefold())


def happened_flag(value: str) -> bool:
    answer = yes_no(value)
    if answer is None:
        raise argparse.ArgumentTypeError(f"must be yes or no, not {value!r}")
    return answer


def category_of(text: str) -> str | None:
    wanted = text.strip().casefold()
    for key, label in CATEGORIES.items():
        if wanted in (key, label.casefold()) or (wanted and label.casefold().startswith(wanted)):
            return key
    return None


def category_flag(value: str) -> str:
    key = category_of(value)
    if key is None:
        raise argparse.ArgumentTypeError(f"must be one of {', '.join(CATEGORIES)}, not {value!r}")
    return key


def after_no_flag(value: str) -> AfterNo:
    """argparse type for --after-no: one of the three choices, in the record's words when not."""
    wanted = value.strip().casefold().replace("-", "_").replace(" ", "_")
    try:
        return AfterNo(wanted)
    except ValueError:
        problem = after_no_error([value], Outcome.REJECTED) or ""
        raise argparse.ArgumentTypeError(problem.replace("What you did after the no must", "must")) from None


def context_flag(value: str) -> str:
    """argparse type for --context: a short tag, its spaces tidied."""
    tag = " ".join(value.split())
    problem = text_error(tag, "Context", required=True)
    if problem:
        raise argparse.ArgumentTypeError(f"{problem.replace('Context ', '', 1)}, not {value[:40]!r}")
    return tag


WHEN_FORMAT = "%Y-%m-%d %H:%M"


def when_flag(value: str) -> datetime:
    try:
        moment = datetime.strptime(value.strip(), WHEN_FORMAT).astimezone()
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'must be a local time like "2026-11-27 18:30", not {value!r}'
        ) from None
    if moment > now_local() + timedelta(minutes=1):
        raise argparse.ArgumentTypeError(f"is in the future ({value}); log what already happened")
    return moment


def add_arguments(commands: argparse._SubParsersAction[Any], db: argparse.ArgumentParser) -> None:
    """The capture commands' parsers (``db``: the shared --db option, as a parent)."""
    plan = commands.add_parser(
        "plan",
        parents=[db],
        help="record the before part of an ask (in seconds, from any shell)",
        description="Record an ask you are about to make: the challenge, how afraid you expect to be and "
        "the chance of a no. CHALLENGE is an id, a few words of a title (numbered choices when several "
        "match), or your own ask in words (then give its level and kind). " + TEXT_NOTE,
    )
    plan.add_argument(
        "challenge", metavar="CHALLENGE", nargs="?", help="an id, words of a title, or your own ask"
    )
    before_flags(plan)
    rate = commands.add_parser(
        "rate",
        parents=[db],
        help="finish a planned ask: how it felt and what happened",
        description="Rate the newest planned ask, or the N-th of `rejection-tui pending`. " + TEXT_NOTE,
    )
    rate.add_argument(
        "number", metavar="N", nargs="?", type=int, help="its number in `pending` (default: newest)"
    )
    after_flags(rate)
    log = commands.add_parser(
        "log",
        parents=[db],
        help="record an ask you already made, before and after in one go",
        description="Record a real-life ask after the fact. Its fear before is typed afterwards, which is "
        "hindsight, so it is marked retro and left out of the expected-vs-felt gap and of calibration. "
        + TEXT_NOTE,
    )
    log.add_argument(
        "challenge", metavar="CHALLENGE", nargs="?", help="an id, words of a title, or your own ask"
    )
    log.add_argument("--challenge", dest="challenge_flag", metavar="ID", help="the challenge's id")
    before_flags(log)
    after_flags(log)
    log.add_argument(
        "--when", type=when_flag, metavar='"YYYY-MM-DD HH:MM"', help="when it happened (default: now)"
    )
    pending = commands.add_parser(
        "pending",
        parents=[db],
        help="list the planned asks waiting to be rated, overdue first",
        description="Planned asks not rated yet, the longest-waiting first; more than a day is overdue.",
    )
    how = pending.add_mutually_exclusive_group()
    how.add_argument("--count", action="store_true", help="print only how many wait")
    how.add_argument("--json", action="store_true", help="print them as JSON")
    remind = commands.add_parser(
        "remind",
        parents=[db],
        help="one line when planned asks wait to be rated (nothing when none do)",
        description="Prints one generic line, without any title, when something waits to be rated, "
        "and nothing when nothing does; exit status 0 either way (for timers, cron and prompts).",
    )
    remind.add_argument(
        "--notify",
        action="store_true",
        help="send it as a desktop notification (notify-send or termux-notification)",
    )


def before_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fear-before", type=score_flag, metavar="N", help="expected fear, 0-100")
    parser.add_argument(
        "--no", dest="p_rejection", type=score_flag, metavar="N", help="chance of a no, 0-100 (%%)"
    )
    parser.add_argument("--level", type=level_flag, metavar="N", help="level 1-10 of your own ask")
    parser.add_argument(
        "--category",
        type=category_flag,
        metavar="KIND",
        help="kind of your own ask: " + ", ".join(CATEGORIES),
    )
    parser.add_argument(
        "--own", action="store_true", help="CHALLENGE is your own ask, even if titles match it"
    )


def after_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fear-after", type=score_flag, metavar="N", help="the fear you felt, 0-100")
    parser.add_argument(
        "--outcome", type=outcome_flag, metavar="OUTCOME", help="rejected, accepted, partial or not_asked"
    )
    parser.add_argument(
        "--happened", type=happened_flag, metavar="yes|no", help="did what you feared happen?"
    )
    deeper = parser.add_argument_group(
        "optional, for deeper practice", "Flags only: at a terminal nothing more is asked."
    )
    deeper.add_argument("--surprise", type=score_flag, metavar="N", help="how surprised you were, 0-100")
    deeper.add_argument(
        "--cost", dest="cost_actual", type=score_flag, metavar="N", help="how bad it really was, 0-100"
    )
    deeper.add_argument(
        "--next",
        dest="p_rejection_next",
        type=score_flag,
        metavar="N",
        help="next time, the chance of a no, 0-100 (%%)",
    )
    deeper.add_argument(
        "--context",
        dest="contexts",
        type=context_flag,
        action="append",
        metavar="TAG",
        help="a short tag such as phone, in person or a place (repeat for more)",
    )
    deeper.add_argument(
        "--after-no",
        type=after_no_flag,
        action="append",
        metavar="|".join(AfterNo),
        help="after a no: what you did next (repeat for more; only with a rejected outcome)",
    )
    deeper.add_argument(
        "--became-yes",
        action="store_true",
        help="the no became a yes in the end (counted apart, never as a rejection)",
    )


# -- the journal, read without its lock -----------------------------------------


@dataclass
class Snapshot:
    attempts: list[Attempt]
    challenges: list[Challenge]


def read_snapshot(path: Path, *, prompt: bool = True, locked_ok: bool = False) -> Snapshot:
    """The journal as it is on disk plus the entries still in its inbox (no lock taken).

    ``JournalError`` when the journal cannot be read; an empty snapshot when there is none yet.
    ``prompt=False``: an encrypted journal is unlocked only with REJECTION_TUI_PASSPHRASE, never
    at a prompt; ``locked_ok``: without it, the built-in challenges only (for ``plan`` and ``log``,
    which record without the passphrase).
    """
    from rejection_tui.domain.library import builtin_challenges

    try:
        journal = Journal.open(path, reader=True, passphrase=passphrase_for(path, prompt=prompt))
    except FileNotFoundError:
        return Snapshot(overlay([], read_waiting(path)), list(builtin_challenges()))
    except JournalEncrypted:
        if not locked_ok:
            raise
        return Snapshot([], list(builtin_challenges()))
    with journal:
        attempts = overlay(journal.list_attempts(), read_waiting(path, journal.storage().keys))
        return Snapshot(attempts, journal.all_challenges())


def queue_of(path: Path, *, prompt: bool = True) -> list[Waiting]:
    """What waits to be rated (``prompt``: as for ``read_snapshot``)."""
    return waiting(read_snapshot(path, prompt=prompt).attempts, now_local())


# -- recording -------------------------------------------------------------------


LOCK_TRIES = 10
LOCK_WAIT = 0.1
"""Another shell command holds the journal for a moment only; the app holds it for long."""


def open_when_free(path: Path) -> Journal | None:
    """The journal with its lock, waiting a second for a shell command that holds it briefly;
    None when it stays held (the app has it open)."""
    for _ in range(LOCK_TRIES):
        try:
            return Journal.open(path, passphrase=passphrase_for(path, prompt=False))  # taking in asks nothing
        except JournalLocked:
            time.sleep(LOCK_WAIT)
    return None


def record(path: Path, entry: Entry, done: str) -> int:
    """Hand ``entry`` in, then take it in at once if the journal is free; say what happened."""
    try:
        hand_in(path, entry)
    except NotDurable:
        pass  # in place; only the folder's sync is unconfirmed: it is recorded
    except OSError as error:
        say(f"nothing was recorded: cannot write beside {path} ({error.strerror or error}).")
        return EXIT_JOURNAL
    except SealedUnreadable as error:  # an encrypted journal whose header this build cannot use
        say(f"nothing was recorded: the journal {path} is encrypted, but {error}.")
        return EXIT_JOURNAL
    try:
        return take_in_now(path, done)
    except KeyboardInterrupt:  # ctrl+c after the entry was written: it is kept
        say("interrupted: your entry is recorded and is taken in the next time the journal opens.")
        return EXIT_CANCELLED


def take_in_now(path: Path, done: str) -> int:
    """Say the entry is recorded, then take the inbox in if the journal is free."""
    out(done)
    try:
        journal = open_when_free(path)
    except JournalEncrypted:
        out("Your journal is encrypted: this is kept, sealed, and taken in when you next open the app.")
        return 0
    except (JournalError, OSError) as error:
        why = error.message if isinstance(error, JournalError) else (error.strerror or str(error))
        say(f"{why} Your entry is kept safe beside it and is taken in when the journal opens again.")
        return EXIT_JOURNAL
    if journal is None:
        out("The app has your journal open: it shows this within a couple of seconds.")
        return 0
    with journal:
        try:
            # Again while entries keep coming: one handed in by a command that found the
            # lock taken by this one is taken in here, before the lock goes.
            for _ in range(LOCK_TRIES):
                taken = take_in(journal)
                for kept, why in taken.set_aside:
                    say(f"an entry was not taken in ({why}); it is kept at {kept}.")
                if not waiting_files(path):
                    break
        except (JournalError, ValidationError) as error:
            why = error.message if isinstance(error, JournalError) else " ".join(error.messages)
            say(f"{why} Your entry is kept safe beside the journal and is taken in next time.")
            return EXIT_JOURNAL
        tell(journal)
    return 0


def pick_challenge(
    args: argparse.Namespace, snapshot: Snapshot, asker: Asker
) -> tuple[Challenge, Challenge | None]:
    """The challenge an ask is for, and the custom challenge to add with it (for your own ask)."""
    query = getattr(args, "challenge_flag", None) or args.challenge
    if query is None:
        query = asker.ask(
            "What will you ask? (words of a challenge's title, its id, or your own ask): ",
            lambda text: (text.strip(), None) if text.strip() else (None, "Type a few words."),
            "CHALLENGE (an id, words of a title, or your own ask)",
        )
    matches = [] if args.own else match_challenges(snapshot.challenges, query)
    if len(matches) == 1:
        return matches[0], None
    if len(matches) > 1:
        shown = matches[:9]
        if not asker.interactive:
            names = "; ".join(f"{c.id} ({c.title})" for c in shown)
            more = f" and {len(matches) - len(shown)} more" if len(matches) > len(shown) else ""
            raise Refused(f"{len(matches)} challenges match {query!r}: {names}{more}. Give one of the ids.")
        if len(matches) > len(shown):
            rest = len(matches) - len(shown)
            out(
                f"{len(matches)} match; the first {len(shown)} (and {rest} more: add a word to narrow it):",
                sys.stderr,
            )
        index = asker.choose("Which one? ", [f"{c.title} (level {c.level})" for c in shown], "")
        return shown[index], None
    return own_ask(query, args, asker)


def own_ask(title: str, args: argparse.Namespace, asker: Asker) -> tuple[Challenge, Challenge]:
    title = " ".join(title.split())
    if (
        asker.interactive
        and not args.own
        and not asker.yes(f'No challenge matches "{title}". Record it as your own ask? [Y/n] ')
    ):
        raise Cancelled
    level = args.level
    if level is None:
        level = asker.ask(
            "Its level, 1 (easy) to 10 (hardest): ",
            parse_level,
            f"--level N for your own ask {title!r} (no challenge's title matches it)",
        )
    category = args.category
    if category is None:
        keys = list(CATEGORIES)
        category = keys[
            asker.choose(
                "What kind of ask? ", [CATEGORIES[k] for k in keys], f"--category KIND for {title!r}"
            )
        ]
    challenge = Challenge(custom_id(title), title, level, category, source="custom")
    try:
        challenge.validated()
    except ValidationError as error:
        raise Refused(" ".join(error.messages)) from None
    return challenge, challenge


def parse_level(text: str) -> tuple[int | None, str | None]:
    level = whole_number(text)
    return (level, None) if level_error(level) is None else (None, "Type 1 to 10.")


def before_values(args: argparse.Namespace, asker: Asker) -> tuple[int, int | None]:
    fear = args.fear_before
    if fear is None:
        fear = asker.score(
            "How afraid do you expect to be? 0-100: ", "Fear before", "--fear-before N (0-100)"
        )
    chance = args.p_rejection
    if chance is None and asker.interactive:
        chance = asker.optional(
            "Chance of a no, 0-100 (Enter to skip): ", lambda t: parse_score(t, "The chance of a no")
        )
    return fear, chance


def after_values(args: argparse.Namespace, asker: Asker, worry: str) -> tuple[int, Outcome, bool | None]:
    fear = args.fear_after
    if fear is None:
        fear = asker.score(
            "How afraid did you feel, at the peak? 0-100: ", "Fear after", "--fear-after N (0-100)"
        )
    outcome = args.outcome
    if outcome is None:
        outcome = asker.ask(
            "What happened? r(ejected) / a(ccepted) / p(artly yes) / n(ot asked): ",
            lambda t: (o, None) if (o := outcome_of(t)) else (None, "Type r, a, p or n."),
            "--outcome rejected|accepted|partial|not_asked",
        )
    happened = args.happened
    if happened is None and asker.interactive:
        feared = f' ("{worry}")' if worry and len(worry) <= 60 else ""
        happened = asker.optional(
            f"Did what you feared happen{feared}? y/n (Enter to skip): ",
            lambda t: (a, None) if (a := yes_no(t)) is not None else (None, "Type y or n."),
        )
    return fear, outcome, happened


def after_no_problem(args: argparse.Namespace, outcome: Outcome | None) -> str | None:
    """What is wrong with --after-no or --became-yes for ``outcome``, in the record's words."""
    choices = [choice.value for choice in args.after_no or ()]
    return after_no_error(choices, outcome) or no_became_yes_error(args.became_yes, outcome)


def check_deeper_early(args: argparse.Namespace) -> None:
    """Refuse what the deeper-practice flags cannot record, before any prompt: too many
    --context tags, --after-no/--became-yes with a given outcome other than rejected."""
    if len(once_each(args.contexts or ())) > MAX_CONTEXTS:
        raise Refused(f"At most {MAX_CONTEXTS} contexts per attempt (--context).")
    if args.outcome is not None and (args.after_no or args.became_yes):
        problem = after_no_problem(args, args.outcome)
        if problem:
            raise Refused(f"{problem} (--after-no and --became-yes need --outcome rejected).")


def once_each(tags: Iterable[str]) -> tuple[str, ...]:
    """``tags`` once each (case aside, as the After form), the first spelling, in the order given."""
    seen: set[str] = set()
    kept: list[str] = []
    for tag in tags:
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            kept.append(tag)
    return tuple(kept)


def with_deeper(attempt: Attempt, args: argparse.Namespace) -> Attempt:
    """``attempt`` (rated) with the deeper-practice flags given; ``ValidationError`` if they cannot be."""
    problem = after_no_problem(args, attempt.outcome)
    if problem:
        raise Refused(f"{problem} (--after-no and --became-yes need --outcome rejected).")
    contexts = once_each(args.contexts or ())
    return replace(
        attempt,
        surprise=args.surprise,
        cost_actual=args.cost_actual,
        p_rejection_next=args.p_rejection_next,
        contexts=contexts,
        after_no=tuple(choice.value for choice in normalised(args.after_no or ())),
        no_became_yes=args.became_yes,
    ).validated()


def shell_plan(
    challenge: Challenge,
    fear: int,
    chance: int | None,
    texts: dict[str, str],
    *,
    when: datetime | None = None,
) -> Attempt:
    """The before part entered from the shell; ``when``: logged afterwards (retro) at that time."""
    return Attempt.plan(
        challenge,
        fear_before=fear,
        p_rejection=chance,
        worry=texts.get("worry", ""),
        note=texts.get("note", ""),
        now=when,
        via=VIA_SHELL,
        retro=when is not None,
    )


def run_plan(path: Path, args: argparse.Namespace, asker: Asker) -> int:
    snapshot = read_snapshot(path, prompt=False, locked_ok=True)
    challenge, new = pick_challenge(args, snapshot, asker)
    fear, chance = before_values(args, asker)
    texts = asker.texts({"worry": "What are you afraid might happen? (Enter to skip): "}, "worry")
    attempt = shell_plan(challenge, fear, chance, texts)
    chance_text = f", chance of a no {chance}%" if chance is not None else ""
    done = f"Planned: {challenge.title} (expected fear {fear}{chance_text}). Afterwards: rejection-tui rate"
    return record(path, Entry(ADD, attempt, new), done)


def run_rate(path: Path, args: argparse.Namespace, asker: Asker) -> int:
    queue = queue_of(path)
    if not queue:
        raise Refused("nothing is waiting to be rated. Plan an ask first: rejection-tui plan")
    if args.number is None:
        chosen = newest(queue)
        assert chosen is not None
    elif 1 <= args.number <= len(queue):
        chosen = queue[args.number - 1]
    else:
        raise Refused(f"there is no ask number {args.number}: `rejection-tui pending` lists {len(queue)}.")
    planned = chosen.attempt
    check_deeper_early(args)
    if asker.interactive:
        waited = waited_phrase(chosen.waited)
        out(f"Rating: {planned.challenge_title} ({waited}, expected fear {planned.fear_before})", sys.stderr)
    fear, outcome, happened = after_values(args, asker, planned.worry)
    texts = asker.texts({"lesson": "What did you learn? (Enter to skip): "}, "lesson")
    note = texts.get("note")
    rated = with_deeper(
        planned.rate(
            fear_after=fear,
            outcome=outcome,
            worry_happened=happened,
            lesson=texts.get("lesson", ""),
            note=None if note is None else (f"{planned.note}\n{note}".strip()),
        ),
        args,
    )
    done = f"Rated: {planned.challenge_title} (expected {planned.fear_before}, felt {fear}, {outcome.label})."
    return record(path, Entry(RATE, rated), done)


def run_log(path: Path, args: argparse.Namespace, asker: Asker) -> int:
    check_deeper_early(args)
    snapshot = read_snapshot(path, prompt=False, locked_ok=True)
    challenge, new = pick_challenge(args, snapshot, asker)
    when = args.when or now_local()
    fear_before, chance = before_values(args, asker)
    worry_prompt = {"worry": "What were you afraid of? (Enter to skip): "}
    lesson_prompt = {"lesson": "What did you learn? (Enter to skip): "}
    if asker.interactive:  # in the order it happened: the fear, then how it went
        texts = asker.texts(worry_prompt, "worry")
        fear_after, outcome, happened = after_values(args, asker, texts.get("worry", ""))
        texts |= asker.texts(lesson_prompt, "lesson")
    else:  # standard input is read once
        fear_after, outcome, happened = after_values(args, asker, "")
        texts = asker.texts(worry_prompt | lesson_prompt, "lesson")
    planned = shell_plan(challenge, fear_before, chance, texts, when=when)
    attempt = with_deeper(
        planned.rate(
            fear_after=fear_after,
            outcome=outcome,
            worry_happened=happened,
            lesson=texts.get("lesson", ""),
            now=when,
        ),
        args,
    )
    done = f"Logged: {challenge.title} on {when:%Y-%m-%d %H:%M} (felt {fear_after}, {outcome.label})."
    return record(path, Entry(ADD, attempt, new), done)


def waiting_count(path: Path) -> int:
    """How many asks wait: the status file when fresh, else the journal; for an encrypted
    journal with no passphrase at hand, the status file as the app last wrote it."""
    count = fast_count(path)
    if count is not None:
        return count
    try:
        return len(queue_of(path, prompt=False))  # counts never ask for the passphrase
    except JournalEncrypted:
        status = read_status(path)
        if status is None:
            raise
        return status["pending"]  # may leave out what the shell recorded since: it is sealed


def run_pending(path: Path, args: argparse.Namespace) -> int:
    if args.count:
        out(str(waiting_count(path)))
        return 0
    queue = queue_of(path)
    tell_copies_waiting(path)
    if args.json:
        rows = [
            {
                "number": number,
                "id": w.attempt.id,
                "challenge": w.attempt.challenge_title,
                "level": w.attempt.level,
                "planned_at": w.attempt.created_at.isoformat(),
                "waited_minutes": int(w.waited.total_seconds() // 60),
                "overdue": w.overdue,
            }
            for number, w in enumerate(queue, start=1)
        ]
        text = json.dumps(rows, ensure_ascii=False, indent=2)
        sys.stdout.write((visible(text) if sys.stdout.isatty() else text) + "\n")
        return 0
    if not queue:
        out("Nothing is waiting to be rated.")
        return 0
    for number, w in enumerate(queue, start=1):
        late = ", overdue" if w.overdue else ""
        waited = f"{waited_phrase(w.waited)}{late}"
        out(f"{number:>3}. {w.attempt.challenge_title} — {waited} — expected fear {w.attempt.fear_before}")
    out("Rate one: rejection-tui rate N (without N: the newest).")
    return 0


def fast_count(path: Path) -> int | None:
    """The count from the status file when it is at least as new as the journal and the inbox
    is empty (the status file is written after each save); None when it cannot be trusted."""
    from rejection_tui.storage.inbox import status_path

    try:
        fresh = status_path(path).stat().st_mtime_ns >= path.stat().st_mtime_ns
    except OSError:
        return None
    if not fresh or waiting_files(path):
        return None
    status = read_status(path)
    return None if status is None else status["pending"]


def run_remind(
    path: Path, args: argparse.Namespace, notifier: Callable[[str], str | None] | None = None
) -> int:
    line = remind_text(waiting_count(path))
    if line is None:
        return 0
    if args.notify:
        problem = (notifier or notify)(line)
        if problem:
            say(problem)
    out(line)
    return 0


def notify(line: str) -> str | None:
    """Send ``line`` to the local desktop's notifications; the problem in words, or None."""
    for command in (
        ["notify-send", "--app-name=rejection-tui", "rejection-tui", line],
        ["termux-notification", "--title", "rejection-tui", "--content", line],
    ):
        if shutil.which(command[0]) is None:
            continue
        try:
            subprocess.run(command, check=True, timeout=10, capture_output=True)
        except (OSError, subprocess.SubprocessError) as error:
            return f"the notification could not be sent ({command[0]}: {error})."
        return None
    return "no desktop notifier was found (notify-send or termux-notification); the line is printed instead."


def run(command: str, path: Path, args: argparse.Namespace, asker: Asker | None = None) -> int:
    asker = asker or Asker()
    try:
        if command == "plan":
            return run_plan(path, args, asker)
        if command == "rate":
            return run_rate(path, args, asker)
        if command == "log":
            return run_log(path, args, asker)
        if command == "pending":
            return run_pending(path, args)
        return run_remind(path, args)
    except (Refused, TooLong) as problem:
        say(
            f"{problem}. Nothing was recorded."
            if isinstance(problem, TooLong)
            else f"{problem} Nothing was recorded."
        )
        return EXIT_PROBLEM
    except Missing as missing:
        say(f"{missing}. Nothing was recorded.")
        return EXIT_PROBLEM
    except (Cancelled, KeyboardInterrupt):  # ctrl+d or ctrl+c before anything was written
        if command not in READERS:
            say("Nothing was recorded.")
        return EXIT_CANCELLED
    except JournalError as error:
        say(error.message if command in READERS else f"{error.message} Nothing was recorded.")
        return EXIT_JOURNAL
    except ValidationError as error:
        say(f"{' '.join(error.messages)}. Nothing was recorded.")
        return EXIT_PROBLEM
    finally:
        if asker.interactive:
            forget_typed_ahead()
