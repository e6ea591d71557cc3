"""The rendered book: a smoke build with warnings as errors, its PDF, then every page in headless Chromium.

The smoke build goes to _build/smoke (its own execution cache), never into _build/html, so
smoke outputs cannot leak into the published book. Under `make test` every notebook page
(chapters, the one-screen page, appendices) was executed by nbval just before (conftest.py
put its outputs into that cache); the build fails if it executes again a page whose
execution it had in its cache. scripts/book_pdf.py then prints the whole book to one PDF, as
`make book` does. Screenshots (light and dark theme) go to _build/smoke/screenshots.
"""
import functools
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest
import yaml
from bs4 import BeautifulSoup
from PIL import Image

import book_files
import book_pdf
import glue_translate
import zh
from book_files import ROOT

OUTPUT = ROOT / "_build" / "smoke"
HTML = OUTPUT / "_build" / "html"
CACHE = OUTPUT / "_build" / ".jupyter_cache"
SCREENSHOTS = OUTPUT / "screenshots"
PDF = HTML / "gan-book.pdf"
NOTEBOOKS = book_files.notebooks()


def cached_executions():
    """{cache record id: notebook path} of the smoke build's execution cache."""
    if not (CACHE / "global.db").exists():
        return {}
    from jupyter_cache import get_cache

    return {record.pk: record.uri for record in get_cache(str(CACHE)).list_cache_records()}


def pages_in_cache():
    """The notebook pages whose current code has an execution in the smoke build's cache (under
    `make test`, every page nbval has just executed)."""
    if not (CACHE / "global.db").exists():
        return set()
    import nbformat
    from jupyter_cache import get_cache

    cache, found = get_cache(str(CACHE)), set()
    for path in NOTEBOOKS:
        try:
            cache.match_cache_notebook(nbformat.read(str(path), as_version=4))
            found.add(path.stem)
        except KeyError:
            pass
    return found


@pytest.fixture(scope="module")
def html_dir():
    environment = dict(os.environ, GAN_BOOK_PROFILE="smoke", GAN_BOOK_OFFLINE="1")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    shutil.rmtree(HTML, ignore_errors=True)  # stale pages would hide a missing one; keep the cache
    # ... and the parsed pages: Sphinx re-reads only notebooks whose file changed, so a page nbval
    # has just executed again would show the outputs of an older execution (and differ from
    # its Chinese twin, which scripts/zh.py always reads afresh from the cache).
    shutil.rmtree(OUTPUT / "_build" / ".doctrees", ignore_errors=True)
    command = [str(jupyter_book), "build", str(ROOT), "--path-output", str(OUTPUT), "-W", "-n", "--keep-going"]
    before, cached = cached_executions(), pages_in_cache()
    result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)
    log = result.stdout[-6000:] + result.stderr[-6000:]
    assert result.returncode == 0, f"jupyter-book build failed or warned:\n{log}"
    assert (HTML / "index.html").exists()
    executed = sorted(Path(uri).stem for pk, uri in cached_executions().items() if pk not in before)
    again = [stem for stem in executed if stem in cached]
    assert not again, ("the book build executed pages whose execution was in its cache (nbval's, stored by "
                       f"conftest.py: does Jupyter Book read them under another key?): {again}")
    # The PDF belongs to the built book (the introduction links to it), as in `make book`. It is
    # printed in the background while the tests below look at the HTML; the fixture `pdf` waits.
    with open(PDF_LOG, "w") as log:
        printing = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "book_pdf.py"), "--path-output",
                                     str(OUTPUT)], cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    PDF_PRINTING.append(printing)
    # The Chinese edition (scripts/zh.py), from this build's executions, into HTML / "zh".
    built = subprocess.run([sys.executable, str(ROOT / "scripts" / "zh.py"), "build", "--path-output", str(OUTPUT)],
                           cwd=ROOT, env=environment, capture_output=True, text=True)
    assert built.returncode == 0, f"the Chinese build failed:\n{built.stdout[-6000:]}{built.stderr[-6000:]}"
    yield HTML
    if printing.poll() is None:
        printing.kill()
        printing.wait()


