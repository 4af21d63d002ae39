"""Every page of the console checked for accessibility in headless Chromium, at phone and desktop
width, by a script evaluated in the page (no third-party checker): names of form controls, text
alternatives, one h1 and a main landmark, unique ids, text contrast, no sideways scrolling on a
phone, and every link and button reachable by Tab with a visible focus style."""

from __future__ import annotations

import pytest

from tests.integration.console.conftest import DESKTOP, sign_in
from tests.integration.console.test_work import a_lead, import_leads, post_form

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}

# Returns a list of defects, each "what: where". Contrast follows WCAG 2.1: 4.5:1 for normal text,
# 3:1 for large text (24 px, or 18.66 px bold); the background is found by walking up the parents
# to the first opaque colour, blending the translucent ones on the way.
CHECKS = r"""
() => {
  const defects = [];
  const where = (el) => {
    const id = el.id ? "#" + el.id : "";
    const cls = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "";
    const text = (el.textContent || el.getAttribute("name") || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `<${el.tagName.toLowerCase()}${id}${cls}> "${text}"`;
  };
  const visible = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && el.closest("[hidden], [aria-hidden=true]") === null;
  };
  const nameOf = (el) => {
    const label = el.getAttribute("aria-label");
    if (label && label.trim()) return label.trim();
    const by = el.getAttribute("aria-labelledby");
    if (by) {
      const text = by.split(/\s+/).map((id) => document.getElementById(id)?.textContent || "").join(" ").trim();
      if (text) return text;
    }
    if (el.labels && [...el.labels].some((l) => l.textContent.trim())) return "label";
    return "";
  };

  // Form controls have an accessible name.
  for (const el of document.querySelectorAll("input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea")) {
    if (!nameOf(el)) defects.push("control without a name: " + where(el));
  }
  for (const el of document.querySelectorAll("button, [role=button]")) {
    if (!nameOf(el) && !el.textContent.trim()) defects.push("button without a name: " + where(el));
  }
  // Images and charts have a text alternative (an empty alt marks a decorative image).
  for (const el of document.querySelectorAll("img")) {
    if (!el.hasAttribute("alt")) defects.push("image without alt: " + where(el));
  }
  for (const el of document.querySelectorAll("svg")) {
    if (el.closest("[aria-hidden=true]")) continue;
    const named = el.getAttribute("role") === "img" && (nameOf(el) || el.querySelector(":scope > title")?.textContent.trim());
    if (!named) defects.push("svg without role=img and a name (or aria-hidden): " + where(el));
  }
  // One h1, one main.
  const h1 = document.querySelectorAll("h1").length;
  if (h1 !== 1) defects.push(`${h1} h1 elements`);
  const mains = document.querySelectorAll("main, [role=main]").length;
  if (mains !== 1) defects.push(`${mains} main landmarks`);
  // Unique ids.
  const seen = new Map();
  for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  for (const [id, count] of seen) if (count > 1) defects.push(`id used ${count} times: ${id}`);

  // Contrast of every visible text.
  const rgba = (value) => {
    const m = value.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const parts = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const blend = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const background = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const colour = rgba(getComputedStyle(node).backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    let result = [255, 255, 255, 1];
    for (const layer of layers.reverse()) result = blend(layer, result);
    return result;
  };
  const luminance = ([r, g, b]) => {
    const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const checked = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || checked.has(el) || !visible(el)) continue;
    if (el.closest("option, script, style, noscript, .visually-hidden, .skip-link, svg")) continue;
    checked.add(el);
    const style = getComputedStyle(el);
    const bg = background(el);
    const fg = blend(rgba(style.color), bg);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const needed = large ? 3 : 4.5;
    if (ratio < needed) defects.push(`contrast ${ratio.toFixed(2)} < ${needed}: ${where(el)}`);
  }
  // No sideways scrolling of the page.
  const overflow = document.scrollingElement.scrollWidth - innerWidth;
  if (overflow > 0) {
    const wide = [...document.querySelectorAll("body *")].filter((el) => visible(el) && el.getBoundingClientRect().right > innerWidth + 1 && !el.closest(".table-wrap, .board, .mainnav"));
    defects.push(`page scrolls sideways by ${overflow} px: ` + wide.slice(0, 3).map(where).join(", "));
  }
  return defects;
}
"""

# The links and buttons a keyboard should reach, each marked so that Tab's arrivals can be counted.
MARK_FOCUSABLE = """
() => {
  const all = [...document.querySelectorAll("a[href], button:not([disabled]), summary, [role=button]")].filter((el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.visibility !== "hidden" && style.display !== "none" && box.width > 0 && box.height > 0
      && el.tabIndex >= 0 && !el.closest("[hidden], [inert], [aria-hidden=true], details:not([open]) > :not(summary)");
  });
  all.forEach((el, i) => el.setAttribute("data-a11y-focus", String(i)));
  return all.length;
}
"""

