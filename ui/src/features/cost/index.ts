// The cost page (run-rate by billing model, and the Billing tab with its dialogs).
export { CostPage } from "./CostPage";
