"use strict";

function neighbourLink(id, target) {
  const link = document.getElementById(target);
  link.hidden = !id;
  if (id) link.href = `/passage/${encodeURIComponent(id)}`;
}

// The neighbouring passage's text, dimmed, so the reader sees the context.
async function context(id, target) {
  if (!id) return;
  const view = await getJSON(`/passages/${encodeURIComponent(id)}`).catch(() => null);
  if (view) document.getElementById(target).append(markedText(view.passage.text, []));
}

async function show() {
  const id = decodeURIComponent(location.pathname.split("/").pop());
  try {
    const view = await getJSON(`/passages/${encodeURIComponent(id)}`);
    const article = document.getElementById("passage");
    document.getElementById("citation").textContent = view.passage.citation;
    document.getElementById("text").replaceWith(markedText(view.passage.text, []));
    document.title = `${view.passage.citation} – Fråga rapporten`;
    article.hidden = false;
    neighbourLink(view.previous, "previous");
    neighbourLink(view.next, "next");
    await Promise.all([context(view.previous, "before"), context(view.next, "after")]);
    // The text before pushes the cited passage down: bring it back into view.
    if (view.previous) article.scrollIntoView({ block: "start" });
  } catch (error) {
    showError(error.message);
  }
}

show();
