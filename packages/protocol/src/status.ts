/**
 * Status names on the wire. `terminate` carries the behaviour-tree status in
 * upper case (`"SUCCESS"`); an `update` reply carries the action status in
 * lower case (`"success"`).
 */

/** Behaviour-tree status names, as in `new_status` of `terminate`. */
export type TreeStatusName = 'INVALID' | 'RUNNING' | 'SUCCESS' | 'FAILURE';
/** Action status names, as in `action_status` of an `update` reply. */
export type ActionStatusName = 'invalid' | 'running' | 'success' | 'failure';

export const TREE_STATUS_NAMES: readonly TreeStatusName[] = ['INVALID', 'RUNNING', 'SUCCESS', 'FAILURE'];
export const ACTION_STATUS_NAMES: readonly ActionStatusName[] = ['invalid', 'running', 'success', 'failure'];

export function isTreeStatusName(v: unknown): v is TreeStatusName {
  return typeof v === 'string' && (TREE_STATUS_NAMES as readonly string[]).includes(v);
}

export function isActionStatusName(v: unknown): v is ActionStatusName {
  return typeof v === 'string' && (ACTION_STATUS_NAMES as readonly string[]).includes(v);
}

/** `"SUCCESS"` → `"success"`. */
export function toActionStatusName(status: TreeStatusName): ActionStatusName {
  return status.toLowerCase() as ActionStatusName;
}

/** `"success"` → `"SUCCESS"`. */
export function toTreeStatusName(status: ActionStatusName): TreeStatusName {
  return status.toUpperCase() as TreeStatusName;
}

/**
 * Reading an `update` reply: like the Python client, anything but
 * running/success/failure (including a missing value) counts as FAILURE.
 */
export function treeStatusFromUpdateReply(actionStatus: unknown): 'RUNNING' | 'SUCCESS' | 'FAILURE' {
  if (actionStatus === 'running') return 'RUNNING';
  if (actionStatus === 'success') return 'SUCCESS';
  return 'FAILURE';
}

/**
 * Reading `new_status` of a `terminate` request: like the Python server, an
 * unknown name counts as INVALID.
 */
export function treeStatusFromTerminate(newStatus: unknown): TreeStatusName {
  return isTreeStatusName(newStatus) ? newStatus : 'INVALID';
}
