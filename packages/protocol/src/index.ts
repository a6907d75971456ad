/**
 * Wire protocol of `scenario_execution_server`: msgpack maps over ZeroMQ,
 * byte-compatible with the Python implementation (see PROTOCOL.md).
 */
export { type DecodeResult, decode, EncodeError, encode, MAX_DEPTH, type WireMap, type WireValue } from './codec.js';
export { isZ85Key, Z85_ALPHABET } from './curve-key.js';
export { type BindOptions, bindAddress, DEFAULT_PORT, parseEndpoint } from './endpoint.js';
export {
  COMMAND_NAMES,
  type CommandName,
  DEFAULT_MAX_MESSAGE_SIZE,
  decodeReply,
  decodeRequest,
  type ErrorReply,
  encodeReply,
  encodeRequest,
  errorReply,
  type ExecutePayload,
  type HeartbeatPayload,
  type InitPayload,
  LOG_LEVELS,
  type LogLevel,
  type LogLine,
  makeRequest,
  type OkReply,
  okReply,
  type ParseResult,
  type PayloadByCommand,
  parseReply,
  parseRequest,
  type Reply,
  type ReplyExtras,
  type Request,
  type RequestError,
  type RequestOf,
  type RequestParseResult,
  type ResetPayload,
  type SetupPayload,
  type TerminatePayload,
  type UpdatePayload,
} from './messages.js';
export {
  ACTION_STATUS_NAMES,
  type ActionStatusName,
  isActionStatusName,
  isTreeStatusName,
  TREE_STATUS_NAMES,
  type TreeStatusName,
  toActionStatusName,
  toTreeStatusName,
  treeStatusFromTerminate,
  treeStatusFromUpdateReply,
} from './status.js';
