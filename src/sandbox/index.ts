export { startSandbox, type RunningSandbox, type SandboxOptions } from './server.js';
export { DEFAULT_SANDBOX_CREDENTIALS, type SandboxCredentials } from './credentials.js';
export {
  FAULT_KINDS,
  FaultController,
  faultCommandSchema,
  faultOptionsSchema,
  oneShotFaultSchema,
  type FaultCommand,
  type FaultKind,
  type FaultOptions,
  type OneShotFault,
  type ResolvedFaultOptions,
} from './faults.js';
export type { RecordedRequest } from './request-log.js';
export type { EmulatedApi, EmulatedRequest, EmulatedResponse } from './emulated-api.js';
export { generateTrackerSeed, type TrackerSeedOptions } from './tracker/seed.js';
export {
  loadTrackerSeed,
  readTrackerSeedFile,
  trackerSeedSchema,
  type TrackerSeed,
  type TrackerSeedInput,
} from './tracker/seed-schema.js';
export { TrackerState } from './tracker/state.js';
export { APRIORA_ACTIVITY_FIELD_NAMES, APRIORA_ACTIVITY_TYPE, defaultTrackerSettings } from './tracker/settings.js';
export { ASSOCIATIONS, type TrackerActivity, type TrackerCandidate, type TrackerJob } from './tracker/model.js';
export { WIDGET_OPS, isWidgetWriteOp, type WidgetOpName } from './tracker/widget.js';
export { WidgetStatus } from './tracker/protocol.js';