PDF_PRINTING = []
PDF_LOG = OUTPUT / "book_pdf.log"


@pytest.fixture(scope="module")
def pdf(html_dir):
    """The book's PDF, once scripts/book_pdf.py (started by html_dir) has finished."""
    returncode = PDF_PRINTING[-1].wait()
    log = PDF_LOG.read_text()
    assert returncode == 0, f"scripts/book_pdf.py failed ({PDF_LOG}):\n{log[-8000:]}"
    print(log.strip().splitlines()[-1])
    return PDF


def pages(html_dir):
    return sorted(p for p in html_dir.rglob("*.html")
                  if not {"_static", "_sources", "_images", "_sphinx_design_static"} & set(p.relative_to(html_dir).parts)
                  and p.name not in {"genindex.html", "search.html"})


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# What a reader must not see in a notebook page's code: the book's plumbing. Glue calls, bare
# asserts (claim checks), the Colab install cell, papermill and environment set-up all belong
# in cells tagged remove-cell (or remove-input, where only the output matters).
PLUMBING = {
    "glue(": re.compile(r"\bglue\("),
    "assert": re.compile(r"^\s*assert\b", re.MULTILINE),
    "Colab install": re.compile(r"google\.colab|pip install|^\s*[%!]pip\b", re.MULTILINE),
    "%env / the book's switches": re.compile(r"^\s*%env\b|\bos\.environ\b.*\bGAN_BOOK_|\bos\.environ\b.*\bMPLBACKEND",
                                             re.MULTILINE),
    "sys.path": re.compile(r"\bsys\.path\b"),
    "papermill": re.compile(r"\bpapermill\b"),
}


def plumbing_in_code(page):
    """[(block number, what, first offending line, hidden behind a toggle?)] for the code cells
    a page shows (hide-input cells count: a reader who opens them sees the code)."""
    found = []
    for number, block in enumerate(soup(page).select("div.cell div.cell_input"), start=1):
        code = block.get_text()
        hidden = block.find_parent("details") is not None
        for what, pattern in PLUMBING.items():
            match = pattern.search(code)
            if match:
                line = code[code.rfind("\n", 0, match.start()) + 1:].split("\n", 1)[0].strip()
                found.append((number, what, line, hidden))
    return found


def test_every_page_was_built(html_dir):
    built = {str(p.relative_to(html_dir)) for p in pages(html_dir)}
    missing = [str(page.relative_to(ROOT)) for page in book_files.pages()
               if str(page.relative_to(ROOT).with_suffix(".html")) not in built]
    assert not missing, f"pages of _toc.yml without an HTML page: {missing}"


def test_every_chapter_shows_the_figures_its_run_drew(html_dir):
    """Figures come from the executed notebooks: a chapter that plots shows its plots."""
    for notebook in NOTEBOOKS:
        code = book_files.code(notebook)
        if "plt." not in code and "plotting." not in code:
            continue
        images = [img.get("src", "") for img in soup(html_dir / "notebooks" / f"{notebook.stem}.html").find_all("img")]
        figures = [src for src in images if "_images/" in src and src.endswith(".png")]
        assert figures, f"{notebook.name} draws figures but its page shows none (a non-inline matplotlib backend?)"


def test_no_plumbing_in_visible_code(html_dir):
    """The pages read as a book: no glue(), bare assert, install cell, %env or sys.path in sight."""
    problems = []
    for notebook in NOTEBOOKS:
        page = html_dir / "notebooks" / f"{notebook.stem}.html"
        shown = [cell for cell in book_files.cells(notebook) if cell["cell_type"] == "code"
                 and not {"remove-cell", "remove-input"} & set(cell["metadata"].get("tags", []))]
        assert bool(soup(page).select("div.cell div.cell_input")) == bool(shown), \
            f"{page.name}: no code block found under div.cell div.cell_input (did myst-nb rename its classes?)"
        for number, what, line, hidden in plumbing_in_code(page):
            where = "a hide-input toggle" if hidden else "a visible cell"
            problems.append(f"{notebook.name}, code block {number} ({where}): {what}: {line}")
    assert not problems, ("plumbing in the code a reader sees (tag those cells remove-cell, or move the line "
                          "into a hidden cell):\n" + "\n".join(problems))


