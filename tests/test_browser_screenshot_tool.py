"""tools/screenshots.py keeps a terminal's text and colors and drops only this machine's buildx warning."""

import importlib.util

import pyte

import browser
from lab import ROOT


def load_tool():
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "tools" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_terminal_rows_keep_text_and_colors():
    """Colored compose output becomes (text, color, bold) runs; the buildx warning and blank lines go."""
    tool = load_tool()
    screen = pyte.Screen(tool.COLUMNS, 10)
    pyte.Stream(screen).feed(
        "WARN[0000] Docker Compose is configured to build using Bake, but buildx isn't installed\r\n"
        "[+] Running 1/1\r\n\r\n"
        " \x1b[32m✔\x1b[0m Container <lab>  \x1b[1;32mStarted\x1b[0m\r\n")
    rows = tool.screen_rows(screen)
    texts = ["".join(text for text, _, _ in row) for row in rows]
    assert texts == ["[+] Running 1/1", " ✔ Container <lab>  Started"], texts
    assert ("✔", tool.PALETTE["green"], False) in rows[1], rows[1]
    assert ("Started", tool.PALETTE["green"], True) in rows[1], rows[1]
    page = browser.terminal_html("t", rows)
    assert "Container &lt;lab&gt;" in page and "<lab>" not in page, "terminal text is not HTML-escaped"
