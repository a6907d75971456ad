/** The four states of a behaviour, as in py_trees. */
export enum Status {
  INVALID = 'INVALID',
  RUNNING = 'RUNNING',
  SUCCESS = 'SUCCESS',
  FAILURE = 'FAILURE',
}