def opaque(png_bytes):
    image = Image.open(io.BytesIO(png_bytes))
    if image.mode in ("RGB", "L"):
        return True
    return image.convert("RGBA").getchannel("A").getextrema()[0] == 255


def test_figures_are_opaque(html_dir):
    """No figure lets the page (dark in the dark theme) show through: every pixel opaque."""
    transparent = [str(path.relative_to(html_dir)) for path in sorted((html_dir / "_images").glob("*.png"))
                   if not opaque(path.read_bytes())]
    assert not transparent, "figures with transparent pixels (gan_utils.plotting sets a white, opaque " \
                            "background; a figure saved with transparent=True?):\n" + "\n".join(transparent)


def test_no_remote_scripts_or_stylesheets(html_dir):
    remote = []
    for page in pages(html_dir):
        for tag in soup(page).find_all(["script", "link"]):
            url = tag.get("src") or (tag.get("href") if tag.name == "link" and "stylesheet" in (tag.get("rel") or []) else None)
            if url and re.match(r"^(https?:)?//", url):
                remote.append(f"{page.name}: {url}")
    assert not remote, "pages load remote scripts/styles (the book must work offline):\n" + "\n".join(remote)


def test_mathjax_is_the_local_copy(html_dir):
    page = soup(html_dir / "book" / "intro.html")
    sources = [s.get("src", "") for s in page.find_all("script")]
    assert any(src.split("?")[0].endswith("_static/mathjax/tex-chtml.js") for src in sources), sources
    assert (html_dir / "_static" / "mathjax" / "tex-chtml.js").exists()


def test_each_chapter_has_a_colab_button_for_its_notebook(html_dir):
    """In both editions: a Chinese page's Colab button opens the same notebook as the English one."""
    repository = urlparse(book_files.repository_url()).path.strip("/")
    branch = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"].get("branch", "main")
    for notebook in NOTEBOOKS:
        for site in (html_dir, html_dir / "zh"):
            page = soup(site / "notebooks" / f"{notebook.stem}.html")
            expected = f"https://colab.research.google.com/github/{repository}/blob/{branch}/notebooks/{notebook.name}"
            links = [a.get("href") for a in page.find_all("a")]
            assert expected in links, f"{site.name}/{notebook.name}: no Colab button to {expected}"


def counterparts(html_dir):
    """(English page, Chinese page) for every page of the table of contents."""
    return [(html_dir / Path(page).with_suffix(".html"), html_dir / "zh" / Path(page).with_suffix(".html"))
            for page in zh.toc_pages()]


def test_every_page_has_a_chinese_counterpart_and_both_switch(html_dir):
    """The language switch of each page leads to the same page in the other edition, and back."""
    problems = []
    for english, chinese in counterparts(html_dir):
        if not chinese.exists():
            problems.append(f"no Chinese page {chinese.relative_to(html_dir)}")
            continue
        for page, other in ((english, chinese), (chinese, english)):
            links = soup(page).select("p.language-switch a")
            target = (page.parent / links[0]["href"]).resolve() if len(links) == 1 else None
            if target != other.resolve():
                problems.append(f"{page.relative_to(html_dir)}: the language switch leads to "
                                f"{target and target.relative_to(html_dir.resolve())}, not {other.relative_to(html_dir)}")
        if soup(chinese).html.get("lang") != "zh-CN":
            problems.append(f"{chinese.relative_to(html_dir)} is not marked lang=zh-CN")
    assert not problems, "\n".join(problems)


def test_the_chinese_search_index_has_chinese_words(html_dir):
    """Sphinx indexes Chinese text only when it can cut it into words (jieba, in requirements.txt);
    without it the Chinese site's search finds no Chinese word."""
    index = (html_dir / "zh" / "searchindex.js").read_text(encoding="utf-8")
    missing = [word for word in ("判别器", "生成器", "模式崩溃") if json.dumps(word) not in index]
    assert not missing, f"the Chinese search index lacks {missing}: is jieba installed?"


