"""The two screens the layout is tested on, and pages opened on them."""

SCREENS = {
    "phone": {"width": 390, "height": 844},
    "wide": {"width": 1440, "height": 900},
    # The narrowest screen WCAG reflows to (320 CSS px), for the keyboard tests.
    "narrowest": {"width": 320, "height": 640},
}


def open_page(browser, screen: str, *, javascript: bool = True):
    """A fresh page on ``screen`` (a phone has touch); console errors collected, as the
    ``page`` fixture does."""
    context = browser.new_context(
        viewport=SCREENS[screen], has_touch=screen == "phone", java_script_enabled=javascript
    )
    page = context.new_page()
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    return page
