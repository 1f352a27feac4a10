/*
 * Self-check questions (CONTRIBUTING.md, "Exercises that check themselves"). Every page loads this file
 * (_config.yml, html_js_files); it asks nothing of any server.
 *
 * A question is written in a notebook's markdown as plain HTML that works without any script, in
 * JupyterLab too: a <div class="quiz"> holding the question (<p class="quiz-question">) and either
 *   - one <details class="quiz-choice"> per choice (the right one also has the class "quiz-right"), whose
 *     <summary> is the choice and whose body explains it ("Right: ..." / "Not quite: ..."), or
 *   - for a number (<div class="quiz quiz-number" data-answer="2" data-tolerance="0.01">), one <details>
 *     that reveals the answer: <p class="quiz-right">, any <p class="quiz-wrong" data-value="10"> for a
 *     typical wrong value, and a general <p class="quiz-wrong"> hint.
 * Here each question becomes a form: radio buttons (or a text field) and a "Check" button, with one
 * feedback line that screen readers announce (aria-live). The feedback is the explanation written for the
 * chosen answer. Printed, a question shows its choices and the right answer.
 */
(function () {
  "use strict";

  let count = 0;

  const element = (tag, className, text) => {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  };

  // The explanation's content (text, <code>, <em>), copied into the feedback line or the printed answer.
  const copyInto = (target, source) => {
    target.replaceChildren(...Array.from(source.childNodes, (node) => node.cloneNode(true)));
  };

  // The verdict that starts an explanation ("Right:", "Not quite:") in bold.
  const VERDICT = /^(Right:|Not quite:)/;
  const emphasiseVerdict = (el) => {
    const first = el.firstChild;
    const match = first && first.nodeType === Node.TEXT_NODE && first.nodeValue.match(VERDICT);
    if (!match) return;
    first.nodeValue = first.nodeValue.slice(match[1].length);
    el.prepend(element("strong", "", match[1]));
  };

  // Setting the same text twice is not announced again: clear the line first, then fill it a moment later.
  const say = (feedback, source, verdict) => {
    feedback.className = "quiz-feedback";
    feedback.replaceChildren();
    window.setTimeout(() => {
      if (verdict) feedback.classList.add(`quiz-feedback-${verdict}`);
      if (typeof source === "string") feedback.textContent = source;
      else copyInto(feedback, source);
      emphasiseVerdict(feedback);
    }, 50);
  };

  const explanation = (details) =>
    details.querySelector(":scope > :not(summary)") || element("p", "", "(no explanation written)");

  function controls(quiz, id) {
    const button = element("button", "quiz-check", "Check");
    button.type = "button";
    const feedback = element("p", "quiz-feedback");
    feedback.id = `${id}-feedback`;
    feedback.setAttribute("aria-live", "polite");
    const printed = element("p", "quiz-printed-answer");
    const row = element("div", "quiz-controls");
    row.append(button);
    return { button, feedback, printed, row };
  }

  function enhanceChoices(quiz, question, id) {
    const choices = Array.from(quiz.querySelectorAll(":scope > details.quiz-choice"));
    if (choices.length < 2) return;
    const group = element("div", "quiz-options");
    group.setAttribute("role", "radiogroup");
    group.setAttribute("aria-labelledby", question.id);
    choices.forEach((details, index) => {
      const label = element("label", "quiz-option");
      const input = element("input");
      input.type = "radio";
      input.name = id;
      input.value = String(index);
      const text = element("span");
      copyInto(text, details.querySelector(":scope > summary"));
      label.append(input, text);
      group.append(label);
    });
    const { button, feedback, printed, row } = controls(quiz, id);
    const right = choices.find((details) => details.classList.contains("quiz-right"));
    if (right) {
      printed.append("Answer: ");
      printed.append(...Array.from(right.querySelector(":scope > summary").childNodes, (n) => n.cloneNode(true)));
    }
    const check = () => {
      const chosen = group.querySelector("input:checked");
      if (!chosen) {
        say(feedback, "Choose an answer first.", "hint");
        return;
      }
      const details = choices[Number(chosen.value)];
      say(feedback, explanation(details), details.classList.contains("quiz-right") ? "right" : "wrong");
    };
    button.addEventListener("click", check);
    group.addEventListener("change", () => say(feedback, "", null));
    group.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        check();
      }
    });
    choices.forEach((details) => details.remove());
    quiz.append(group, row, feedback, printed);
  }

  // "0.447", "0,447", "-1.5e-3", "1/5": a number, or NaN.
  const parseNumber = (value) => {
    const text = value.trim().replace(/\u2212/g, "-").replace(",", ".");
    const fraction = text.match(/^([-+]?[\d.]+(?:e[-+]?\d+)?)\s*\/\s*([-+]?[\d.]+(?:e[-+]?\d+)?)$/i);
    if (fraction) return Number(fraction[1]) / Number(fraction[2]);
    return text === "" ? NaN : Number(text);
  };

  function enhanceNumber(quiz, question, id) {
    const answer = Number(quiz.dataset.answer);
    const tolerance = Number(quiz.dataset.tolerance || "0");
    const details = quiz.querySelector(":scope > details");
    const rightText = quiz.querySelector(".quiz-right");
    if (!Number.isFinite(answer) || !details || !rightText) return;
    const wrongs = Array.from(quiz.querySelectorAll(".quiz-wrong"));
    const typical = wrongs.filter((p) => p.dataset.value !== undefined);
    const general = wrongs.find((p) => p.dataset.value === undefined);
    const near = (value, target, tol) => Math.abs(value - target) <= tol + 1e-9 * Math.abs(target);

    const label = element("label", "quiz-number-label", "Your answer");
    const input = element("input", "quiz-number-input");
    input.type = "text";
    input.inputMode = "decimal";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.id = `${id}-input`;
    input.setAttribute("aria-describedby", question.id);
    label.htmlFor = input.id;
    const { button, feedback, printed, row } = controls(quiz, id);
    row.prepend(label, input);
    printed.append("Answer: ");
    printed.append(...Array.from(rightText.childNodes, (n) => n.cloneNode(true)));
    const lead = printed.childNodes[1];
    if (lead && lead.nodeType === Node.TEXT_NODE) lead.nodeValue = lead.nodeValue.replace(VERDICT, "").trimStart();
    const check = () => {
      const value = parseNumber(input.value);
      if (!Number.isFinite(value)) {
        say(feedback, "Type a number, for example 0.25.", "hint");
        return;
      }
      if (near(value, answer, tolerance)) {
        say(feedback, rightText, "right");
        return;
      }
      const known = typical.find((p) => near(value, Number(p.dataset.value), Number(p.dataset.tolerance || tolerance)));
      say(feedback, known || general || "Not quite: try again.", "wrong");
    };
    button.addEventListener("click", check);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        check();
      }
    });
    details.remove();
    quiz.append(row, feedback, printed);
  }

  function enhance(quiz) {
    const question = quiz.querySelector(":scope > .quiz-question");
    if (!question || quiz.classList.contains("quiz-ready")) return;
    count += 1;
    const id = `quiz-${count}`;
    question.id = question.id || `${id}-question`;
    if (quiz.classList.contains("quiz-number")) enhanceNumber(quiz, question, id);
    else enhanceChoices(quiz, question, id);
    quiz.classList.add("quiz-ready");
  }

  const start = () => document.querySelectorAll(".quiz").forEach(enhance);
  if (document.readyState !== "loading") start();
  else document.addEventListener("DOMContentLoaded", start);
})();
