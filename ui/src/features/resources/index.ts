// What other features may open: the instance change dialogs.
export { ResizeDialog } from "./ResizeDialog";
export { BandwidthDialog } from "./BandwidthDialog";
