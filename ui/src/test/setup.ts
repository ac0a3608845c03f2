import "@testing-library/jest-dom/vitest";

// jsdom has <dialog> but not its modal API: open and close it in place (no top layer,
// no inert page), which is all the component tests need.
if (!HTMLDialogElement.prototype.showModal) {
  HTMLDialogElement.prototype.showModal = function (this: HTMLDialogElement) {
    this.setAttribute("open", "");
  };
  HTMLDialogElement.prototype.close = function (this: HTMLDialogElement) {
    this.removeAttribute("open");
  };
}
