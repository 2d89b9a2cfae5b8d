// Shared by the question page and the passage page. Text is always inserted
// as text nodes, never as HTML: report text and questions are untrusted.
"use strict";

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

// The passage text with the highlighted sentence(s) wrapped in <mark>.
function markedText(text, spans) {
  const out = el("div", { class: "text" });
  let at = 0;
  for (const [start, end] of spans || []) {
    out.append(text.slice(at, start), el("mark", {}, text.slice(start, end)));
    at = end;
  }
  out.append(text.slice(at));
  return out;
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message;
  box.hidden = !message;
}

async function getJSON(url, options) {
  let response;
  try {
    response = await fetch(url, options);
  } catch {
    throw new Error("Tjänsten svarar inte. Försök igen om en stund.");
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || `Något gick fel (HTTP ${response.status}).`);
  return body;
}
