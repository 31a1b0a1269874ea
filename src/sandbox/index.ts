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
  DEFAULT_TRACKER_REST_TOKEN,
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
export {
  REST_EXCHANGE_OP,
  REST_MAX_PAGE_SIZE,
  REST_SEARCH_OP,
  TRACKER_REST_OPS,
  TRACKER_REST_PREFIX,
  type TrackerRestOpName,
} from './tracker/rest-api.js';
export { DEFAULT_REST_TOKEN_TTL_SECONDS, type RestAuth, type RestAuthView } from './tracker/rest-auth.js';
export type { OpportunityResourceRow } from './tracker/rest-rows.js';
export { generateTrackerSeed, type TrackerSeedOptions } from './tracker/seed.js';
export {
  loadTrackerSeed,
  readTrackerSeedFile,
  type TrackerSeed,
  type TrackerSeedInput,
  trackerSeedSchema,
} from './tracker/seed-schema.js';
export { APRIORA_ACTIVITY_FIELD_NAMES, APRIORA_ACTIVITY_TYPE, defaultTrackerSettings } from './tracker/settings.js';
export { type AddedApplicant, type NewApplicant, TrackerState } from './tracker/state.js';
export { isWidgetWriteOp, WIDGET_OPS, type WidgetOpName } from './tracker/widget.js';
