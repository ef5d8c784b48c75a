"""Fixtures for the browser journeys: the real portal served by gunicorn in a child process
(its own temporary SQLite database with the demo governments), and Debian's headless Chromium
driven by Playwright.

These tests never touch the test database: pytest-django's database fixtures are not
requested, and nothing here imports models. The Playwright objects are module-scoped on
purpose: while Playwright's sync API is alive its event loop counts as running, and Django
would then refuse synchronous database calls in any test the same xdist worker runs later."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.portal import REPO, Gunicorn, portal_env, prepare

from .checks import ARTIFACTS, AXE_PATH, CHROMIUM, CHROMIUM_ARGS, PageRecorder


@pytest.fixture(scope="session")
def portal_var_dir(tmp_path_factory) -> Path:
    """The demo portal's var/ directory: migrated SQLite database, demo data, static files."""
    if not AXE_PATH.exists():
        pytest.fail(f"{AXE_PATH} is missing: run `minga fetch_assets` (make does it) to fetch axe-core")
    var_dir = tmp_path_factory.mktemp("portal")
    prepare(var_dir)
    return var_dir


@pytest.fixture(scope="session")
def portal(portal_var_dir) -> Iterator[str]:
    """Base URL of the demo portal served by gunicorn (2 workers, DEBUG off), with the
    background worker beside it as `minga serve` runs one (imports are background jobs)."""
    var_dir = portal_var_dir
    server = Gunicorn(var_dir, workers=2).start()
    log = (var_dir / "worker.log").open("ab")
    worker = subprocess.Popen(
        [sys.executable, "-m", "minga.cli", "worker", "--no-scheduler", "--no-startup-delay", "--interval", "0.5"],
        cwd=REPO,
        env=portal_env(var_dir),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    try:
        yield server.base_url
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
        server.stop()
        shutil.rmtree(var_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _new_page(browser, portal: str, **context_options):
    context = browser.new_context(base_url=portal, locale="es-EC", **context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page, PageRecorder(page, portal)


@pytest.fixture
def page(browser, portal):
    """A fresh desktop page (1280 px wide, no cookies). Every request it makes is recorded; at
    the end the test fails if any left 127.0.0.1, broke the CSP or raised a script error."""
    context, page, recorder = _new_page(browser, portal, viewport={"width": 1280, "height": 900})
    page.recorder = recorder
    yield page
    context.close()
    recorder.assert_clean()


@pytest.fixture
def mobile_page(browser, portal):
    """A fresh 360 px wide touch page, the smallest screen the portal promises to serve."""
    context, page, recorder = _new_page(
        browser, portal, viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page.recorder = recorder
    yield page
    context.close()
    recorder.assert_clean()
