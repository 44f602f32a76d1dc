// A live page: new and edited updates appear without a reload.
// The page works without this script (a reload shows the same). It asks the page's fragment
// (cached like any page) for what changed after the newest change it holds, while the tab is visible.
"use strict";
(function () {
  const live = document.querySelector("[data-live-url]");
  if (!live || !window.fetch || !window.DOMParser) return;
  const list = live.querySelector(".live__updates");
  const announce = live.querySelector(".live__announce");
  const interval = Math.max(Number(live.dataset.livePoll) || 15, 1) * 1000;
  let cursor = live.dataset.liveCursor;
  let failures = 0;
  let timer = null;
  let stopped = false;

  function schedule(delay) {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(poll, delay);
  }

  function apply(fragment) {
    const root = fragment.querySelector("[data-live-cursor]");
    if (!root) return;
    cursor = root.dataset.liveCursor;
    const top = fragment.getElementById("live-top");
    const shown = document.getElementById("live-top");
    if (top && shown && top.innerHTML !== shown.innerHTML) shown.replaceWith(top);
    let added = 0;
    // Newest first in the fragment: insert the oldest first so the newest ends on top.
    for (const update of Array.from(root.querySelectorAll(".live-update")).reverse()) {
      const held = document.getElementById(update.id);
      if (!held) {
        list.prepend(update);
        added += 1;
      } else if (held.dataset.version !== update.dataset.version) {
        held.replaceWith(update);
      }
    }
    if (added) {
      const empty = live.querySelector(".live__empty");
      if (empty) empty.remove();
      announce.textContent = added === 1 ? "1 new update" : `${added} new updates`;
    }
    if (root.dataset.liveState !== "live") stopped = true;
  }

  async function poll() {
    if (document.hidden) return; // asked again when the tab is shown
    try {
      const url = `${live.dataset.liveUrl}?after=${encodeURIComponent(cursor)}`;
      // no-cache: revalidate every time (a 304 is cheap) instead of reusing the browser's copy for max-age.
      const response = await fetch(url, { cache: "no-cache", credentials: "same-origin" });
      if (response.status === 404 || response.status === 410) {
        stopped = true; // unpublished, or no longer a live page
        return;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      apply(new DOMParser().parseFromString(await response.text(), "text/html"));
      failures = 0;
    } catch (error) {
      failures += 1;
    }
    schedule(Math.min(interval * 2 ** failures, 300000));
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) schedule(0);
  });
  schedule(interval);
})();