def test_chinese_pages_show_the_english_pages_glued_values_and_figures(html_dir):
    """One execution: every glued value and every figure of an English page is on its Chinese page
    (a glued English word as zh/_glue.yml rewrites it, a number unchanged)."""
    import collections

    rules = glue_translate.load_rules(zh.GLUE_RULES)
    problems = []
    for english, chinese in counterparts(html_dir):
        article = {page: soup(page).select_one("article") or soup(page) for page in (english, chinese)}
        for what, select, value in (("glued values", ".pasted-text", lambda tag: tag.get_text()),
                                    ("figures", "img", lambda tag: Path(tag.get("src", "")).name)):
            english_values, chinese_values = (collections.Counter(map(value, article[page].select(select)))
                                              for page in (english, chinese))
            if what == "glued values":
                english_values = collections.Counter(glue_translate.translate(text, rules)
                                                     for text in english_values.elements())
            if english_values != chinese_values:
                problems.append(f"{chinese.relative_to(html_dir)}: {what} differ from the English page's: missing "
                                f"{sorted((english_values - chinese_values).elements())[:5]}, extra "
                                f"{sorted((chinese_values - english_values).elements())[:5]}")
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def browser(html_dir):
    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    driver = book_pdf.chromium()  # the same headless Chromium that prints the PDF
    driver.set_page_load_timeout(60)
    yield driver, f"http://127.0.0.1:{server.server_address[1]}"
    driver.quit()
    server.shutdown()


