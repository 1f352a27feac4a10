"""The self-check questions in the notebooks are well formed (CONTRIBUTING.md, "Exercises that check themselves").

A question is a raw HTML block in a markdown cell: ``<div class="quiz">`` with a question and either
choices (``<details class="quiz-choice">``, exactly one also ``quiz-right``) or, for a number
(``class="quiz quiz-number" data-answer=... data-tolerance=...``), one ``<details>`` with the right answer
(``p.quiz-right``), typical wrong values (``p.quiz-wrong`` with ``data-value``) and a general hint
(``p.quiz-wrong``). Without a script (in JupyterLab) the reader opens the ``<details>``; on the site
book/_static/lessons-quiz.js turns each question into a small form. The parser below is also what
tests/browser/test_quizzes.py uses to know which answers and explanations to expect.

Every section has at least two questions (the last test of the notebooks' questions below).
"""

from __future__ import annotations

import dataclasses
import html.parser
import pathlib
import re

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# Tags and attributes a question may use: all kept by JupyterLab's HTML sanitizer (its allow-list in
# @jupyterlab/apputils), except the data-* attributes, which only the site's script reads.
TAGS = {"div", "p", "details", "summary", "code", "em", "strong", "span", "sub", "sup", "br"}
ATTRIBUTES = {"class", "data-answer", "data-tolerance", "data-value"}
RIGHT, WRONG = "Right:", "Not quite:"
# A quiz starts an HTML block; CommonMark ends that block at the first blank line.
QUIZ_START = re.compile(r'^<div class="quiz[ "]', re.M)


@dataclasses.dataclass
class Node:
    tag: str
    attrs: dict
    children: list = dataclasses.field(default_factory=list)
    text: str = ""

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def elements(self, tag: str | None = None) -> list[Node]:
        return [c for c in self.children if isinstance(c, Node) and (tag is None or c.tag == tag)]

    def plain(self) -> str:
        parts = [c if isinstance(c, str) else c.plain() for c in self.children]
        return re.sub(r"\s+", " ", "".join(parts)).strip()


