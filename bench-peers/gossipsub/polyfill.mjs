// Node.js 20 lacks Promise.withResolvers (V8 12.2, Node 22), which mortice and it-queue (libp2p's
// peer store and queues) call. run.mjs imports this before any libp2p module.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers () {
    let resolve, reject
    const promise = new this((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}
