export { APRIORA_API_PREFIX, APRIORA_OPS, type AprioraOpName, isAprioraWriteOp } from './apriora/api.js';
export type {
  AprioraCandidate,
  AprioraInvitation,
  AprioraPosition,
  AprioraReport,
  AprioraTemplate,
  IntegrationSettings,
  TrackerIntegration,
  TrackerIntegrationCredentials,
} from './apriora/model.js';
export { MAX_PAGE_SIZE as APRIORA_MAX_PAGE_SIZE } from './apriora/ops.js';
export { type AprioraErrorBody, AprioraFailure } from './apriora/protocol.js';
export {
  type AprioraSeed,
  type AprioraSeedInput,
  aprioraSeedSchema,
  DEFAULT_APRIORA_TEMPLATES,
  defaultAprioraSeed,
  loadAprioraSeed,
} from './apriora/seed.js';
export { APRIORA_SIGNATURE_HEADER, signAprioraWebhook } from './apriora/signature.js';
export {
  type AprioraSnapshot,
  AprioraState,
  type CompleteInterviewInput,
  type NewInvitation,
  type NewPosition,
  type PositionPatch,
} from './apriora/state.js';
export {
  DEFAULT_APRIORA_API_KEY,
  DEFAULT_SANDBOX_CREDENTIALS,
  type ResolvedSandboxCredentials,
  type SandboxCredentials,
} from './credentials.js';
export { SANDBOX_DEFAULT_ADDRESS } from './defaults.js';
export type { EmulatedApi, EmulatedRequest, EmulatedResponse, TransportErrorStatus } from './emulated-api.js';
export {
  FAULT_KINDS,
  type FaultCommand,
  FaultController,
  type FaultKind,
  type FaultOptions,
  faultCommandSchema,
  faultOptionsSchema,
  type OneShotFault,
  oneShotFaultSchema,
  type ResolvedFaultOptions,
} from './faults.js';
export type { RecordedRequest } from './request-log.js';
export { type RunningSandbox, type SandboxOptions, startSandbox } from './server.js';
export { ASSOCIATIONS, type TrackerActivity, type TrackerCandidate, type TrackerJob } from './tracker/model.js';
export { WidgetStatus } from './tracker/protocol.js';
export { generateTrackerSeed, type TrackerSeedOptions } from './tracker/seed.js';
export {
  loadTrackerSeed,
  readTrackerSeedFile,
  type TrackerSeed,
  type TrackerSeedInput,
  trackerSeedSchema,
} from './tracker/seed-schema.js';
export { APRIORA_ACTIVITY_FIELD_NAMES, APRIORA_ACTIVITY_TYPE, defaultTrackerSettings } from './tracker/settings.js';
export { TrackerState } from './tracker/state.js';
export { isWidgetWriteOp, WIDGET_OPS, type WidgetOpName } from './tracker/widget.js';
