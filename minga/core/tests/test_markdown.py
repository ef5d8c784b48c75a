"""Long texts in Markdown are rendered safely: no HTML, scripts, event handlers, javascript:
links or pictures from elsewhere get through, and headings sit below the page's."""

from minga.core.ui.markdown import plain_text, render_markdown


def test_markdown_keeps_formatting_and_drops_everything_else():
    html = render_markdown(
        "# Título\n\nTexto **fuerte** y *suave*.\n\n- uno\n- dos\n\n"
        '[web](https://gob.ec) [malo](javascript:alert(1)) <img src=x onerror="alert(1)"> '
        "<script>alert(2)</script>\n\n![mapa del cantón](https://tracker.example/p.png)"
    )
    assert "<h3>Título</h3>" in html
    assert "<strong>fuerte</strong>" in html and "<em>suave</em>" in html and "<li>uno</li>" in html
    assert '<a href="https://gob.ec" rel="nofollow noopener noreferrer">web</a>' in html
    assert 'href="javascript' not in html and "<script" not in html and "<img" not in html
    assert "onerror" not in html or "&lt;img" in html
    assert "mapa del cantón" in html and "tracker.example" not in html


def test_heading_levels_and_empty_text():
    assert render_markdown("## Sub", top_heading=2) == "<h3>Sub</h3>\n"
    assert render_markdown("###### Seis") == "<h6>Seis</h6>\n"
    assert render_markdown("   ") == ""


def test_plain_text_for_summaries():
    assert plain_text("# Hola\n\n**Mundo** & más", 100) == "Hola Mundo & más"
    assert plain_text("palabra " * 100, 20).endswith("…")
