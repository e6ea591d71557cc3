"""The whole book as one PDF, offline and without TeX: a single-page HTML build, printed by Chromium.

  python scripts/book_pdf.py                            # after `jupyter-book build .` (make book)
  python scripts/book_pdf.py --path-output _build/smoke # after the smoke build (tests/test_book.py)

1. ``jupyter-book build --builder singlehtml`` with the same ``--path-output`` as the HTML
   build before it: it shares that build's execution cache and its Sphinx environment
   (``_build/.doctrees``), so it executes nothing and mostly only writes one page.
2. Headless Chromium (through Selenium and chromedriver, as the browser tests use) opens that
   page from a local web server, waits until the local MathJax has typeset every formula and
   every image has loaded, and makes it a printed book (``PREPARE_FOR_PRINT``): links inside
   the book become links inside the PDF (a link to the local server would be dead in the file),
   a link with no target in the book loses its link; hide-input cells print their output only
   (no "Show code cell source" button); an animated GIF prints its last frame; a contents
   list with page numbers goes after the title. The print rules of book/_static/custom.css hide
   the navigation and the screen widgets, start each page of the book on a new sheet, keep
   headings with what follows, let code cells continue across sheets and wrap long lines.
3. ``Page.printToPDF`` (A4, page numbers in the footer, an outline of the headings for the
   PDF reader's bookmarks). The page each chapter starts on is read back from the PDF's text
   (each starts on a new sheet, its title the first line), written into the contents, and
   the book printed again; the second print must agree with the first.
4. The PDF goes beside the HTML book, ``<path-output>/_build/html/gan-book.pdf``, which the
   introduction page links to.

Exits non-zero with the build's log if the single-page build fails or warns (``-W``), or if
MathJax does not finish within ``--timeout`` seconds.
"""
import argparse
import base64
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from book_files import ROOT
PDF_NAME = "gan-book.pdf"
SINGLE_PAGE = "gan-book.html"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

# The print layout itself (no navigation or screen widgets, a new sheet for each page of the book,
# code that continues across sheets, wrapped lines) is book/_static/custom.css's @media print, the
# same for a reader printing one page from a browser. This adds the contents list's look.
CONTENTS_CSS = """
@media print {
  #print-contents { break-before: page; break-after: page; }
  #print-contents ol { list-style: none; padding: 0; }
  #print-contents li { display: flex; gap: 0.4em; margin: 0.3em 0; }
  #print-contents li .leader { flex: 1; border-bottom: 1px dotted #999; margin-bottom: 0.35em; }
}
@media screen { #print-contents { display: none; } }
"""

# The page made a printed book (see the module's docstring). arguments[0]: {GIF file name: its
# last frame's PNG file name}. Returns the chapters (id, title) for the contents.
PREPARE_FOR_PRINT = """
const stills = arguments[0];
document.querySelectorAll('details.above-input, details.below-input').forEach(d => d.remove());
document.querySelectorAll('details').forEach(d => d.open = true);  // a dropdown prints its content
for (const image of document.images) {
  const name = image.getAttribute('src').split('/').pop();
  if (name in stills) image.setAttribute('src', image.getAttribute('src').replace(name, stills[name]));
}
for (const link of [...document.querySelectorAll('a[href]')]) {
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin) continue;
  const id = decodeURIComponent(url.hash.slice(1));
  if (id && document.getElementById(id)) { link.setAttribute('href', '#' + id); continue; }
  link.removeAttribute('href');
}
const chapters = [...document.querySelectorAll('span[id^="document-"] + section')].map(section => {
  const heading = section.querySelector('h1, h2');
  const title = heading ? heading.cloneNode(true) : null;
  if (title) title.querySelectorAll('.headerlink').forEach(a => a.remove());
  return {id: section.previousElementSibling.id, title: title ? title.textContent.trim() : ''};
}).filter(chapter => chapter.title);
const contents = document.createElement('nav');
contents.id = 'print-contents';
contents.innerHTML = '<h2>Contents</h2><ol></ol>';
for (const chapter of chapters) {
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.href = '#' + chapter.id;
  link.textContent = chapter.title;
  const leader = document.createElement('span');
  leader.className = 'leader';
  const page = document.createElement('span');
  page.className = 'page';
  page.dataset.chapter = chapter.id;
  item.append(link, leader, page);
  contents.querySelector('ol').append(item);
}
document.querySelector('article h1, h1').after(contents);  // the title alone on the first sheet
return chapters;
"""

SET_PAGE_NUMBERS = """
const pages = arguments[0];
document.querySelectorAll('#print-contents span.page').forEach(span => {
  span.textContent = pages[span.dataset.chapter] || '';
});
"""

WAIT_FOR_PAGE = """
const done = arguments[arguments.length - 1];
const images = Promise.all([...document.images].map(image => image.complete ? null :
    new Promise(resolve => { image.onload = image.onerror = resolve; })));
const math = (window.MathJax && MathJax.startup && MathJax.startup.promise) ? MathJax.startup.promise
    : Promise.resolve();
Promise.all([math, images, document.fonts.ready]).then(() => done({
    formulas: document.querySelectorAll('mjx-container').length,
    mathjax: Boolean(window.MathJax && window.MathJax.startup),
    broken: [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src),
})).catch(error => done({error: String(error)}));
"""