class _TreeBuilder(html.parser.HTMLParser):
    VOID = {"br"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if len(self.stack) > 1 and self.stack[-1].tag == tag:
            self.stack.pop()
        else:
            self.problems.append(f"unexpected </{tag}>")

    def handle_data(self, data):
        self.stack[-1].children.append(data)


@dataclasses.dataclass
class Choice:
    text: str
    explanation: str
    right: bool


@dataclasses.dataclass
class Quiz:
    """One self-check question as a reader meets it; ``problems`` lists what is malformed in it."""

    notebook: str
    question: str
    kind: str  # "choice" or "number"
    choices: list[Choice] = dataclasses.field(default_factory=list)
    answer: float | None = None
    tolerance: float | None = None
    right: str = ""
    typical: list[tuple[float, float, str]] = dataclasses.field(default_factory=list)  # (value, tolerance, text)
    general: str = ""
    problems: list[str] = dataclasses.field(default_factory=list)


def quiz_blocks(markdown: str) -> list[str]:
    """The raw HTML blocks of a markdown cell that start a quiz, each up to the first blank line."""
    return [re.split(r"\n[ \t]*\n", markdown[m.start():], maxsplit=1)[0] for m in QUIZ_START.finditer(markdown)]


def _number(text, what: str, problems: list[str]) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        problems.append(f"{what} should be a number, got {text!r}")
        return None
    if value != value or value in (float("inf"), float("-inf")):
        problems.append(f"{what} should be finite, got {text!r}")
        return None
    return value


def parse_quiz(block: str, notebook: str = "") -> Quiz:
    builder = _TreeBuilder()
    builder.feed(block)
    builder.close()
    problems = list(builder.problems)
    if len(builder.stack) > 1:
        problems.append(f"<{builder.stack[-1].tag}> is not closed (a blank line inside a quiz ends the HTML block)")
    tops = builder.root.elements()
    if len(tops) != 1 or tops[0].tag != "div" or "quiz" not in tops[0].classes:
        problems.append("a quiz is exactly one <div class=\"quiz\"> (with nothing after it in the block)")
    if "$" in block or "\\" in block:
        problems.append("write math in a quiz as plain text and Unicode (‖w‖, √5, η), not TeX")

    def walk(node):
        yield node
        for child in node.elements():
            yield from walk(child)

    for node in walk(builder.root):
        if node.tag == "root":
            continue
        if node.tag not in TAGS:
            problems.append(f"<{node.tag}> is not one of the tags a quiz may use: {sorted(TAGS)}")
        for name in node.attrs:
            if name not in ATTRIBUTES:
                problems.append(f"attribute {name} is not one a quiz may use: {sorted(ATTRIBUTES)}")
    div = tops[0] if tops else Node("div", {})
    parts = div.elements()
    question = parts[0].plain() if parts and parts[0].tag == "p" and "quiz-question" in parts[0].classes else ""
    if not question:
        problems.append('a quiz starts with its question, <p class="quiz-question">...</p>')
    kind = "number" if "quiz-number" in div.classes else "choice"
    quiz = Quiz(notebook, question, kind, problems=problems)
    if kind == "choice":
        _parse_choices(quiz, parts[1:])
    else:
        _parse_number(quiz, div, parts[1:])
    return quiz


def _parse_choices(quiz: Quiz, parts: list[Node]) -> None:
    for details in parts:
        if details.tag != "details" or "quiz-choice" not in details.classes:
            quiz.problems.append(f"after the question come only <details class=\"quiz-choice\">, not <{details.tag}>")
            continue
        inner = details.elements()
        if len(inner) != 2 or inner[0].tag != "summary" or inner[1].tag == "summary":
            quiz.problems.append("a choice is <details><summary>choice</summary><p>explanation</p></details>")
            continue
        quiz.choices.append(Choice(inner[0].plain(), inner[1].plain(), "quiz-right" in details.classes))
    if len(quiz.choices) < 2:
        quiz.problems.append("a multiple-choice question needs at least two choices")
    if sum(c.right for c in quiz.choices) != 1:
        found = sum(c.right for c in quiz.choices)
        quiz.problems.append(f"exactly one choice is right (class quiz-right); found {found}")
    for c in quiz.choices:
        if not c.text:
            quiz.problems.append("every choice needs its text in <summary>")
        start = RIGHT if c.right else WRONG
        if not c.explanation.startswith(start) or len(c.explanation) <= len(start) + 10:
            quiz.problems.append(f"the explanation of {c.text!r} should start with {start!r} and say why")
    if len({c.text for c in quiz.choices}) != len(quiz.choices):
        quiz.problems.append("two choices have the same text")


def _parse_number(quiz: Quiz, div: Node, parts: list[Node]) -> None:
    quiz.answer = _number(div.attrs.get("data-answer"), "data-answer", quiz.problems)
    quiz.tolerance = _number(div.attrs.get("data-tolerance", "0"), "data-tolerance", quiz.problems)
    if quiz.tolerance is not None and quiz.tolerance < 0:
        quiz.problems.append("data-tolerance should be >= 0")
    if len(parts) != 1 or parts[0].tag != "details":
        quiz.problems.append("after the question comes one <details> that reveals the answer")
        return
    inner = parts[0].elements()
    if not inner or inner[0].tag != "summary" or not inner[0].plain():
        quiz.problems.append("the answer's <details> starts with a <summary>, e.g. Show the answer")
    for p in inner[1:]:
        text = p.plain()
        if p.tag == "p" and "quiz-right" in p.classes:
            if quiz.right:
                quiz.problems.append("one p.quiz-right only")
            quiz.right = text
        elif p.tag == "p" and "quiz-wrong" in p.classes and "data-value" in p.attrs:
            value = _number(p.attrs["data-value"], "data-value", quiz.problems)
            tol = _number(p.attrs.get("data-tolerance", quiz.tolerance), "data-tolerance", quiz.problems)
            if value is not None and tol is not None:
                quiz.typical.append((value, tol, text))
        elif p.tag == "p" and "quiz-wrong" in p.classes:
            if quiz.general:
                quiz.problems.append("one general p.quiz-wrong only (the others carry data-value)")
            quiz.general = text
        else:
            quiz.problems.append(f"the answer's <details> holds only p.quiz-right and p.quiz-wrong, not <{p.tag}>")
    if not quiz.right.startswith(RIGHT) or len(quiz.right) <= len(RIGHT) + 2:
        quiz.problems.append(f"the answer (p.quiz-right) should start with {RIGHT!r} and explain")
    if not quiz.general.startswith(WRONG):
        quiz.problems.append(f"a general hint for wrong answers (p.quiz-wrong) should start with {WRONG!r}")
    for value, _, text in quiz.typical:
        if not text.startswith(WRONG):
            quiz.problems.append(f"the explanation of the wrong value {value} should start with {WRONG!r}")
        if quiz.answer is not None and quiz.tolerance is not None and abs(value - quiz.answer) <= quiz.tolerance:
            quiz.problems.append(f"the wrong value {value} lies within the tolerance of the answer {quiz.answer}")


def quizzes_in(notebook: pathlib.Path) -> list[Quiz]:
    """Every self-check question of a notebook, in order."""
    cells = nbformat.read(notebook, as_version=4).cells
    return [parse_quiz(block, notebook.name) for cell in cells if cell.cell_type == "markdown"
            for block in quiz_blocks(cell.source)]


def too_few_quizzes(minimum: int = 2) -> dict[str, int]:
    """The notebooks with fewer than ``minimum`` self-check questions, and how many each has."""
    counts = {path.name: len(quizzes_in(path)) for path in NOTEBOOKS}
    return {name: n for name, n in counts.items() if n < minimum}


# ---- the notebooks' questions -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_self_check_question_is_well_formed(path):
    problems = [f"{q.question[:60]!r}: {p}" for q in quizzes_in(path) for p in q.problems]
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)


