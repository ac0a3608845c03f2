// What other features may open: the billing dialogs for a selection of instances (any
// billing model; each dialog lists the instances it does not apply to, with the reason).
export { ConvertToPrepaidDialog, RenewDialog, AutoRenewDialog } from "./BillingDialogs";
export { whyNot, daysLeft } from "./eligibility";