# What Tab just focused, and whether it looks focused: an outline or a ring (box-shadow).
FOCUSED = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
  const what = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.type ? "[" + el.type + "]" : "") + " " + (el.textContent || "").trim().slice(0, 40);
  return {mark: el.getAttribute("data-a11y-focus"), ring, what};
}
"""

MAX_TABS = 400


def defects_at(page, width: dict) -> list[str]:
    page.set_viewport_size(width)
    label = "phone" if width["width"] < 600 else "desktop"
    return [f"{label}: {defect}" for defect in page.evaluate(CHECKS)]


def keyboard_defects(page) -> list[str]:
    """Tabs round the page (from where the focus is, past its end and round again to its top):
    every link and button reached, each with a focus ring."""
    page.set_viewport_size(DESKTOP)
    wanted = page.evaluate(MARK_FOCUSABLE)
    reached: set[str] = set()
    defects = []
    outside = 0
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            # Past the page's last control the focus leaves the page; the next Tab starts at its top.
            outside += 1
            if outside > 1:
                break
            continue
        outside = 0
        if not focused["ring"]:
            defects.append(f"no visible focus: {focused['what']}")
        if focused["mark"] is not None:
            if focused["mark"] in reached:
                break
            reached.add(focused["mark"])
        if len(reached) == wanted:
            break
    missing = page.evaluate(
        """(reached) => [...document.querySelectorAll('[data-a11y-focus]')]
              .filter((el) => !reached.includes(el.getAttribute('data-a11y-focus')))
              .map((el) => el.tagName.toLowerCase() + ' ' + (el.textContent || '').trim().slice(0, 40))""",
        sorted(reached),
    )
    return sorted(set(defects)) + [f"not reachable by Tab: {what}" for what in missing]


def check_pages(page, base: str, paths: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        response = page.goto(base + path)
        assert response is not None, path
        assert response.status == 200, (path, response.status)
        page.wait_for_load_state("networkidle")
        defects = defects_at(page, PHONE) + defects_at(page, DESKTOP) + keyboard_defects(page)
        if defects:
            found[path] = defects
    return found


@pytest.fixture
def lead_pages(gateway, mesh) -> list[str]:
    """A conversation with an AI reply, and leads enough for every column and a second page."""
    student = post_form(gateway, mesh)
    import_leads(mesh, [a_lead(f"Reader {n:02d}", course="Data Science", tags="fair") for n in range(55)])
    return [f"/leads/{student['lead_id']}"]


def test_the_pages_an_owner_opens_pass_the_accessibility_checks(page, console, owner, lead_pages):
    sign_in(page, console, owner)
    paths = [
        "/inbox",
        "/pipeline",
        "/leads",
        "/leads?sort=name&course=Data+Science",
        "/leads/import",
        *lead_pages,
        "/dashboard",
        "/knowledge",
        "/knowledge/new",
        "/settings",
        "/settings/ai",
        "/settings/templates",
        "/settings/sequences",
        "/settings/sequences/new",
        "/settings/company",
        "/settings/webhooks",
        "/operations",
        "/people",
    ]

    assert check_pages(page, console.url, paths) == {}


def test_the_pages_a_counsellor_opens_pass_the_accessibility_checks(page, console, counsellor, lead_pages):
    sign_in(page, console, counsellor)
    paths = ["/inbox", "/pipeline", "/leads", *lead_pages, "/dashboard", "/knowledge", "/settings"]

    assert check_pages(page, console.url, paths) == {}


def test_the_signed_out_pages_pass_the_accessibility_checks(page, console):
    paths = ["/sign-in", "/forgot-password", "/accept-invitation?token=shvt_unknown"]

    assert check_pages(page, console.url, paths) == {}


def test_the_checks_find_a_defect_put_into_a_page(page, console, owner):
    """The checks can fail: a page given an unnamed field, a faint text, a duplicate id and a
    wide box has each named."""
    sign_in(page, console, owner)
    page.goto(console.url + "/dashboard")
    page.evaluate(
        """() => {
          const main = document.querySelector('main');
          main.insertAdjacentHTML('beforeend',
            '<input id="main"><p class="faint">faint</p><div class="wide">wide</div>');
          main.querySelector('.faint').style.color = '#bbbbbb';
          main.querySelector('.wide').style.width = '2000px';
        }"""
    )

    found = "\n".join(defects_at(page, PHONE))

    assert "control without a name: <input#main>" in found
    assert '"faint"' in found.split("contrast", 1)[1]
    assert "id used 2 times: main" in found
    assert "page scrolls sideways" in found


def test_every_page_reads_without_javascript(browser, console, owner, lead_pages):
    """Each page is whole as the server sends it: its heading and what it lists, with no script."""
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    listed = {"/inbox": ".conversation-item", "/pipeline": ".card", "/leads": ".leads-table tbody tr"}
    try:
        sign_in(page, console, owner)
        for path in [
            *listed,
            "/leads?page_token=",
            *lead_pages,
            "/dashboard",
            "/knowledge",
            "/settings",
            "/operations",
            "/people",
        ]:
            response = page.goto(console.url + path)
            assert response is not None, path
            assert response.status == 200, (path, response.status)
            assert page.locator("main h1").count() == 1, path
            if path in listed:
                assert page.locator(listed[path]).count() > 0, path
        # The leads table's pages are links: forward and back without a script.
        page.goto(console.url + "/leads?sort=name")
        first = page.locator(".leads-table tbody tr").first.inner_text()
        page.get_by_role("link", name="Next page").click()
        assert page.locator(".leads-table tbody tr").first.inner_text() != first
        page.get_by_role("link", name="Previous page").click()
        assert page.locator(".leads-table tbody tr").first.inner_text() == first
    finally:
        context.close()
