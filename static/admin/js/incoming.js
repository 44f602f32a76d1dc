// The Incoming queue refreshes itself: it asks the server whether the queue changed and, when it did,
// reads the same page again and merges its rows into this one. New stories go in at the top; rows
// already here are updated in place, keeping their ticks; a row that left the queue is greyed out
// rather than removed, so nothing moves under the editor's pointer.
"use strict";
(function () {
  function rowKey(row) {
    const box = row.querySelector("input.action-select");
    return box ? box.value : null;
  }

  function rowsByKey(tbody) {
    const rows = new Map();
    for (const row of tbody.rows) {
      const key = rowKey(row);
      if (key) rows.set(key, row);
    }
    return rows;
  }

  function merge(tbody, fresh) {
    const here = rowsByKey(tbody);
    const there = rowsByKey(fresh);
    let added = 0;
    const first = tbody.rows[0] || null;
    for (const [key, row] of there) {
      const mine = here.get(key);
      if (!mine) {
        row.classList.add("incoming-new");
        tbody.insertBefore(document.importNode(row, true), first);
        added += 1;
      } else if (mine.dataset.html !== row.innerHTML) {
        const box = mine.querySelector("input.action-select");
        const ticked = box && box.checked;
        mine.innerHTML = row.innerHTML;
        mine.dataset.html = row.innerHTML;
        const newBox = mine.querySelector("input.action-select");
        if (newBox) newBox.checked = ticked;
      }
    }
    // Rows newer than the oldest row read again but missing from it have left the queue.
    const oldest = Math.min(...Array.from(there.keys(), Number));
    for (const [key, row] of here) {
      if (!there.has(key) && Number(key) > oldest && !row.classList.contains("incoming-gone")) {
        row.classList.add("incoming-gone");
        row.querySelectorAll("input, button").forEach((control) => { control.disabled = true; });
      }
    }
    return added;
  }

  document.addEventListener("DOMContentLoaded", function () {
    const status = document.getElementById("incoming-refresh");
    const tbody = document.querySelector("#result_list tbody");
    if (!status || !status.dataset.statusUrl) return;
    const note = status.querySelector(".incoming-refresh__state");
    const every = Math.max(1, Number(status.dataset.seconds) || 15) * 1000;
    let stamp = null;
    if (tbody) for (const row of tbody.rows) row.dataset.html = row.innerHTML;

    async function check() {
      if (document.hidden) return;
      try {
        const answer = await fetch(status.dataset.statusUrl, { headers: { Accept: "application/json" } });
        if (!answer.ok) return;
        const now = (await answer.json()).stamp;
        if (stamp !== null && now !== stamp) await refresh();
        stamp = now;
      } catch (error) {
        note.textContent = "Could not reach the server; trying again.";
      }
    }

    async function refresh() {
      const answer = await fetch(window.location.href, { headers: { Accept: "text/html" } });
      if (!answer.ok) return;
      const page = new DOMParser().parseFromString(await answer.text(), "text/html");
      const fresh = page.querySelector("#result_list tbody");
      const table = document.querySelector("#result_list tbody");
      if (!fresh || !table) {
        window.location.reload();  // the queue was empty, or is now: nothing to keep a place in
        return;
      }
      const added = merge(table, fresh);
      const when = new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      note.textContent = added ? `${added} new at ${when}.` : `Updated at ${when}.`;
    }

    check();
    window.setInterval(check, every);
  });
})();
