"use strict";

const form = document.getElementById("ask");
const results = document.getElementById("results");
const statusLine = document.getElementById("status");
const list = document.getElementById("passages");

async function loadReports() {
  const reports = await getJSON("/reports").catch(() => []);
  if (reports.length < 2) return;
  const select = document.getElementById("report");
  for (const report of reports) select.append(el("option", { value: report.id }, report.title));
  document.getElementById("report-choice").hidden = false;
}

// A PDF report's citation opens the original page (viewer.js), with the answering sentence
// marked; a text or Markdown report's opens the passage in context.
function citationUrl(passage) {
  const id = encodeURIComponent(passage.id);
  if (!passage.pdf_pages.length) return `/passage/${id}`;
  const spans = passage.highlight_spans || [];
  return spans.length ? `/view/${id}?span=${spans[0][0]}-${spans[spans.length - 1][1]}` : `/view/${id}`;
}

function passageItem(passage, answered) {
  const item = el("li");
  // The answering sentence(s) first, unless there is no answer or they are the whole passage anyway.
  if (answered && passage.highlight && passage.highlight.length < passage.text.trim().length) {
    item.append(el("p", { class: "answer" }, passage.highlight));
  }
  item.append(markedText(passage.text, passage.highlight_spans));
  const link = el("a", { href: citationUrl(passage) }, passage.citation);
  item.append(el("p", { class: "citation" }, "Källa: ", link));
  return item;
}

function render(answer) {
  list.replaceChildren(...answer.passages.map((passage) => passageItem(passage, answer.answered)));
  list.classList.toggle("uncertain", !answer.answered);
  statusLine.classList.toggle("notice", !answer.answered);
  statusLine.textContent = answer.answered
    ? `${answer.passages.length} avsnitt ur rapporten, bäst först.`
    : answer.message;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const body = { question: data.get("q"), k: Number(data.get("k")) };
  if (data.get("report")) body.report = data.get("report");
  const button = form.querySelector("button");
  button.disabled = true;
  results.setAttribute("aria-busy", "true");
  statusLine.textContent = "Söker …";
  showError("");
  try {
    render(await getJSON("/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }));
  } catch (error) {
    list.replaceChildren();
    statusLine.textContent = "";
    showError(error.message);
  } finally {
    button.disabled = false;
    results.setAttribute("aria-busy", "false");
  }
});

loadReports();