def wait_for_mathjax(driver):
    driver.set_script_timeout(30)
    return driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        if (!window.MathJax) { done(-1); return; }
        const ready = MathJax.startup && MathJax.startup.promise ? MathJax.startup.promise : Promise.resolve();
        ready.then(() => done(document.querySelectorAll('mjx-container').length)).catch(() => done(-2));
    """)


# Characters the page's fonts have no glyph for render as empty boxes ("tofu"). Each character
# of the visible text (outside MathJax, which brings its own fonts) is drawn on a canvas in its
# element's font and compared, pixel for pixel, with a code point no font has (U+0378 is
# unassigned): the same drawing means a missing glyph.
MISSING_GLYPHS = """
const canvas = document.createElement('canvas');
canvas.width = 64; canvas.height = 64;
const context = canvas.getContext('2d', {willReadFrequently: true});
const drawing = (character, font) => {
  context.clearRect(0, 0, 64, 64);
  context.font = font;
  context.fillText(character, 8, 44);
  return context.getImageData(0, 0, 64, 64).data.join(',') + '|' + context.measureText(character).width;
};
const tofu = {}, seen = new Set(), missing = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const element = walker.currentNode.parentElement;
  if (!element || element.closest('mjx-container, script, style, noscript, mjx-assistive-mml')) continue;
  if (!element.getClientRects().length) continue;
  const style = getComputedStyle(element);
  const font = `${style.fontStyle} ${style.fontWeight} 40px ${style.fontFamily}`;
  for (const character of walker.currentNode.data) {
    if (character.codePointAt(0) < 0x80 || /\\s/.test(character) || seen.has(character + font)) continue;
    seen.add(character + font);
    if (!(font in tofu)) tofu[font] = drawing('\\u0378', font);
    if (drawing(character, font) === tofu[font])
      missing.push(`U+${character.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')} ${character} in ` +
                   `<${element.tagName.toLowerCase()} class="${element.className}">`);
  }
}
return missing;
"""


def test_every_page_in_chromium(browser, html_dir):
    driver, base = browser
    problems = []
    for page in pages(html_dir):
        relative = page.relative_to(html_dir).as_posix()
        driver.get(f"{base}/{relative}")
        typeset = wait_for_mathjax(driver)
        has_math = bool(soup(page).select(".math, span.math, div.math"))
        if has_math and typeset <= 0:
            problems.append(f"{relative}: math not typeset by MathJax (result {typeset})")
        raw = driver.execute_script("return document.body.innerText")
        if has_math and re.search(r"\\\(|\\\[|\$\$", raw):
            problems.append(f"{relative}: raw TeX delimiters left in the page text")
        broken = driver.execute_script(
            "return [...document.images].filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)")
        problems += [f"{relative}: image did not load: {src}" for src in broken]
        missing = driver.execute_script(MISSING_GLYPHS)
        if missing:
            problems.append(f"{relative}: no glyph for {len(missing)} characters, shown as empty boxes (a missing "
                            "font? scripts/setup.sh installs the book's fonts): " + "; ".join(missing[:6]))
    SCREENSHOTS.mkdir(exist_ok=True)
    driver.get(f"{base}/book/intro.html")
    assert wait_for_mathjax(driver) > 0
    driver.save_screenshot(str(SCREENSHOTS / "intro.png"))
    assert not problems, "\n".join(problems)


def test_the_chinese_edition_in_chromium(browser, html_dir):
    """Follow the language switch from the English introduction and chapter 2 and screenshot the
    Chinese pages it lands on (typeset math, glued numbers, Chinese glyphs): zh-intro.png and
    zh-02_minimax.png in _build/smoke/screenshots. (test_every_page_in_chromium loads every
    Chinese page too: math, images, fonts.)"""
    from selenium.webdriver.common.by import By

    driver, base = browser
    SCREENSHOTS.mkdir(exist_ok=True)
    for page, name in (("book/intro.html", "zh-intro"), ("notebooks/02_minimax.html", "zh-02_minimax")):
        driver.get(f"{base}/{page}")
        driver.find_element(By.CSS_SELECTOR, "p.language-switch a").click()
        assert driver.current_url == f"{base}/zh/{page}", f"the switch on {page} led to {driver.current_url}"
        assert wait_for_mathjax(driver) > 0, f"zh/{page}: no typeset math"
        text = driver.execute_script("return document.querySelector('article').innerText")
        assert len(re.findall(r"[\u4e00-\u9fff]", text)) > 200, f"zh/{page}: hardly any Chinese text"
        if "minimax" in page:
            glued = driver.find_elements(By.CSS_SELECTOR, ".pasted-text")
            assert glued and all(element.text.strip() for element in glued), f"zh/{page}: empty glued values"
        driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
        driver.find_element(By.CSS_SELECTOR, "p.language-switch a").click()
        assert driver.current_url == f"{base}/{page}", f"the switch back from zh/{page} led to {driver.current_url}"


def test_screenshots_of_chapters_1_and_4_light_and_dark(browser, html_dir):
    """For a reader's-eye review: the top of chapters 1 and 4 and one code section of each, in
    the light theme, and chapter 4 in the pydata theme's dark mode (figures stay white)."""
    from selenium.webdriver.common.by import By

    driver, base = browser
    SCREENSHOTS.mkdir(exist_ok=True)
    for notebook in [path for path in NOTEBOOKS if path.name[:3] in ("01_", "04_")]:
        driver.get(f"{base}/notebooks/{notebook.stem}.html")
        wait_for_mathjax(driver)
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(str(SCREENSHOTS / f"{notebook.stem}-top.png"))
        cells = driver.find_elements(By.CSS_SELECTOR, "div.cell:not(.tag_hide-input) div.cell_input")
        assert cells, f"{notebook.stem}: no visible code cell"
        section = cells[min(2, len(cells) - 1)].find_element(By.XPATH, "ancestor::section[1]")
        driver.execute_script("arguments[0].scrollIntoView()", section)
        section.screenshot(str(SCREENSHOTS / f"{notebook.stem}-code-section.png"))
    dark = [path for path in NOTEBOOKS if path.name.startswith("04_")][0]
    driver.get(f"{base}/notebooks/{dark.stem}.html")
    driver.execute_script("localStorage.setItem('theme', 'dark'); localStorage.setItem('mode', 'dark');")
    driver.refresh()
    wait_for_mathjax(driver)
    theme = driver.execute_script("document.documentElement.dataset.theme = 'dark'; "
                                  "return getComputedStyle(document.body).backgroundColor")
    figure = driver.find_elements(By.CSS_SELECTOR, "div.cell_output img")
    assert figure, f"{dark.stem}: no figure to show in the dark theme"
    driver.execute_script("arguments[0].scrollIntoView()", figure[0])
    driver.save_screenshot(str(SCREENSHOTS / f"{dark.stem}-dark.png"))
    assert theme not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), f"the dark theme did not apply ({theme})"
    shown = driver.execute_script(
        "const i = arguments[0], c = document.createElement('canvas'); c.width = i.naturalWidth; c.height = i.naturalHeight;"
        "const x = c.getContext('2d'); x.drawImage(i, 0, 0); const d = x.getImageData(0, 0, 1, 1).data; return [...d]",
        figure[0])
    assert shown == [255, 255, 255, 255], f"the first figure's corner is not opaque white in the dark theme: {shown}"


