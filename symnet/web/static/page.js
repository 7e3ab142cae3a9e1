// The page: the exercise's math typeset by KaTeX, the answer previewed as it is typed, and
// symnet's verdicts from the worker (worker.js).  This script runs before KaTeX's, so that
// Python starts loading at once; KaTeX is there by DOMContentLoaded.  Text from the student or
// from symnet is set as text (textContent), never as HTML; math goes through KaTeX, which
// escapes what it prints.
"use strict";

const config = JSON.parse(document.getElementById("exercise").textContent);
const $ = (id) => document.getElementById(id);
const worker = new Worker("worker.js", { type: "module" });
const pending = new Map();
let nextId = 0;
// when things happened, in ms since the page opened (read by the benchmark and the tests)
window.symnetTimes = { ready: null, verdicts: [], phases: {}, snapshot: null };

worker.onmessage = (event) => {
  const { id, reply, failed, ready, phases, snapshot, startFailed } = event.data;
  if (startFailed) {
    setStatus("error", "Python could not start in this browser: " + startFailed);
    return;
  }
  if (ready) {
    window.symnetTimes.ready = performance.now();
    window.symnetTimes.snapshot = snapshot;
    window.symnetTimes.phases = Object.fromEntries(Object.entries(phases).map(
      ([name, time]) => [name, time - performance.timeOrigin]));
    setStatus("ready", "");
    preview();
    return;
  }
  const resolve = pending.get(id);
  pending.delete(id);
  resolve(failed ? { failed } : reply);
};
worker.postMessage({ config });

// the chosen quiz variant's point (every leaf's value), or null: answers are then expressions
let point = null;

function ask(kind, text) {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    worker.postMessage({ id, kind, text, at: point && JSON.stringify(point) });
  });
}

function setStatus(state, message) {
  const status = $("status");
  status.dataset.state = state;
  status.textContent = message;
}

function typeset(element, tex, display) {
  katex.render(tex, element, { throwOnError: false, displayMode: display });
}

function typesetPage() {
  for (const element of document.querySelectorAll("[data-tex]")) {
    typeset(element, element.dataset.tex, element.classList.contains("display"));
  }
}

// the preview: symnet's reading of the answer once Python is there, else the text as LaTeX
let previewed = 0;
async function preview() {
  const text = $("answer").value;
  const box = $("preview"), note = $("preview-note");
  const mine = ++previewed;
  if (!text.trim()) {
    box.textContent = "";
    note.textContent = "";
    return;
  }
  if (window.symnetTimes.ready === null) {
    typeset(box, text, true);
    note.textContent = "(as typed; symnet's reading follows once Python has loaded)";
    return;
  }
  const reply = await ask("preview", text);
  if (mine !== previewed) return;  // a later keystroke has its own preview
  if (reply.latex !== undefined) {
    typeset(box, reply.latex, true);
    note.textContent = "";
  } else {
    box.textContent = "";  // not the reading of an earlier answer under this one
    note.textContent = reply.error || reply.failed;
  }
}

let timer;
let checked = 0;  // the answer a verdict is about: an edit makes the shown one stale
$("answer").addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(preview, 120);
  checked++;
  show($("verdict"), "", "");
  $("diagnosis").replaceChildren();
  $("credit").textContent = "";
});

function show(element, state, message) {
  element.dataset.state = state;
  element.textContent = message;
}

async function checkAnswer(event) {
  event.preventDefault();
  const text = $("answer").value;
  const verdict = $("verdict"), diagnosis = $("diagnosis"), credit = $("credit");
  diagnosis.replaceChildren();
  credit.textContent = "";
  show(verdict, "pending", window.symnetTimes.ready === null ?
       "Python is loading; your answer is checked as soon as it is there…" : "Checking…");
  const asked = performance.now(), mine = ++checked;
  const reply = await ask("verdict", text);
  if (mine !== checked) return;  // the answer was edited meanwhile: not its verdict
  window.symnetTimes.verdicts.push({ asked, shown: performance.now() });
  if (reply.failed) {
    show(verdict, "error", "symnet failed: " + reply.failed);
  } else if (reply.error) {
    show(verdict, "error", "symnet cannot read your answer: " + reply.error);
  } else if (reply.correct) {
    show(verdict, "correct", "Correct.");
  } else {
    show(verdict, "incorrect", "Not right yet.");
    for (const sentence of reply.diagnosis) {
      const item = document.createElement("li");
      item.textContent = sentence;
      diagnosis.append(item);
    }
    if (!reply.diagnosis.length) {
      const item = document.createElement("li");
      item.textContent = "no known slip explains it; compare your answer with the chain rule, " +
                         "factor by factor";
      diagnosis.append(item);
    }
    const c = reply.counterexample;
    if (c) {
      const item = document.createElement("li");
      item.className = "numbers";
      item.textContent = `at one point your answer is ${c.answer.toPrecision(6)}, ` +
                         `but the derivative is ${c.expected.toPrecision(6)}`;
      diagnosis.append(item);
    }
  }
  if (reply.credit !== undefined && reply.credit !== null) {
    credit.textContent = `Credit: ${reply.credit.toFixed(2)} (the share of the chain's paths ` +
                         "and factors that are right)";
  }
}

const MARKS = { true: "right", false: "wrong", null: "not judged" };

async function checkDerivation(event) {
  event.preventDefault();
  const table = $("steps-result"), summary = $("steps-summary");
  table.replaceChildren();
  show(summary, "pending", "Checking each line…");
  const reply = await ask("derivation", $("steps").value);
  if (reply.failed || reply.error) {
    show(summary, "error", "symnet cannot read your derivation: " + (reply.error || reply.failed));
    return;
  }
  for (const step of reply.steps) {
    const row = table.insertRow();
    const mark = step.follows ? "carried" : MARKS[step.correct];
    row.dataset.state = mark;
    const cells = [`line ${step.number}`, mark, step.kind, step.line];
    for (const text of cells) row.insertCell().textContent = text;
    const why = row.insertCell();
    why.textContent = step.follows ? `follows from line ${step.follows}` : (step.diagnosis || "");
  }
  show(summary, reply.correct ? "correct" : "incorrect", reply.correct ?
       "Every line is right." : `The first error is on line ${reply.first_error}.`);
}

function chooseVariant(event) {
  event.preventDefault();
  const code = $("variant").value.trim();
  const variant = Object.hasOwn(config.variants, code) ? config.variants[code] : null;
  const out = $("variant-numbers");
  point = variant && variant.at;
  if (!variant) {
    show(out, "error", `There is no variant ${code}: the variants are 1 to ` +
                       `${Object.keys(config.variants).length}.`);
    return;
  }
  out.dataset.state = "chosen";
  const numbers = document.createElement("span");
  typeset(numbers, variant.tex, false);
  out.replaceChildren(`Variant ${code}: at `, numbers, ", your answer may be the number " +
                      "(4 significant digits are enough) or the expression.");
}

$("variant-form").addEventListener("submit", chooseVariant);
$("answer-form").addEventListener("submit", checkAnswer);
$("steps-form").addEventListener("submit", checkDerivation);
document.addEventListener("DOMContentLoaded", typesetPage);
