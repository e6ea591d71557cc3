"""The whole book as one PDF, offline and without TeX: a single-page HTML build, printed by Chromium.

  python scripts/book_pdf.py                            # after `jupyter-book build .` (make book)
  python scripts/book_pdf.py --path-output _build/smoke # after the smoke build (tests/test_book.py)

1. ``jupyter-book build --builder singlehtml`` with the same ``--path-output`` as the HTML
   build before it: it shares that build's execution cache and its Sphinx environment
   (``_build/.doctrees``), so it executes nothing and mostly only writes one page.
2. Headless Chromium (through Selenium and chromedriver, as the browser tests use) opens that
   page from a local web server, waits until the local MathJax has typeset every formula and
   every image has loaded, hides the navigation, and prints it with the DevTools command
   ``Page.printToPDF`` (A4, page numbers in the footer).
3. The PDF goes beside the HTML book, ``<path-output>/_build/html/gan-book.pdf``, which the
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

# Print only the article: no header bar, sidebars, launch buttons or previous/next links.
PRINT_CSS = """
@media print {
  .bd-header, .bd-header-announcement, .bd-sidebar-primary, .bd-sidebar-secondary, .header-article,
  .header-article-main, .bd-footer, .bd-footer-article, .bd-footer-content, .prev-next-area,
  .skip-link, .headerlink, #pst-back-to-top, .article-header-buttons, .search-button-field,
  .sidebar-toggle, .toggle-details__summary, .bd-search { display: none !important; }
  .bd-container, .bd-container__inner, .bd-page-width, .bd-main, .bd-content, .bd-article-container,
  .bd-article { max-width: 100% !important; width: 100% !important; padding: 0 !important;
  margin: 0 !important; }
  html, body { background: white !important; }
  div.cell, pre, figure, img, table, .admonition, .proof { break-inside: avoid; }
  h1, h2, h3, h4 { break-after: avoid; }
  section > h1 { break-before: page; }
}
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
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def print_to_pdf(directory, target, timeout):
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
                              "document.head.appendChild(style);"
                              "document.querySelectorAll('details').forEach(d => d.open = false);", PRINT_CSS)
        pdf = driver.execute_cdp_cmd("Page.printToPDF", {
            "printBackground": True, "preferCSSPageSize": False,
            "paperWidth": 8.27, "paperHeight": 11.69,  # A4, in inches
            "marginTop": 0.6, "marginBottom": 0.7, "marginLeft": 0.6, "marginRight": 0.6,
            "displayHeaderFooter": True, "headerTemplate": "<div></div>",
            "footerTemplate": '<div style="font-size: 8px; width: 100%; text-align: center;">'
                              '<span class="pageNumber"></span> / <span class="totalPages"></span></div>',
        })
    finally:
        driver.quit()
        server.shutdown()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(base64.b64decode(pdf["data"]))
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
    print(f"book_pdf: {target} ({target.stat().st_size / 2**20:.1f} MiB, {state['formulas']} formulas typeset); "
          f"single-page build {built - started:.0f} s, loading and typesetting {state['typeset_seconds']:.0f} s, "
          f"printing {printed - state['typeset_seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.exit(main())
