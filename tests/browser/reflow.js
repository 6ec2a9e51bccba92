// WCAG 1.4.10 (reflow): the page's width against the viewport's, and what sticks out.
// Returns {scrollWidth, innerWidth, culprits}: the deepest visible elements whose right
// edge passes the viewport and that no scrolling or clipping box of their own holds in,
// and text that runs out of its element (a long e-mail address moves no element's edge).
() => {
  const innerWidth = window.innerWidth;
  const scrollWidth = document.documentElement.scrollWidth;
  const culprits = [];
  if (scrollWidth > innerWidth) {
    const describe = (el) => {
      let name = el.tagName.toLowerCase();
      if (el.id) name += `#${el.id}`;
      const classes = (el.getAttribute("class") || "").trim().split(/\s+/).filter(Boolean);
      if (classes.length) name += `.${classes.slice(0, 3).join(".")}`;
      return name;
    };
    const heldIn = (el) => {
      for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
        const overflow = getComputedStyle(box).overflowX;
        if (overflow !== "visible") return true;
      }
      return false;
    };
    const sticking = [...document.body.querySelectorAll("*")].filter((el) => {
      const rect = el.getBoundingClientRect();
      return rect.width > 0 && rect.right > innerWidth + 1 && !heldIn(el);
    });
    const pathTo = (el) => {
      const path = [];
      for (let node = el; node && node !== document.body && path.length < 4; node = node.parentElement) {
        path.unshift(describe(node));
      }
      return path.join(" > ");
    };
    for (const el of sticking) {
      if (sticking.some((other) => other !== el && el.contains(other))) continue;
      culprits.push(`${pathTo(el)} (right edge ${Math.round(el.getBoundingClientRect().right)} px)`);
      if (culprits.length >= 6) break;
    }
    const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let text = texts.nextNode(); text && culprits.length < 6; text = texts.nextNode()) {
      const el = text.parentElement;
      if (sticking.includes(el) || getComputedStyle(el).overflowX !== "visible" || heldIn(el)) continue;
      range.selectNodeContents(text);
      const rect = range.getBoundingClientRect();
      if (rect.width === 0 || rect.right <= innerWidth + 1) continue;
      const words = text.textContent.trim().replace(/\s+/g, " ");
      culprits.push(`text "${words.slice(0, 40)}" in ${pathTo(el)} (right edge ${Math.round(rect.right)} px)`);
    }
  }
  return { scrollWidth, innerWidth, culprits };
}
