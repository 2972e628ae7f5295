import type { Page } from 'playwright-core';

/** A problem the audit found on the page. */
export interface PageAuditFinding {
  what: 'unlabelled control' | 'low contrast';
  element: string;
  detail: string;
}

/**
 * Checks what the page shows now, in the browser: every visible form control and button has an accessible
 * name (a label, `aria-label`, or its text), and every visible text meets WCAG AA contrast against the
 * background it is drawn on (4.5:1, or 3:1 for text of 18.66 px bold / 24 px and more). Written as a string so
 * that it runs in the page as it is.
 */
export function auditPage(page: Page): Promise<PageAuditFinding[]> {
  return page.evaluate(`(() => {
    const findings = [];
    const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el); return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
    const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '');
    for (const el of document.querySelectorAll('input, select, textarea, button')) {
      if (!visible(el)) continue;
      const name = (el.getAttribute('aria-label') || '').trim() || Array.from(el.labels || []).map((l) => l.textContent).join(' ').trim() || (el.tagName === 'BUTTON' ? el.textContent.trim() : '');
      if (!name) findings.push({ what: 'unlabelled control', element: describe(el), detail: '' });
    }
    const rgba = (text) => { const m = text.match(/[\\d.]+/g).map(Number); return { r: m[0], g: m[1], b: m[2], a: m.length > 3 ? m[3] : 1 }; };
    const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
    const background = (el) => {
      for (let node = el; node; node = node.parentElement) { const c = rgba(getComputedStyle(node).backgroundColor); if (c.a > 0.5) return c; }
      return { r: 255, g: 255, b: 255, a: 1 };
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || seen.has(el) || !node.textContent.trim() || !visible(el)) continue;
      seen.add(el);
      const style = getComputedStyle(el);
      const fg = rgba(style.color);
      const bg = background(el);
      const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) findings.push({ what: 'low contrast', element: describe(el), detail: ratio.toFixed(2) + ':1 for "' + node.textContent.trim().slice(0, 40) + '"' });
    }
    return findings;
  })()`);
}
