// What other features may use: the wizard page and the ways to open it prefilled.
export { WizardPage } from "./WizardPage";
export { openWizardWith, buyTheSame, onOpenWizard, type DraftSource } from "./prefill";
