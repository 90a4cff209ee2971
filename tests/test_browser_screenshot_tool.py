"""tools/screenshots.py keeps a terminal's text and colors, drops the buildx warning, counts what it omits."""

import importlib.util

import pyte

from harness import browser
from harness.repo import ROOT


def load_tool():
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "tools" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_terminal_rows_keep_text_and_colors():
    """Colored compose output becomes (text, color, bold) runs; buildx warning, blank and detail lines go."""
    tool = load_tool()
    screen = pyte.Screen(tool.COLUMNS, 12)
    pyte.Stream(screen).feed(
        "WARN[0000] Docker Compose is configured to build using Bake, but buildx isn't installed\r\n"
        "[+] Building 1.2s (3/3) FINISHED\r\n"
        " => [lab internal] load build definition from Dockerfile   0.0s\r\n"
        " => => transferring dockerfile: 1.08kB   0.0s\r\n"
        " => CACHED [lab 2/2] WORKDIR /home/lab/work   0.0s\r\n"
        "[+] Running 1/1\r\n\r\n"
        " \x1b[32m✔\x1b[0m Container <lab>  \x1b[1;32mStarted\x1b[0m\r\n")
    rows = tool.screen_rows(screen)
    texts = ["".join(text for text, _, _ in row) for row in rows]
    assert texts[0] == "[+] Building 1.2s (3/3) FINISHED" and "2 líneas" in texts[1], texts
    assert texts[2:] == [" => CACHED [lab 2/2] WORKDIR /home/lab/work   0.0s", "[+] Running 1/1",
                         " ✔ Container <lab>  Started"], texts
    assert ("✔", tool.PALETTE["green"], False) in rows[-1], rows[-1]
    assert ("Started", tool.PALETTE["green"], True) in rows[-1], rows[-1]
    page = browser.terminal_html("t", rows)
    assert "Container &lt;lab&gt;" in page and "<lab>" not in page, "terminal text is not HTML-escaped"