# What a reader sees, measured in the browser (issue 23). WIDE_AT: for each element of the article
# that reaches past the article's right edge, or a scrolling box (not code or display math) whose
# content is wider than the box: its description. Only the outermost offender is named. A code
# block (pre, div.highlight) scrolls sideways deliberately: code keeps its indentation; a display
# formula scrolls too (MathJax cannot break it).
WIDE_AT = """
const article = document.querySelector('article.bd-article') || document.querySelector('main');
const right = article.getBoundingClientRect().right + 1;
const deliberate = el => el.closest('pre, div.highlight, mjx-container, div.math');
const describe = el => `<${el.tagName.toLowerCase()} class="${el.className}"> ` +
  `"${(el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 60)}"`;
const found = [], named = [];
for (const el of article.querySelectorAll('*')) {
  if (deliberate(el) || named.some(outer => outer.contains(el))) continue;
  const style = getComputedStyle(el);
  if (style.display === 'none' || style.visibility === 'hidden') continue;
  const box = el.getBoundingClientRect();
  const scrolls = ['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
  let clipped = false;
  for (let up = el.parentElement; up && up !== article; up = up.parentElement)
    if (getComputedStyle(up).overflowX !== 'visible') { clipped = true; break; }
  if (scrolls) {
    found.push(`${describe(el)} scrolls sideways: content ${el.scrollWidth} px in a ${el.clientWidth} px box`);
    named.push(el);
  } else if (!clipped && box.width > 0 && box.right > right) {
    found.push(`${describe(el)} reaches ${Math.round(box.right - right)} px past the text column`);
    named.push(el);
  }
}
return found;
"""

# Every figure of a cell's output, as shown: {src, natural width, displayed width}.
FIGURES_SHOWN = """
return [...document.querySelectorAll('article div.cell_output img, article figure img')]
  .filter(img => img.naturalWidth > 0 && img.getBoundingClientRect().width > 0)
  .map(img => ({src: img.getAttribute('src'), natural: img.naturalWidth,
                shown: img.getBoundingClientRect().width}));
"""

SEARCH_BOXES = """
return [...document.querySelectorAll('.search-button-field, input[type=search], form.bd-search')]
  .filter(el => { const box = el.getBoundingClientRect(); return box.width > 0 && box.height > 0 &&
                  getComputedStyle(el).visibility !== 'hidden'; }).length;
"""

READER_WIDTHS = (1280, 390)
SMALLEST_TEXT_PX = 9  # the smallest text a reader can read at 100 % zoom


def smallest_text_px(image_path, scale):
    """The figure's smallest text as displayed: gan_utils.plotting's smallest font size (points)
    at the DPI the PNG was saved with, times the scale it is shown at."""
    from gan_utils import plotting

    dpi = Image.open(image_path).info.get("dpi", (plotting.FIGURE_DPI,))[0]
    return plotting.SMALL_FONT_SIZE * dpi / 72 * scale


def reader_pages(html_dir):
    """The English pages of the table of contents (the Chinese pages share their layout)."""
    return [english for english, _ in counterparts(html_dir)]


