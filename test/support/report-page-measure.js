/**
 * Runs inside the report page (see report-page-check.ts): the laid-out size [width, height] of the
 * timeline, its milestones, the touched-data rows, the evidence hashes and of each text that must show.
 * Zero when the element or an ancestor is hidden (display none, visibility hidden, zero opacity).
 */
// biome-ignore lint/correctness/noUnusedVariables: called by name from page.evaluate
function measureReportPage(texts) {
  const shown = (el) => {
    for (let e = el; e !== null; e = e.parentElement) {
      const st = getComputedStyle(e);
      if (st.display === 'none' || st.visibility === 'hidden' || Number(st.opacity) === 0) return false;
    }
    return true;
  };
  const size = (el) => {
    if (el === null || !shown(el)) return [0, 0];
    const r = el.getBoundingClientRect();
    return r.bottom + window.scrollY < 0 || r.right < 0 ? [0, 0] : [r.width, r.height];
  };
  const all = (sel) => Array.from(document.querySelectorAll(sel)).map(size);
  const textSize = (t) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
      const at = n.nodeValue.indexOf(t);
      if (at < 0 || n.parentElement === null || !shown(n.parentElement)) continue;
      const range = document.createRange();
      range.setStart(n, at);
      range.setEnd(n, at + t.length);
      const r = range.getBoundingClientRect();
      return [r.width, r.height];
    }
    return null;
  };
  return {
    timeline: size(document.querySelector('svg.timeline')),
    milestones: all('svg.timeline g.milestone circle'),
    touchedRows: all('table.touched tbody tr'),
    hashes: all('code.hash'),
    texts: texts.map(textSize),
  };
}
