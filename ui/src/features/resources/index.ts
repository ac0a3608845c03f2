// What other features may open: the resource page and the instance change dialogs.
export { ResourcesPage } from "./ResourcesPage";
export { ResizeDialog } from "./ResizeDialog";
export { BandwidthDialog } from "./BandwidthDialog";
