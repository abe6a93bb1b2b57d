"""Steps shared by the browser journeys."""

from pathlib import Path

from playwright.sync_api import Page, expect

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PASSWORD = "pw-123456!"  # core.tests.factories.user's password


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


def log_in(page: Page, base_url: str, username: str) -> None:
    """Open the site, get sent to the login page, sign in and land on the home page."""
    page.goto(base_url + "/")
    expect(page).to_have_url(base_url + "/accounts/login/?next=/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(base_url + "/")


def assert_no_horizontal_overflow(page: Page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page is wider than the viewport: {widths}"