def test_a_reader_at_1280_and_390_px(browser, html_dir):
    """At a laptop's 1280 px and a phone's 390 px: nothing wider than the text column (tables
    included) but a code block or formula that scrolls; at 1280 px every figure shown at a scale
    where its smallest text is at least SMALLEST_TEXT_PX px tall (on a phone a reader zooms).
    Screenshots of chapters 3 and 6 at both widths go to _build/smoke/screenshots. The list of
    offending pages also goes to _build/smoke/reader_failures.txt."""
    driver, base = browser
    SCREENSHOTS.mkdir(exist_ok=True)
    problems = []
    try:
        for width in READER_WIDTHS:
            driver.set_window_size(width, 900)
            for page in reader_pages(html_dir):
                relative = page.relative_to(html_dir).as_posix()
                driver.get(f"{base}/{relative}")
                wait_for_mathjax(driver)
                problems += [f"{relative} at {width} px: {what}" for what in driver.execute_script(WIDE_AT)]
                if width == 1280:
                    for figure in driver.execute_script(FIGURES_SHOWN):
                        scale = figure["shown"] / figure["natural"]
                        text = smallest_text_px(page.parent / figure["src"], scale)
                        if text < SMALLEST_TEXT_PX - 0.05:
                            problems.append(f"{relative}: figure {Path(figure['src']).name[:12]}... is "
                                            f"{figure['natural']} px wide, shown at {figure['shown']:.0f} px "
                                            f"(scale {scale:.2f}): its smallest text is {text:.1f} px")
                if page.stem[:3] in ("03_", "06_"):
                    driver.execute_script("window.scrollTo(0, 0)")
                    driver.save_screenshot(str(SCREENSHOTS / f"{page.stem}-{width}px-top.png"))
                    first = driver.find_elements("css selector", "article table, article div.cell_output img")
                    if first:
                        driver.execute_script("arguments[0].scrollIntoView()", first[0])
                        driver.save_screenshot(str(SCREENSHOTS / f"{page.stem}-{width}px-first-table-or-figure.png"))
    finally:
        driver.set_window_size(1280, 1600)
    (OUTPUT / "reader_failures.txt").write_text("\n".join(problems) + "\n", encoding="utf-8")
    assert not problems, f"{len(problems)} things a reader cannot read ({OUTPUT / 'reader_failures.txt'}):\n" + \
        "\n".join(problems)


def test_no_console_errors_and_one_search_box(browser, html_dir):
    """Every page of both editions loads without an error in the browser's console, and shows
    one search box at 1280 px (not a second one in a header bar)."""
    driver, base = browser
    problems = []
    driver.get_log("browser")  # what earlier tests left
    for page in pages(html_dir):
        relative = page.relative_to(html_dir).as_posix()
        driver.get(f"{base}/{relative}")
        wait_for_mathjax(driver)
        errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        problems += [f"{relative}: console error: {message[:200]}" for message in errors]
        boxes = driver.execute_script(SEARCH_BOXES)
        if boxes != 1:
            problems.append(f"{relative}: {boxes} search boxes")
        document = soup(page)
        head = document.head or document  # index.html is a bare redirect, with no <head>
        for what, count in (("viewport meta tags", len(head.select('meta[name="viewport"]'))),
                            ("THEBE_JS_URL declarations", str(head).count("THEBE_JS_URL ="))):
            if count > (1 if what.startswith("viewport") else 0):
                problems.append(f"{relative}: {count} {what} in its head")
    assert not problems, "\n".join(problems)


# Last: these wait for the PDF, printed in the background meanwhile.
def test_no_broken_internal_links(pdf, html_dir):
    """Every internal link and anchor resolves, the introduction's link to the PDF included."""
    broken = []
    ids_cache = {}
    for page in pages(html_dir):
        for tag in soup(page).find_all(["a", "img", "script", "link"]):
            url = tag.get("href") or tag.get("src")
            if not url or re.match(r"^([a-z]+:|//)", url):
                continue
            parsed = urlparse(urljoin(page.relative_to(html_dir).as_posix(), url))
            target = html_dir / unquote(parsed.path) if parsed.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(html_dir)} -> {url}")
                continue
            if parsed.fragment and target.suffix == ".html":
                if target not in ids_cache:
                    ids_cache[target] = {t.get("id") for t in soup(target).find_all(id=True)}
                if parsed.fragment not in ids_cache[target]:
                    broken.append(f"{page.relative_to(html_dir)} -> {url} (no such anchor)")
    assert not broken, "broken internal links:\n" + "\n".join(broken)


