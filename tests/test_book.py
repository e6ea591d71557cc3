"""The rendered book: a smoke build with warnings as errors, then every page in headless Chromium.

The smoke build goes to _build/smoke (its own execution cache), never into _build/html, so
smoke outputs cannot leak into the published book. Under `make test` every chapter was
executed by nbval just before (conftest.py put its outputs into that cache), and
GAN_BOOK_REUSE_EXECUTION=1 makes the build fail if it had to execute a chapter again.
"""
import functools
import http.server
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

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "_build" / "smoke"
HTML = OUTPUT / "_build" / "html"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text())
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CACHE = OUTPUT / "_build" / ".jupyter_cache"


def cached_executions():
    """{cache record id: notebook path} of the smoke build's execution cache."""
    if not (CACHE / "global.db").exists():
        return {}
    from jupyter_cache import get_cache

    return {record.pk: record.uri for record in get_cache(str(CACHE)).list_cache_records()}


@pytest.fixture(scope="module")
def html_dir():
    environment = dict(os.environ, GAN_BOOK_PROFILE="smoke", GAN_BOOK_OFFLINE="1")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    shutil.rmtree(HTML, ignore_errors=True)  # stale pages would hide a missing one; keep the cache
    command = [str(jupyter_book), "build", str(ROOT), "--path-output", str(OUTPUT), "-W", "-n", "--keep-going"]
    before = cached_executions()
    result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)
    log = result.stdout[-6000:] + result.stderr[-6000:]
    assert result.returncode == 0, f"jupyter-book build failed or warned:\n{log}"
    assert (HTML / "index.html").exists()
    if os.environ.get("GAN_BOOK_REUSE_EXECUTION") == "1":
        executed = sorted(uri for pk, uri in cached_executions().items() if pk not in before)
        assert not executed, ("the book build executed chapters that nbval had just executed (their outputs "
                              f"were not found in {CACHE}; see conftest.py):\n" + "\n".join(executed))
    return HTML


def pages(html_dir):
    return sorted(p for p in html_dir.rglob("*.html")
                  if not {"_static", "_sources", "_images", "_sphinx_design_static"} & set(p.relative_to(html_dir).parts)
                  and p.name not in {"genindex.html", "search.html"})


def soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def chapter_notebooks():
    return sorted(ROOT.glob("notebooks/[0-9]*.ipynb"))


def test_every_chapter_and_page_was_built(html_dir):
    built = {str(p.relative_to(html_dir)) for p in pages(html_dir)}
    for notebook in chapter_notebooks():
        assert f"notebooks/{notebook.stem}.html" in built
    assert {"book/intro.html", "book/how_to_use.html", "book/bibliography.html"} <= built


def test_every_chapter_shows_the_figures_its_run_drew(html_dir):
    """Figures come from the executed notebooks: a chapter that plots shows its plots."""
    for notebook in chapter_notebooks():
        code = "".join("".join(cell["source"]) for cell in json.loads(notebook.read_text())["cells"]
                       if cell["cell_type"] == "code")
        if "plt." not in code and "plotting." not in code:
            continue
        images = [img.get("src", "") for img in soup(html_dir / "notebooks" / f"{notebook.stem}.html").find_all("img")]
        figures = [src for src in images if "_images/" in src and src.endswith(".png")]
        assert figures, f"{notebook.name} draws figures but its page shows none (a non-inline matplotlib backend?)"


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


def test_no_broken_internal_links(html_dir):
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


def test_each_chapter_has_a_colab_button_for_its_notebook(html_dir):
    repository = urlparse(CONFIG["repository"]["url"]).path.strip("/")
    branch = CONFIG["repository"].get("branch", "main")
    for notebook in chapter_notebooks():
        page = soup(html_dir / "notebooks" / f"{notebook.stem}.html")
        expected = f"https://colab.research.google.com/github/{repository}/blob/{branch}/notebooks/{notebook.name}"
        links = [a.get("href") for a in page.find_all("a")]
        assert expected in links, f"{notebook.name}: no Colab button to {expected}"


@pytest.fixture(scope="module")
def browser(html_dir):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic", "--window-size=1280,1600"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
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
    (OUTPUT / "screenshots").mkdir(exist_ok=True)
    driver.get(f"{base}/book/intro.html")
    assert wait_for_mathjax(driver) > 0
    driver.save_screenshot(str(OUTPUT / "screenshots" / "intro.png"))
    assert not problems, "\n".join(problems)
