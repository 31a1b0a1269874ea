/** nock emits an error object only when it is an Error instance (a plain object is silently dropped on node:http). */
export function systemError(code: string): Error {
  return Object.assign(new Error(code === 'ECONNREFUSED' ? 'connect ECONNREFUSED' : 'socket hang up'), { code });
}
