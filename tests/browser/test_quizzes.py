"""The self-check questions work on the built site: on every page that has them, every question is a form
with a feedback line that screen readers announce; one question answered right (with the mouse) and one
wrong (with the keyboard alone), and a number question through all its verdicts, show the explanation
written for that answer; the page stays free of serious axe-core violations; the
questions are readable with scripts off and when printed. Screenshots of a question (desktop and phone) land
in _build/screenshots/quiz__*.png.

The expected questions, answers and explanations come from the notebooks (tests/test_quizzes_markup.py parses them).
"""

from __future__ import annotations

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
from test_quizzes_markup import NOTEBOOKS, Quiz, quizzes_in  # noqa: E402

QUIZ_PAGES = {f"notebooks/{path.stem}.html": quizzes_in(path) for path in NOTEBOOKS if quizzes_in(path)}


def _same_text(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _expect_feedback(quiz_el, text: str):
    from playwright.sync_api import expect

    expect(quiz_el.locator(".quiz-feedback")).to_have_text(_same_text(text), timeout=3000)


def _answer_choice_right_with_the_mouse(quiz_el, quiz: Quiz):
    right = next(i for i, c in enumerate(quiz.choices) if c.right)
    quiz_el.locator(".quiz-option").nth(right).click()
    quiz_el.locator("button.quiz-check").click()
    _expect_feedback(quiz_el, quiz.choices[right].explanation)
    assert "quiz-feedback-right" in quiz_el.locator(".quiz-feedback").get_attribute("class")


def _answer_choice_wrong_with_the_keyboard(page, quiz_el, quiz: Quiz):
    wrong = next(i for i, c in enumerate(quiz.choices) if not c.right)
    radios = quiz_el.locator("input[type=radio]")
    radios.first.focus()
    page.keyboard.press("Space")               # selects the first choice
    for _ in range(wrong):
        page.keyboard.press("ArrowDown")       # moves the selection down the group
    assert radios.nth(wrong).is_checked()
    page.keyboard.press("Tab")                 # from the group to its Check button
    assert page.evaluate("() => document.activeElement.classList.contains('quiz-check')")
    page.keyboard.press("Enter")
    _expect_feedback(quiz_el, quiz.choices[wrong].explanation)
    assert quiz.choices[wrong].explanation.startswith("Not quite:")


def _answer_number(page, quiz_el, quiz: Quiz):
    field = quiz_el.locator("input.quiz-number-input")
    # Wrong, by keyboard: a typical wrong value gets its own explanation, any other the general hint.
    if quiz.typical:
        value, _, text = quiz.typical[0]
        field.focus()
        page.keyboard.type(f"{value:g}")
        page.keyboard.press("Enter")
        _expect_feedback(quiz_el, text)
    field.fill("123456")
    page.keyboard.press("Enter")
    _expect_feedback(quiz_el, quiz.general)
    field.fill("not a number")
    quiz_el.locator("button.quiz-check").click()
    _expect_feedback(quiz_el, "Type a number, for example 0.25.")
    # Right, with the mouse, written with a decimal comma.
    field.fill(f"{quiz.answer:g}".replace(".", ","))
    quiz_el.locator("button.quiz-check").click()
    _expect_feedback(quiz_el, quiz.right)
    assert "quiz-feedback-right" in quiz_el.locator(".quiz-feedback").get_attribute("class")


def quiz_problems(page, path: str, screenshot_dir) -> list[str]:
    """Every question of the open page became a form with an announced feedback line; one question answered
    right with the mouse and one wrong with the keyboard (two different ones where the page has two
    multiple-choice questions), and the first number question through all its verdicts. Called by
    test_site.py's test of each page, which then runs axe-core over the page with the answered forms."""
    quizzes = QUIZ_PAGES.get(path, [])
    if not quizzes:
        return []
    page.wait_for_function("n => document.querySelectorAll('.quiz.quiz-ready').length === n", arg=len(quizzes),
                           timeout=5000)
    elements = page.locator(".bd-article .quiz")
    assert elements.count() == len(quizzes)
    for k, quiz in enumerate(quizzes):  # every question became a form
        quiz_el = elements.nth(k)
        assert _same_text(quiz_el.locator(".quiz-question").inner_text()) == quiz.question
        assert quiz_el.locator(".quiz-feedback").get_attribute("aria-live") == "polite"
        if quiz.kind == "choice":
            assert quiz_el.locator("details").count() == 0, "the script should replace the choices by a form"
            assert quiz_el.locator("[role=radiogroup] input[type=radio]").count() == len(quiz.choices)
    # Every explanation's text is checked against the notebooks by tests/test_quizzes_markup.py.
    choices = [k for k, quiz in enumerate(quizzes) if quiz.kind == "choice"]
    numbers = [k for k, quiz in enumerate(quizzes) if quiz.kind != "choice"]
    if choices:
        _answer_choice_right_with_the_mouse(elements.nth(choices[0]), quizzes[choices[0]])
        _answer_choice_wrong_with_the_keyboard(page, elements.nth(choices[-1]), quizzes[choices[-1]])
    if numbers:
        _answer_number(page, elements.nth(numbers[0]), quizzes[numbers[0]])
    name = path.removesuffix(".html").replace("/", "__")
    elements.first.screenshot(path=str(screenshot_dir / f"quiz__desktop__{name}.png"))
    return []


def test_every_page_with_questions_is_checked():
    from test_site import PAGES

    missing = sorted(set(QUIZ_PAGES) - {p.path for p in PAGES})
    assert not missing, f"pages with questions that test_site.PAGES does not list: {missing}"


def test_a_question_on_a_phone(visit, screenshot_dir):
    path = sorted(QUIZ_PAGES)[0]
    page = visit(path, device="phone").page
    page.wait_for_selector(".quiz.quiz-ready")
    quiz_el = page.locator(".bd-article .quiz").first
    quiz_el.locator(".quiz-option").nth(1).tap()
    quiz_el.locator("button.quiz-check").tap()
    page.wait_for_function("() => document.querySelector('.quiz-feedback').textContent.length > 0")
    box, width = quiz_el.bounding_box(), page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, f"the question is wider than the screen: {box}"
    name = path.removesuffix(".html").replace("/", "__")
    quiz_el.screenshot(path=str(screenshot_dir / f"quiz__phone__{name}.png"))


def test_questions_without_scripts_and_in_print(chromium, site_url):
    path = sorted(QUIZ_PAGES)[0]
    quiz = QUIZ_PAGES[path][0]
    # Scripts off (and so in JupyterLab, which runs none of ours): each choice opens to its explanation.
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + path)
        first = page.locator(".bd-article .quiz").first
        choices = first.locator("details.quiz-choice")
        assert choices.count() == len(quiz.choices)
        explanation = choices.first.locator("p")
        assert not explanation.is_visible()
        choices.first.locator("summary").click()
        assert explanation.is_visible() and _same_text(explanation.inner_text()) == quiz.choices[0].explanation
    finally:
        context.close()
    # Printed: the choices and the right answer; no button.
    context = chromium.new_context()
    try:
        page = context.new_page()
        page.goto(site_url + path)
        page.wait_for_selector(".quiz.quiz-ready")
        page.emulate_media(media="print")
        first = page.locator(".bd-article .quiz").first
        assert not first.locator("button.quiz-check").is_visible()
        printed = first.locator(".quiz-printed-answer")
        right = next(c for c in quiz.choices if c.right)
        assert printed.is_visible() and _same_text(printed.inner_text()) == f"Answer: {right.text}"
    finally:
        context.close()
