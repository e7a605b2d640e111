"""What the accessibility tests measure in a page, shared by tests/e2e (issue 22, §5):

    small_controls(page)   every visible control whose target is under 44 × 44 CSS px (WCAG 2.5.5)
    axe_counts(page)       axe-core's violations by impact ({"critical": 0, "serious": 0, ...}),
                           axe-core's JS from the axe-playwright-python wheel: no network
    tab_stops(page, n)     the first n elements Tab reaches, described

A control's target is its own box; a checkbox's or radio's is its label's too (a click on the label
ticks it). Hidden controls (no box, display:none, visibility:hidden) are not measured."""
from __future__ import annotations

TARGET_PX = 44

CONTROLS_JS = """
(min) => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || el.closest('[hidden]')) continue;
    let r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') continue;
    if ((el.type === 'checkbox' || el.type === 'radio')) {
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      if (label) {
        const l = label.getBoundingClientRect();
        if (parseFloat(style.opacity) === 0 || r.width <= 1) { r = l; }
        else {
          const x0 = Math.min(r.left, l.left), y0 = Math.min(r.top, l.top);
          r = {width: Math.max(r.right, l.right) - x0, height: Math.max(r.bottom, l.bottom) - y0};
        }
      }
    }
    if (r.width < min - 0.5 || r.height < min - 0.5) {
      const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '').trim().slice(0, 24);
      out.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).split(' ')[0] : ''} "${text}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  return out;
}
"""


def small_controls(page, minimum: int = TARGET_PX) -> list[str]:
    """Each visible control smaller than minimum × minimum CSS px: 'a.class "text" W×H'."""
    return page.evaluate(CONTROLS_JS, minimum)


def axe_counts(page) -> tuple[dict, list[str]]:
    """axe-core's violations on the page: counts by impact, and a line per violation."""
    from axe_playwright_python.sync_playwright import Axe
    result = Axe().run(page).response
    counts = {k: 0 for k in ("critical", "serious", "moderate", "minor")}
    lines = []
    for v in result["violations"]:
        counts[v["impact"]] = counts.get(v["impact"], 0) + 1
        where = "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"]) for n in v["nodes"][:3])
        lines.append(f"{v['impact']}: {v['id']} ({len(v['nodes'])}) {where}")
    return counts, lines


TAB_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), cls: String(el.className || ''), text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30),
          w: r.width, h: r.height, outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          shadow: style.boxShadow !== 'none', inResults: !!el.closest('.results'), inFacets: !!el.closest('.facets'),
          hit: !!el.closest('article.hit')};
}
"""


def tab_stops(page, n: int) -> list[dict]:
    """Press Tab n times from the top of the page; what has the focus after each press."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    out = []
    for _ in range(n):
        page.keyboard.press("Tab")
        out.append(page.evaluate(TAB_JS))
    return out
