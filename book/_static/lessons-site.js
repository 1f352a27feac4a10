/*
 * The site's own fixes on top of sphinx-book-theme 1.3.0 and pydata-sphinx-theme 0.17.1 (listed in
 * _config.yml's html_js_files; every page loads it). Each part says what it repairs. Nothing here loads
 * anything from another server.
 */
(function () {
  "use strict";

  // pydata-sphinx-theme shows the chapter list beside the text from this width on; below it, the list is a
  // drawer (a <dialog>) that the hamburger opens.
  const WIDE = window.matchMedia("(min-width: 960px)");

  /*
   * 1. The hamburger on a wide screen hides or shows the chapter list, giving the text the whole width (what
   *    sphinx-book-theme's "Toggle primary sidebar" button promises). pydata's handler would instead open the
   *    drawer on top of the list that is already there. Below 960 px the click goes on to pydata's handler,
   *    which opens the drawer. The choice lasts for the browser tab (sessionStorage).
   */
  const COLLAPSED = "lessons-primary-collapsed";
  const root = document.documentElement;
  try {
    if (window.sessionStorage.getItem(COLLAPSED) === "1") root.classList.add(COLLAPSED);
  } catch (error) {
    /* storage unavailable (file://, privacy settings): the list starts shown */
  }
  const syncExpanded = () => {
    document.querySelectorAll(".bd-header-article .primary-toggle").forEach((button) => {
      if (WIDE.matches) {
        button.setAttribute("aria-expanded", String(!root.classList.contains(COLLAPSED)));
      } else {
        button.removeAttribute("aria-expanded"); // it opens a dialog here, it does not expand anything
      }
    });
  };
  document.addEventListener(
    "click",
    (event) => {
      const toggle = event.target.closest && event.target.closest(".primary-toggle");
      if (!toggle || !WIDE.matches) return;
      event.preventDefault();
      event.stopPropagation(); // capture phase on document: pydata's handler on the button never sees it
      const collapsed = root.classList.toggle(COLLAPSED);
      try {
        window.sessionStorage.setItem(COLLAPSED, collapsed ? "1" : "0");
      } catch (error) {
        /* see above */
      }
      syncExpanded();
    },
    true,
  );
  WIDE.addEventListener("change", syncExpanded);

  const ready = (callback) => {
    if (document.readyState !== "loading") callback();
    else document.addEventListener("DOMContentLoaded", callback);
  };

  ready(() => {
    syncExpanded();

    /*
     * 2. The drawers: a name for each dialog, and a tap on a link inside closes the drawer (for a link to a
     *    heading on the same page the reader otherwise stays behind the open drawer). Opening them is
     *    pydata's own code, which works once the page has only one pair of toggles (navbar_persistent: []
     *    in _config.yml).
     */
    [
      ["pst-primary-sidebar-modal", "Chapter list"],
      ["pst-secondary-sidebar-modal", "Contents of this page"],
    ].forEach(([id, label]) => {
      const dialog = document.getElementById(id);
      if (!dialog) return;
      dialog.setAttribute("aria-label", label);
      dialog.addEventListener("click", (event) => {
        if (dialog.open && event.target.closest("a[href]")) dialog.close();
      });
    });

    /*
     * 3. Accessible names (axe-core: summary-name). The chapter list's expand/collapse <summary> elements
     *    hold only a chevron icon; each gets a name from its entry, read by screen readers and not shown.
     */
    document.querySelectorAll(".bd-sidenav details > summary").forEach((summary) => {
      if (summary.textContent.trim()) return;
      const link = summary.parentElement.parentElement.querySelector(":scope > a");
      const hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = link ? `Sections of ${link.textContent.trim()}` : "Sections";
      summary.appendChild(hidden);
    });

    // myst-nb's folded code cells (tag hide-input) name their <summary> "Toggle hidden content" while it
    // shows "Show code cell source" (axe-core: label-content-name-mismatch): the visible text is the name.
    document.querySelectorAll('details.hide > summary[aria-label="Toggle hidden content"]').forEach((summary) => {
      if (summary.textContent.trim()) summary.removeAttribute("aria-label");
    });

    /*
     * 4. Landmarks (axe-core: region). The chapter list's column holds the book's title link and the search
     *    field outside its <nav>; the column as a whole is the book's navigation.
     */
    const primary = document.getElementById("pst-primary-sidebar");
    if (primary && !primary.hasAttribute("role")) {
      primary.setAttribute("role", "navigation");
      primary.setAttribute("aria-label", "Book");
    }

    /*
     * 5. The bibliography (axe-core: aria-required-children). Docutils marks the citation list role="list"
     *    and each entry role="doc-biblioentry", which ARIA 1.2 deprecates and does not accept as a list's
     *    child; each entry becomes a listitem.
     */
    document.querySelectorAll('.citation-list[role="list"] > .citation').forEach((entry) => {
      entry.setAttribute("role", "listitem");
    });
  });

  /*
   * 6. Search results. Sphinx's search page shows, under each result, 240 characters of the page's text
   *    around the first match, taken from the page's [role=main] element (Search.htmlToText). Under this
   *    theme that element begins with the contents list made for printing, holds the header buttons, and
   *    keeps math as its TeX source, so the summary showed a list of headings or "\(\frac{...}\)". Here
   *    the text comes from the article alone, display math is left out and inline math is shown as its
   *    plain symbols.
   */
  const GREEK = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ε", varepsilon: "ε", eta: "η", theta: "θ",
    lambda: "λ", mu: "μ", pi: "π", rho: "ρ", sigma: "σ", tau: "τ", phi: "φ", psi: "ψ", omega: "ω",
    Delta: "Δ", Sigma: "Σ", nabla: "∇", partial: "∂", odot: "⊙", cdot: "·", times: "×", approx: "≈",
    leq: "≤", geq: "≥", neq: "≠", infty: "∞", to: "→", in: "∈", sum: "Σ", prod: "∏", ldots: "…", dots: "…",
  };
  const ACCENTS = { hat: "\u0302", bar: "\u0304", tilde: "\u0303" }; // combining marks: \hat{y} is ŷ
  const plainTeX = (tex) =>
    tex
      .replace(/^\\\(|\\\)$/g, "")
      .replace(/\\(hat|bar|tilde)\s*\{([^{}]*)\}/g, (whole, accent, base) => base + ACCENTS[accent])
      .replace(/\\(?:mathbf|mathrm|text|operatorname|boldsymbol|mathcal|hat|tilde|bar|vec)\s*/g, "")
      .replace(/\\([A-Za-z]+)/g, (whole, name) => GREEK[name] || name)
      .replace(/\\[,;:! ]/g, " ")
      .replace(/\\([%$&#_])/g, "$1")
      .replace(/[{}]/g, "")
      .replace(/\s+/g, " ")
      .trim();
  const articleText = (htmlString, anchor) => {
    const doc = new DOMParser().parseFromString(htmlString, "text/html");
    const remove = [".headerlink", "script", "style", "div.math", "#jb-print-docs-body"];
    doc.querySelectorAll(remove.join(", ")).forEach((el) => el.remove());
    doc.querySelectorAll("span.math").forEach((el) => el.replaceWith(plainTeX(el.textContent)));
    const article = doc.querySelector("article.bd-article") || doc.querySelector('[role="main"]');
    if (!article) return "";
    const target = anchor && anchor.startsWith("#") ? doc.getElementById(decodeURIComponent(anchor.slice(1))) : null;
    const section = target && article.contains(target) ? target : null;
    return (section || article).textContent.replace(/\s+/g, " ");
  };
  ready(() => {
    // searchtools.js declares Search on every page of this theme; the search page is where it is used.
    if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") return;
    const original = Search.htmlToText;
    Search.htmlToText = (htmlString, anchor) => {
      try {
        return articleText(htmlString, anchor) || original(htmlString, anchor);
      } catch (error) {
        return original(htmlString, anchor);
      }
    };
    // Sphinx centres the summary on the last search word's first occurrence; when the words occur
    // together as typed ("forget gate"), centre it there instead, as Sphinx does (240 characters).
    const summary = Search.makeSearchSummary;
    if (typeof summary !== "function") return;
    Search.makeSearchSummary = (htmlText, keywords, anchor) => {
      const words = [...keywords];
      const text = words.length > 1 ? Search.htmlToText(htmlText, anchor) : "";
      const at = text.toLowerCase().indexOf(words.join(" ").toLowerCase());
      if (at < 0) return summary(htmlText, keywords, anchor);
      const start = Math.max(at - 120, 0);
      const paragraph = document.createElement("p");
      paragraph.classList.add("context");
      paragraph.textContent =
        (start > 0 ? "..." : "") + text.substr(start, 240).trim() + (start + 240 < text.length ? "..." : "");
      return paragraph;
    };
  });
})();

/*
 * 7. Figures open at full size. Sphinx links each notebook figure (a 2x PNG shown at its 1x size, see
 *    scripts/build_book.py) to its file; the link says so on hover. Its accessible name stays the figure's
 *    alt text.
 */
(function () {
  "use strict";
  const label = () =>
    document.querySelectorAll(".bd-article a.image-reference").forEach((link) => {
      if (!link.title) link.title = "Open the figure at full size";
    });
  if (document.readyState !== "loading") label();
  else document.addEventListener("DOMContentLoaded", label);
})();

/*
 * 8. Static explorers (lessons_lib/explorers/static.py): precomputed frames over a grid of controls. Each
 *    slider picks a stop along its control; the frame shown is the one of the combination of all stops. A
 *    frame is a separate PNG that the browser fetches when it is first shown (the page loads only the one
 *    it opens with); once a reader touches an explorer, the neighbouring frames are fetched ahead. Each
 *    slider announces its value's name (aria-valuetext), and the frame's alt text names every value.
 */
(function () {
  "use strict";
  const wire = (root) => {
    const source = root.querySelector("script.lessons-explorer-data");
    if (!source || root.dataset.wired) return;
    root.dataset.wired = "1";
    const data = JSON.parse(source.textContent);
    const img = root.querySelector("img.lessons-explorer-frame");
    const sliders = Array.from(root.querySelectorAll(".lessons-explorer-controls input[type=range]"));
    const outputs = sliders.map((s) => root.querySelector(`output[for="${s.id}"]`));
    const sizes = data.names.map((names) => names.length);
    const strides = sizes.map((_, k) => sizes.slice(k + 1).reduce((a, b) => a * b, 1));
    const at = (stops) => stops.reduce((sum, i, k) => sum + i * strides[k], 0);
    const stops = () => sliders.map((s) => Number(s.value));
    const fetched = new Set([img.getAttribute("src")]);
    const prefetch = (current) => {
      current.forEach((i, k) => {
        [i - 1, i + 1].forEach((j) => {
          if (j < 0 || j >= sizes[k]) return;
          const next = current.slice();
          next[k] = j;
          const url = data.frames[at(next)];
          if (fetched.has(url)) return;
          fetched.add(url);
          new Image().src = url;
        });
      });
    };
    const show = () => {
      const current = stops();
      sliders.forEach((s, k) => {
        const name = data.names[k][current[k]];
        s.setAttribute("aria-valuetext", name);
        if (outputs[k]) outputs[k].textContent = name;
      });
      img.src = data.frames[at(current)];
      fetched.add(img.getAttribute("src"));
      img.alt = data.title + ": " + data.labels.map((l, k) => `${l} = ${data.names[k][current[k]]}`).join(", ");
      prefetch(current);
    };
    sliders.forEach((s) => s.addEventListener("input", show));
    const ahead = () => prefetch(stops());
    root.addEventListener("focusin", ahead, { once: true });
    root.addEventListener("pointerenter", ahead, { once: true });
  };
  const wireAll = () => document.querySelectorAll(".lessons-explorer-static").forEach(wire);
  if (document.readyState !== "loading") wireAll();
  else document.addEventListener("DOMContentLoaded", wireAll);
})();
