export { startSandbox, type RunningSandbox, type SandboxOptions } from './server.js';
export { SANDBOX_DEFAULT_ADDRESS } from './defaults.js';
export {
  DEFAULT_APRIORA_API_KEY,
  DEFAULT_SANDBOX_CREDENTIALS,
  type ResolvedSandboxCredentials,
  type SandboxCredentials,
} from './credentials.js';
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
export type { EmulatedApi, EmulatedRequest, EmulatedResponse, TransportErrorStatus } from './emulated-api.js';
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
export { APRIORA_API_PREFIX, APRIORA_OPS, isAprioraWriteOp, type AprioraOpName } from './apriora/api.js';
export { MAX_PAGE_SIZE as APRIORA_MAX_PAGE_SIZE } from './apriora/ops.js';
export {
  AprioraState,
  type AprioraSnapshot,
  type CompleteInterviewInput,
  type NewInvitation,
  type NewPosition,
  type PositionPatch,
} from './apriora/state.js';
export {
  aprioraSeedSchema,
  defaultAprioraSeed,
  DEFAULT_APRIORA_TEMPLATES,
  loadAprioraSeed,
  type AprioraSeed,
  type AprioraSeedInput,
} from './apriora/seed.js';
export { AprioraFailure, type AprioraErrorBody } from './apriora/protocol.js';
export { APRIORA_SIGNATURE_HEADER, signAprioraWebhook } from './apriora/signature.js';
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
