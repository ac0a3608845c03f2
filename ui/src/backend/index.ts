// The backend facade: the only module that talks to Tauri. Everything else imports from
// here, so components can be tested with a mocked IPC and the shell stays swappable.
// One object per area; all of them unwrap results and open channels through ./ipc.
export type * from "./bindings";
export { BackendError, errorDetail, isPriceChanged, apiLanguage } from "./ipc";
export { activityBackend } from "./activity";
export { alertsBackend } from "./alerts";
export { appBackend } from "./app";
export { billingBackend } from "./billing";
export { connectBackend, type SessionEvent } from "./connect";
export { peekBootCache, takeBootProfiles } from "./boot";
export { instancesBackend } from "./instances";
export { metricsBackend } from "./metrics";
export { profilesBackend } from "./profiles";
export { resourcesBackend } from "./resources";
export { viewsBackend } from "./views";
export { wizardBackend } from "./wizard";
