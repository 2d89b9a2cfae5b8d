// The cited page of the original PDF with the passage highlighted and the answering
// sentence more strongly: PDF.js draws the page and its text layer, the boxes come from
// the service (/passages/{id} for the passage, /passages/{id}/boxes for the sentence).
// The URL (/view/{id}?span=start-end&page=n) opens the same view again.
import * as pdfjs from "/static/node_modules/pdfjs-dist/build/pdf.min.mjs";

const PDFJS = "/static/node_modules/pdfjs-dist";
pdfjs.GlobalWorkerOptions.workerSrc = `${PDFJS}/build/pdf.worker.min.mjs`;
// Fonts a PDF names without embedding, character maps and image decoders: all served here, never a CDN.
const RESOURCES = {
  standardFontDataUrl: `${PDFJS}/standard_fonts/`, cMapUrl: `${PDFJS}/cmaps/`, wasmUrl: `${PDFJS}/wasm/`,
  iccUrl: `${PDFJS}/iccs/`,
  isEvalSupported: false,
};

const MAX_SCALE = 2; // a narrow page is not blown up past twice its printed size
const id = decodeURIComponent(location.pathname.split("/").pop());
const params = new URLSearchParams(location.search);
const span = /^\d+-\d+$/.test(params.get("span") || "") ? params.get("span") : null;
const sheet = document.getElementById("sheet");
const previousButton = document.getElementById("previous-page");
const nextButton = document.getElementById("next-page");
let view = null; // {passage, strong, pdf, page}
let rendering = null;

// The page number as printed: the passage knows the printed number of its own pages;
// the pages around it are numbered on from there.
function pageLabel(number) {
  const { pages, pdf_pages: pdfPages } = view.passage;
  const at = pdfPages.indexOf(number);
  const printed = at >= 0 && at < pages.length ? pages[at] : pages[0] + number - pdfPages[0];
  return printed >= 1 ? `s. ${printed}` : `PDF-sida ${number}`;
}

function box(page, x0, top, x1, bottom, scale, strong) {
  const div = el("div", { class: strong ? "hl strong" : "hl" });
  Object.assign(div.style, {
    left: `${x0 * scale - 2}px`, top: `${top * scale - 2}px`,
    width: `${(x1 - x0) * scale + 4}px`, height: `${(bottom - top) * scale + 4}px`,
  });
  return div;
}

function shareUrl(number) {
  const query = new URLSearchParams();
  if (span) query.set("span", span);
  query.set("page", number);
  return `/view/${encodeURIComponent(id)}?${query}`;
}

async function show(number, scrollToPassage) {
  rendering?.cancel();
  const page = await view.pdf.getPage(number);
  const frame = document.getElementById("sheet-frame");
  const scale = Math.min(MAX_SCALE, (frame.clientWidth - 4) / page.getViewport({ scale: 1 }).width);
  const viewport = page.getViewport({ scale });
  const ratio = window.devicePixelRatio || 1;
  const canvas = document.getElementById("canvas");
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  sheet.style.setProperty("--scale-factor", scale);
  sheet.style.setProperty("--total-scale-factor", scale);
  Object.assign(sheet.style, { width: `${viewport.width}px`, height: `${viewport.height}px` });
  rendering = page.render({ canvas, viewport, transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0] });
  try {
    await rendering.promise;
  } catch (error) {
    if (error instanceof pdfjs.RenderingCancelledException) return; // a newer page is on its way
    throw error;
  }
  const textLayer = document.getElementById("text-layer");
  textLayer.replaceChildren();
  await new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: textLayer, viewport }).render();

  const onPage = (boxes, strong) => boxes.filter((b) => b[0] === number).map((b) => box(...b, scale, strong));
  const highlights = document.getElementById("highlights");
  highlights.replaceChildren(...onPage(view.passage.boxes, false), ...onPage(view.strong, true));

  view.page = number;
  document.getElementById("page-label").textContent = pageLabel(number);
  document.getElementById("page-count").textContent = `(sida ${number} av ${view.pdf.numPages} i PDF-filen)`;
  previousButton.disabled = number <= 1;
  nextButton.disabled = number >= view.pdf.numPages;
  const url = shareUrl(number);
  history.replaceState(null, "", url);
  document.getElementById("share").href = url;
  const target = highlights.querySelector(".strong") || highlights.querySelector(".hl");
  if (scrollToPassage) target?.scrollIntoView({ block: "center" });
}

// The page to open: the sentence's, else the passage's first; or the page the link names.
function firstPage(passage, strong) {
  const asked = Number(params.get("page"));
  if (Number.isInteger(asked) && asked >= 1) return asked;
  return (strong[0] || passage.boxes[0] || passage.pdf_pages)[0];
}

function spanOffsets() {
  return span ? [span.split("-").map(Number)] : [];
}

async function open() {
  const passage = (await getJSON(`/passages/${encodeURIComponent(id)}`)).passage;
  if (!passage.pdf_pages.length) { // a text or Markdown report: the passage view is all there is
    location.replace(`/passage/${encodeURIComponent(id)}`);
    return;
  }
  const documentUrl = `/reports/${encodeURIComponent(passage.report)}/document`;
  document.getElementById("citation").textContent = passage.citation;
  document.title = `${passage.citation} – Fråga rapporten`;
  document.getElementById("text").replaceWith(markedText(passage.text, spanOffsets()));
  document.getElementById("as-text").href = `/passage/${encodeURIComponent(id)}`;
  document.getElementById("download").href = documentUrl;
  const strong = span ? await getJSON(`/passages/${encodeURIComponent(id)}/boxes?span=${span}`) : [];
  let pdf;
  try {
    pdf = await pdfjs.getDocument({ url: documentUrl, ...RESOURCES }).promise;
  } catch {
    const reason = await getJSON(documentUrl).then(() => "", (error) => `: ${error.message}`);
    throw new Error(`Originalfilen kunde inte visas${reason} Avsnittet står som text nedan.`);
  }
  view = { passage, strong, pdf, page: 0 };
  await show(Math.min(firstPage(passage, strong), pdf.numPages), true);
}

previousButton.addEventListener("click", () => show(view.page - 1, false));
nextButton.addEventListener("click", () => show(view.page + 1, false));
document.getElementById("copy-link").addEventListener("click", async () => {
  const note = document.getElementById("copied");
  try {
    await navigator.clipboard.writeText(new URL(document.getElementById("share").href, location.href).href);
    note.textContent = "Länken är kopierad.";
  } catch {
    note.textContent = "Kopiera länken ovan i stället (kopiering tillåts inte här).";
  }
});

open().catch((error) => showError(error.message));
