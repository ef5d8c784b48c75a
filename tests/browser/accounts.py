"""Signing in as the demo's officials in a browser journey: password, then the current
two-factor code computed from the demo's fixed TOTP secret."""

from __future__ import annotations

import base64

DEMO_PASSWORD = "minga-demo-2026"


def demo_totp(email: str) -> str:
    """The code the demo account's authenticator app would show now."""
    import pyotp

    from minga.core.management.commands.demo import demo_totp_key

    return pyotp.TOTP(base64.b32encode(bytes.fromhex(demo_totp_key(email))).decode()).now()


def sign_in_with_code(page, email: str, *, login: str, target: str, on_code_page=None) -> None:
    """Sign in at `login` and land on `target` (password, then the two-factor code).
    `on_code_page(page)` runs on the code page, before the code is typed."""
    page.goto(f"{login}?next={target}")
    page.fill("#id_email", email)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/cuenta/ingresar/codigo/**")
    if on_code_page is not None:
        on_code_page(page)
    page.fill("#id_code", demo_totp(email))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**{target}")