def build_single_page(path_output):
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(ROOT), "--builder", "singlehtml",
               "--path-output", str(path_output), "-W", "-n", "--keep-going"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"the single-page build failed or warned:\n{result.stdout[-6000:]}{result.stderr[-6000:]}")
    directory = Path(path_output) / "_build" / "singlehtml"
    index = directory / "index.html"
    if not index.exists():
        sys.exit(f"the single-page build wrote no {index}")
    # Jupyter Book's index.html only redirects to the root page (book/intro.html), which
    # singlehtml writes with links relative to the build's top folder: serve it from there.
    redirect = re.search(r'http-equiv="Refresh" content="0; url=([^"]+)"', index.read_text(encoding="utf-8"))
    page = directory / (redirect.group(1) if redirect else "index.html")
    shutil.copyfile(page, directory / SINGLE_PAGE)
    return directory


def chromium():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic", "--window-size=1280,1600"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # the console, for tests/test_book.py
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def last_frames(directory):
    """{GIF: PNG of its last frame} for the animations in the single page's images: a printed
    animation shows where it ends (its first frame is often the untrained model's noise)."""
    from PIL import Image

    stills = {}
    for gif in sorted((directory / "_images").glob("*.gif")):
        with Image.open(gif) as animation:
            animation.seek(getattr(animation, "n_frames", 1) - 1)
            still = gif.with_name(f"{gif.stem}-last-frame.png")
            animation.convert("RGB").save(still)
        stills[gif.name] = still.name
    return stills


def pdf_pages_text(pdf_bytes):
    """The text of each page of a PDF (pdftotext, from poppler-utils)."""
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf_bytes, capture_output=True, check=True)
    return result.stdout.decode("utf-8", errors="replace").split("\f")


def normal(text):
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


def starts_with_title(page_text, title):
    """Whether a page of the PDF opens with ``title`` (a long heading wraps onto a second line)."""
    lines = [normal(line) for line in page_text.splitlines() if line.strip()][:3]
    return any(" ".join(lines[:count]) == title for count in range(1, len(lines) + 1))


def chapter_pages(pdf_bytes, chapters, draft):
    """{chapter id: the page number it starts on}: the first page after the contents that opens
    with the chapter's title (each chapter starts on a new sheet). ``draft``: where the PDF is
    written for a look when a chapter is not found."""
    pages, found, after = pdf_pages_text(pdf_bytes), {}, 2  # the title sheet, then the contents
    for chapter in chapters:
        title = normal(chapter["title"])
        for number in range(after + 1, len(pages) + 1):
            if starts_with_title(pages[number - 1], title):
                found[chapter["id"]] = after = number
                break
    missing = [chapter["title"] for chapter in chapters if chapter["id"] not in found]
    if missing:
        draft.write_bytes(pdf_bytes)
        sys.exit(f"these chapters do not start a page of the PDF with their title (the PDF: {draft}): {missing}")
    return found


def print_once(driver):
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {
        "printBackground": True, "preferCSSPageSize": False,
        "paperWidth": 8.27, "paperHeight": 11.69,  # A4, in inches
        "marginTop": 0.6, "marginBottom": 0.7, "marginLeft": 0.6, "marginRight": 0.6,
        "displayHeaderFooter": True, "headerTemplate": "<div></div>",
        "footerTemplate": '<div style="font-size: 8px; width: 100%; text-align: center;">'
                          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>',
        "generateTaggedPDF": True, "generateDocumentOutline": True,  # the headings as bookmarks
    })
    return base64.b64decode(pdf["data"])


def print_to_pdf(directory, target, timeout):
    target.parent.mkdir(parents=True, exist_ok=True)
    stills = last_frames(directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    driver = chromium()
    try:
        driver.set_page_load_timeout(timeout)
        driver.set_script_timeout(timeout)
        driver.command_executor.client_config.timeout = timeout  # printing a long page takes a while
        started = time.perf_counter()
        driver.get(f"http://127.0.0.1:{server.server_address[1]}/{SINGLE_PAGE}")
        state = driver.execute_async_script(WAIT_FOR_PAGE)
        state["typeset_seconds"] = time.perf_counter() - started
        if "error" in state or not state["mathjax"] or state["formulas"] == 0:
            sys.exit(f"MathJax did not typeset the single page: {state}")
        if state["broken"]:
            sys.exit("images did not load: " + ", ".join(state["broken"]))
        driver.execute_script("const style = document.createElement('style'); style.textContent = arguments[0];"
                              "document.head.appendChild(style);", CONTENTS_CSS)
        chapters = driver.execute_script(PREPARE_FOR_PRINT, stills)
        driver.execute_async_script(WAIT_FOR_PAGE)  # the stills replacing the GIFs have loaded
        draft = target.with_suffix(".draft.pdf")
        first = chapter_pages(print_once(driver), chapters, draft)
        driver.execute_script(SET_PAGE_NUMBERS, first)
        pdf = print_once(driver)
        second = chapter_pages(pdf, chapters, draft)
        if second != first:
            sys.exit(f"the page numbers in the contents moved the chapters: {first} -> {second}")
        state["chapters"] = len(chapters)
    finally:
        driver.quit()
        server.shutdown()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pdf)
    return state


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--path-output", type=Path, default=ROOT,
                        help="the --path-output of the HTML build (default: the repository, as make book)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for the page and MathJax")
    args = parser.parse_args()
    started = time.perf_counter()
    directory = build_single_page(args.path_output)
    built = time.perf_counter()
    target = Path(args.path_output) / "_build" / "html" / PDF_NAME
    state = print_to_pdf(directory, target, args.timeout)
    printed = time.perf_counter() - built
    print(f"book_pdf: {target} ({target.stat().st_size / 2**20:.1f} MiB, {state['formulas']} formulas typeset, "
          f"{state['chapters']} pages of the book in its contents); "
          f"single-page build {built - started:.0f} s, loading and typesetting {state['typeset_seconds']:.0f} s, "
          f"printing {printed - state['typeset_seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.exit(main())
