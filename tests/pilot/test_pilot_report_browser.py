"""The pilot's HTML report in a real headless Chromium (Debian's, driven by Selenium through the system
chromedriver), with the network cut off: every figure is drawn (inline SVG with a non-zero size and drawn marks),
every number in the page is the JSON report's, nothing is loaded from anywhere, and a screenshot is taken."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pilot_checks import PilotRun
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from tenge.pilot.report_html import lookup

#: The whole pilot runs for minutes: `make test` starts its group first (tests/conftest.py).
pytestmark = pytest.mark.slow

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FIGURES = {"supply", "vat", "programme", "bridge"}


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,2400",
                # no network: every host resolves to nothing and any proxy use goes to a closed port
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def test_every_figure_renders_and_every_number_is_the_json(pilot: PilotRun, browser: webdriver.Chrome, tmp_path: Path) -> None:
    browser.get(pilot.html_path.as_uri())
    figures = {f.get_attribute("data-figure"): f for f in browser.find_elements(By.CSS_SELECTOR, "figure[data-figure]")}
    assert set(figures) == FIGURES
    for name, figure in figures.items():
        size = browser.execute_script(
            "const s = arguments[0].querySelector('svg'); const r = s.getBoundingClientRect();"
            "const marks = [...s.querySelectorAll('path, rect, use')].filter(e => { const b = e.getBoundingClientRect();"
            " return b.width > 0 || b.height > 0 }).length; return [r.width, r.height, marks];", figure)
        assert size[0] > 200 and size[1] > 100 and size[2] > 10, (name, size)

    report = json.loads(pilot.json_path.read_text())
    cells = browser.find_elements(By.CSS_SELECTOR, "[data-json]")
    assert len(cells) > 100
    shown = {c.get_attribute("data-json"): c.text for c in cells}
    differ = {path: (text, lookup(report, path)) for path, text in shown.items() if text != str(lookup(report, path))}
    assert differ == {}
    for path in ("gasTotal", "vat.0.vatDue", "reserve.bnb-local.supply", "transfers.0.latencySeconds"):
        assert path in shown

    # nothing fetched: no scripts, stylesheets, images or fonts from anywhere (the page is one file)
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    shot = tmp_path / "pilot-report.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 20_000