def test_every_section_has_at_least_two_self_check_questions():
    assert not too_few_quizzes(2), too_few_quizzes(2)


# ---- the parser finds what is wrong -------------------------------------------------------------------------

GOOD_CHOICE = """<div class="quiz">
<p class="quiz-question">Which?</p>
<details class="quiz-choice"><summary>This one</summary><p>Not quite: because of this reason here.</p></details>
<details class="quiz-choice quiz-right"><summary>That one</summary><p>Right: because of that reason here.</p></details>
</div>"""

GOOD_NUMBER = """<div class="quiz quiz-number" data-answer="2" data-tolerance="0.01">
<p class="quiz-question">How far?</p>
<details><summary>Show the answer</summary>
<p class="quiz-right">Right: 2, that is 10 / 5.</p>
<p class="quiz-wrong" data-value="10">Not quite: 10 is |b| alone.</p>
<p class="quiz-wrong">Not quite: divide |b| by the length of w.</p>
</details>
</div>"""


def test_well_formed_examples_parse():
    choice = parse_quiz(GOOD_CHOICE)
    assert not choice.problems and choice.kind == "choice" and [c.right for c in choice.choices] == [False, True]
    number = parse_quiz(GOOD_NUMBER)
    assert not number.problems and number.answer == 2 and number.typical == [(10.0, 0.01, number.typical[0][2])]
    assert quiz_blocks("Intro.\n\n" + GOOD_CHOICE + "\n\nAfter.") == [GOOD_CHOICE]


@pytest.mark.parametrize("block, fragment", [
    (GOOD_CHOICE.replace('"quiz-choice"', '"quiz-choice quiz-right"'), "exactly one choice is right"),
    (GOOD_CHOICE.replace("Right: because", "Because"), "should start with 'Right:'"),
    (GOOD_CHOICE.replace("<p>Not quite: because of this reason here.</p>", ""), "a choice is <details>"),
    (GOOD_CHOICE.replace("</details>\n<details", "</details>\n\n<details", 1), "not closed"),
    (GOOD_CHOICE.replace("Which?", "Which $x$?"), "not TeX"),
    (GOOD_CHOICE.replace("<p class=\"quiz-question\">Which?</p>", ""), "starts with its question"),
    (GOOD_CHOICE.replace("<summary>This one", "<summary><a>This one</a>"), "<a> is not one of the tags"),
    (GOOD_CHOICE.replace('<div class="quiz">', '<div class="quiz" onclick="x()">'), "attribute onclick"),
    (GOOD_NUMBER.replace('data-answer="2"', 'data-answer="two"'), "data-answer should be a number"),
    (GOOD_NUMBER.replace('data-value="10"', 'data-value="2.005"'), "lies within the tolerance"),
    (GOOD_NUMBER.replace('<p class="quiz-wrong">Not quite: divide |b| by the length of w.</p>', ""),
     "a general hint"),
])
def test_malformed_questions_are_reported(block, fragment):
    problems = parse_quiz(quiz_blocks(block)[0]).problems  # the block as Markdown sees it
    assert any(fragment in p for p in problems), problems
