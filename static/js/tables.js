// Tables wider than the screen (on a phone): the box that scrolls them becomes a named, focusable
// region (so a keyboard can scroll it) and says above it that there is more to the side.
function markWideTables() {
  for (const wrapper of document.querySelectorAll(".app-table-wrapper")) {
    const wide = wrapper.scrollWidth > wrapper.clientWidth + 1;
    const hint = wrapper.previousElementSibling;
    const hasHint = hint && hint.classList.contains("app-table-scroll-hint");
    if (wide) {
      const caption = wrapper.querySelector("caption");
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
      if (!hasHint) {
        const text = document.createElement("p");
        text.className = "app-table-scroll-hint";
        text.textContent = "Scroll the table sideways to see every column.";
        wrapper.before(text);
      }
    } else {
      wrapper.removeAttribute("tabindex");
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("aria-label");
      if (hasHint) hint.remove();
    }
  }
}

markWideTables();
window.addEventListener("resize", markWideTables);
