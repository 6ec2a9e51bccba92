// WCAG 1.4.11 (non-text contrast), which axe does not test: the computed colours of the
// edges of form controls and buttons, and of the focus indicator, against the colour next
// to them, by the WCAG contrast formula. Returns one line per failure (empty: all pass).
//
// - Text fields, selects, text areas, and checkboxes and radios drawn by the page
//   (appearance: none): the strongest visible border side (or, without one, the fill)
//   needs 3:1 against the background around the control.
// - Buttons (and links styled as buttons): if a border or a fill sets the button off from
//   its surroundings at all, the strongest of them needs 3:1; a button drawn as text alone
//   is identified by its text, whose contrast axe checks.
// - Focus: each kind of control and link, focused from the keyboard, shows an outline (or a
//   box-shadow) of 3:1 against what surrounds it.
// Disabled and invisible controls are exempt (as WCAG says); native checkboxes and radios
// (appearance: auto) are Chromium's own, drawn at 4.5:1.
//
// Called twice: with part "edges" (nothing focused, so every control shows its resting
// edge), then, after one Tab, with part "focus".
({ minimum, part }) => {
  const failures = [];
  // Colours are read at the end of their transitions (Bootstrap eases borders and shadows).
  const settle = (el) => el.getAnimations().forEach((animation) => animation.finish());

  const parse = (value) => {
    const match = /^rgba?\(([^)]+)\)$/.exec(value.trim());
    if (!match) return null;
    const parts = match[1].split(/[\s,/]+/).filter(Boolean).map(parseFloat);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const over = (top, bottom) => {
    const alpha = top[3];
    return [0, 1, 2].map((i) => top[i] * alpha + bottom[i] * (1 - alpha)).concat(1);
  };
  const luminance = (rgb) => {
    const [r, g, b] = rgb.slice(0, 3).map((channel) => {
      const c = channel / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  };
  const hex = (rgb) => "#" + rgb.slice(0, 3).map((c) => Math.round(c).toString(16).padStart(2, "0")).join("");

  // The colour painted behind an element: its ancestors' backgrounds, on white.
  const backdrop = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) {
        layers.push(colour);
        if (colour[3] === 1) break;
      }
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };

  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.type && el.tagName === "INPUT") name += `[type=${el.type}]`;
    if (el.id) name += `#${el.id}`;
    else if (el.name) name += `[name=${el.name}]`;
    const classes = (el.getAttribute("class") || "").trim().split(/\s+/).filter(Boolean);
    if (classes.length) name += `.${classes.slice(0, 3).join(".")}`;
    // Buttons and links by their text, fields by their label.
    const pressable = el.matches("button, input[type=submit], input[type=button], input[type=reset], a, summary, .btn, .button");
    const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
    const text = ((pressable ? el.innerText || el.value : label) || el.getAttribute("aria-label") || "").trim();
    if (text) name += ` "${text.slice(0, 30)}"`;
    return name;
  };

  const visible = (el) => {
    const rect = el.getBoundingClientRect();
    if (rect.width <= 2 || rect.height <= 2) return false;
    const style = getComputedStyle(el);
    if (style.visibility !== "visible" || parseFloat(style.opacity) === 0) return false;
    // Visually hidden (Bootstrap's .visually-hidden, the admin's clipped inputs).
    if (/^rect\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\)$/.test(style.clip)) return false;
    return el.checkVisibility ? el.checkVisibility({ opacityProperty: true }) : true;
  };
  const disabled = (el) =>
    el.matches(":disabled") || el.getAttribute("aria-disabled") === "true";

  // Each kind of element once per surrounding colour is enough: a changelist has a
  // hundred alike checkboxes.
  const seen = new Set();
  const firstOfKind = (el, prefix) => {
    const key = [prefix, el.tagName, el.type || "", el.getAttribute("class") || "",
      hex(backdrop(el.parentElement || el))].join("|");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };

  const borders = (el, style, outside) =>
    ["Top", "Right", "Bottom", "Left"]
      .filter((side) => parseFloat(style[`border${side}Width`]) >= 1 &&
        !["none", "hidden"].includes(style[`border${side}Style`]))
      .map((side) => parse(style[`border${side}Color`]))
      .filter((colour) => colour && colour[3] > 0)
      .map((colour) => over(colour, outside));

  // A composite widget (the admin's autocomplete) is drawn by its outer box (role=combobox);
  // the search box inside it has no edge of its own.
  const FIELDS = "input:not([type=hidden]):not([type=image]):not([type=submit]):not([type=button]):not([type=reset]):not(.select2-search__field), select, textarea, [role=combobox]";
  const BUTTONS = "button, input[type=submit], input[type=button], input[type=reset], .btn, .button, [role=button]";

  if (part === "edges") {
    if (document.activeElement && document.activeElement !== document.body) {
      document.activeElement.blur();
    }
    document.getAnimations().forEach((animation) => animation.finish());
  }
  const controls = part === "edges" ? document.querySelectorAll(`${FIELDS}, ${BUTTONS}`) : [];
  for (const el of controls) {
    if (!visible(el) || disabled(el) || !firstOfKind(el, "edge")) continue;
    const style = getComputedStyle(el);
    const outside = backdrop(el.parentElement || el);
    const isButton = el.matches(BUTTONS);
    const isToggle = el.matches("input[type=checkbox], input[type=radio]");
    if (isToggle && style.appearance !== "none") continue;
    const fill = over(parse(style.backgroundColor) || [0, 0, 0, 0], outside);
    const edges = borders(el, style, outside);
    const candidates = isButton || edges.length === 0 ? [...edges, fill] : edges;
    const best = Math.max(...candidates.map((colour) => ratio(colour, outside)));
    // A button with neither a border nor a fill of its own is text (checked by axe).
    if (isButton && best < 1.1) continue;
    if (best < minimum) {
      const shown = candidates.map(hex).join("/");
      failures.push(`edge ${best.toFixed(2)}:1 ${describe(el)}: ${shown} on ${hex(outside)}`);
    }
  }

  // The focus indicator, shown as the keyboard shows it (the caller pressed Tab once, so
  // Chromium treats the focus moves below as keyboard focus, :focus-visible).
  const FOCUSABLE = `${FIELDS}, ${BUTTONS}, .select2-search__field, a[href], summary, [tabindex]:not([tabindex="-1"])`;
  const before = document.activeElement;
  const focusable = part === "focus" ? document.querySelectorAll(FOCUSABLE) : [];
  for (const el of focusable) {
    if (!visible(el) || disabled(el) || !firstOfKind(el, "focus")) continue;
    el.focus({ preventScroll: true });
    if (document.activeElement !== el) continue;
    settle(el);
    const style = getComputedStyle(el);
    const outside = backdrop(el.parentElement || el);
    let colour = null;
    let against = outside;
    if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 1) {
      colour = parse(style.outlineColor);
      if (parseFloat(style.outlineOffset) < 0) against = backdrop(el);
    } else if (style.boxShadow && style.boxShadow !== "none") {
      const shadow = /rgba?\([^)]+\)/.exec(style.boxShadow);
      colour = shadow && parse(shadow[0]);
    }
    if (!colour || colour[3] === 0) {
      failures.push(`focus: no outline or shadow on ${describe(el)}`);
      continue;
    }
    const shown = over(colour, against);
    const contrast = ratio(shown, against);
    if (contrast < minimum) {
      failures.push(`focus ${contrast.toFixed(2)}:1 ${describe(el)}: ${hex(shown)} on ${hex(against)}`);
    }
  }
  if (document.activeElement && document.activeElement !== before) document.activeElement.blur();
  window.scrollTo(0, 0);
  return failures;
}