def test_the_pdf_holds_the_whole_book(pdf, html_dir):
    """scripts/book_pdf.py printed every page, with MathJax's typeset formulas, not raw TeX."""
    assert pdf.exists() and pdf.stat().st_size > 100_000, f"no PDF at {pdf}"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    def normal(words):  # Sphinx typesets straight quotes as curly ones
        return " ".join(words.split()).replace("\u2019", "'").replace("\u2018", "'")

    flat = normal(text)
    missing = [title for title in map(book_files.title, NOTEBOOKS) if normal(title) not in flat]
    assert not missing, f"the PDF lacks these pages' titles: {missing}"
    raw = sorted({match for match in re.findall(r"\$\$|\\\(|\\\)|\\\[|\\\]", text)})
    assert not raw, f"raw TeX delimiters in the PDF's text (MathJax had not finished?): {raw}"
    intro = soup(html_dir / "book" / "intro.html")
    assert any(a.get("href", "").endswith("gan-book.pdf") for a in intro.find_all("a")), "intro.html does not link the PDF"


def pdf_pages(pdf):
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]  # pdftotext ends every page with a form feed


def printed_title(page):
    """A page's title as the PDF prints it: its heading without Markdown marks."""
    heading = book_files.title(page) if page.suffix == ".ipynb" else \
        re.search(r"^# (.+)$", page.read_text(encoding="utf-8"), re.MULTILINE).group(1)
    return " ".join(re.sub(r"[`*]", "", heading).split()).replace("\u2019", "'")


def test_the_pdf_reads_as_a_book(pdf, html_dir):
    """Links inside the PDF (none to the local server it was printed from), an outline for the
    reader's bookmarks, no empty page (a page holding only a figure is not empty), no screen widget's text, every page of the book starting a
    new sheet with its title. Three pages go to _build/smoke/screenshots (the title sheet, the
    contents, chapter 3's first page)."""
    urls = subprocess.run(["pdfinfo", "-url", str(pdf)], capture_output=True, text=True, check=True).stdout
    local = [line for line in urls.splitlines() if re.search(r"//(127\.0\.0\.1|localhost)[:/]", line)]
    assert not local, f"{len(local)} links in the PDF lead to the server it was printed from:\n" + "\n".join(local[:10])
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-q", "-stdout", "-f", "1", "-l", "1", str(pdf)],
                         capture_output=True, text=True, check=True).stdout
    assert "<outline>" in xml and xml.count("<item") >= len(NOTEBOOKS), "the PDF has no outline (bookmarks)"
    texts = pdf_pages(pdf)
    footer = re.compile(r"^\s*\d+\s*/\s*\d+\s*$", re.MULTILINE)
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    with_image = {int(line.split()[0]) for line in images.splitlines()[2:] if line.split()}
    empty = [number for number, text in enumerate(texts, start=1)
             if not footer.sub("", text).strip() and number not in with_image]
    assert not empty, f"pages of the PDF with neither text nor a figure (an empty code box? a break before a block): {empty}"
    widgets = [number for number, text in enumerate(texts, start=1)
               if re.search(r"Show code cell|Hide code cell|Click to show", text)]
    assert not widgets, f"screen widgets ('Show code cell source', ...) printed on pages {widgets}"
    starts = {title: next((number for number, text in enumerate(texts, start=1)
                           if number > 2 and book_pdf.starts_with_title(text, title)), None)
              for title in (printed_title(page) for page in book_files.pages() if page.stem != "intro")}
    not_starting = [title for title, number in starts.items() if number is None]
    assert not not_starting, f"pages of the book that do not start a new sheet of the PDF: {not_starting}"
    SCREENSHOTS.mkdir(exist_ok=True)
    chapter_3 = starts[printed_title(next(page for page in NOTEBOOKS if page.name.startswith("03_")))]
    for name, number in (("pdf-title", 1), ("pdf-contents", 2), ("pdf-chapter-3", chapter_3)):
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-singlefile", "-f", str(number), "-l", str(number), str(pdf),
                        str(SCREENSHOTS / name)], check=True)
