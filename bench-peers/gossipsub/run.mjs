#!/usr/bin/env node
// GossipSub (js-libp2p) as a peer row for ./bench compare: N libp2p nodes in this one Node.js process
// on 127.0.0.1 (TCP, noise, yamux), one topic, a random overlay, items published at random nodes.
// Progress goes to stderr; the only stdout line is "RESULT {json}". See README.md beside this file.
//
//   node run.mjs --nodes 50 --items 100 --warmup 20 --size 100 --rate 0 --config default --seed 1
import './polyfill.mjs' // first: Promise.withResolvers, before any libp2p module is loaded
import net from 'node:net'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { performance } from 'node:perf_hooks'

const TOPIC = 'bench'
const ITEM_PATIENCE_MS = 10_000 // an item not at every node this long after its publish is lost
const STOP_PATIENCE_MS = 15_000

// ---- wire bytes: every TCP socket that a node dials is recorded here (Socket.prototype.connect is
// what net.connect calls). Both ends are in this process on loopback, so a dialling socket's
// bytesWritten + bytesRead is everything both nodes of that link sent each other, counted once.
const dialledSockets = new Set()
const originalConnect = net.Socket.prototype.connect
net.Socket.prototype.connect = function connect (...args) {
  dialledSockets.add(this)
  return originalConnect.apply(this, args)
}
function socketBytes (s) {
  const written = Number(s.bytesWritten)
  return (Number.isFinite(written) ? written : (s._bytesDispatched ?? 0)) + (Number(s.bytesRead) || 0)
}
function wireBytes () {
  let total = 0
  for (const s of dialledSockets) total += socketBytes(s)
  return total
}

// ---- options
const USAGE = 'usage: node run.mjs [--nodes 50] [--items 100] [--warmup 20] [--size 100] [--rate 0] ' +
  '[--config default|tuned] [--seed 1] [--dials 6] [--override JSON]'
function parseArgs (argv) {
  const o = { nodes: 50, items: 100, warmup: 20, size: 100, rate: 0, config: 'default', seed: 1, dials: 6, override: null }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--help' || a === '-h') { process.stderr.write(USAGE + '\n'); process.exit(0) }
    if (!a.startsWith('--')) fail(`unexpected argument '${a}'\n${USAGE}`, 2)
    const key = a.slice(2)
    const v = argv[++i]
    if (v === undefined) fail(`${a} needs a value\n${USAGE}`, 2)
    if (key === 'config') o.config = v
    else if (key === 'override') {
      try { o.override = JSON.parse(v) } catch (e) { fail(`--override is not JSON: ${e.message}`, 2) }
    } else if (key in o) {
      const n = Number(v)
      if (!Number.isFinite(n)) fail(`${a} needs a number, not '${v}'`, 2)
      o[key] = n
    } else fail(`unknown option '${a}'\n${USAGE}`, 2)
  }
  if (!(o.config in CONFIGS)) fail(`--config must be one of ${Object.keys(CONFIGS).join(', ')}, not '${o.config}'`, 2)
  if (!Number.isInteger(o.nodes) || o.nodes < 2 || !Number.isInteger(o.items) || o.items < 1 ||
      !Number.isInteger(o.warmup) || o.warmup < 0 || !Number.isInteger(o.size) || o.size < 4 ||
      !(o.rate >= 0) || !Number.isInteger(o.dials) || o.dials < 1) {
    fail('need nodes >= 2, items >= 1, warmup >= 0, size >= 4 (the item number is its first 4 bytes), rate >= 0, dials >= 1', 2)
  }
  return o
}

// ---- configurations. Both share the one-host changes in libp2pOptions().
const CONFIGS = {
  default: {
    why: 'GossipSub as documented (D=6, Dlo=4, Dhi=12, Dlazy=6, 1 s heartbeat, flood publish, StrictSign ' +
      'with every copy\'s signature verified), changed only where 50 nodes on one host need it: 127.0.0.1 ' +
      'whitelisted from IP-colocation scoring, libp2p\'s 5-per-second inbound connection limit lifted, and ' +
      'the connection monitor kept from aborting links whose pings the shared thread answers late',
    gossipsub: () => ({})
  },
  tuned: {
    why: 'the default row plus GossipSub\'s own fast settings for a trusted topic on one CPU-bound thread: ' +
      'StrictNoSign with a fastMsgIdFn (no signature to make or check, a duplicate dropped from a hash of its ' +
      'bytes before decoding, as Lodestar runs on Ethereum) and a mesh of D=4 (Dlo=3, Dhi=8, Dout=1), since ' +
      'every duplicate costs the shared thread CPU and D=4 measured fastest here, ahead of D=5, 6 and 8',
    gossipsub: ({ StrictNoSign }) => ({
      globalSignaturePolicy: StrictNoSign,
      fastMsgIdFn: (rpcMsg) => fastHash(rpcMsg.data),
      D: 4,
      Dlo: 3,
      Dhi: 8,
      Dout: 1
    })
  }
}

// 53-bit string hash of a message's data (cyrb53): a fastMsgIdFn needs only to be quick and to
// collide rarely; GossipSub still computes the real id (SHA-256 of the data) for first copies.
function fastHash (data) {
  let h1 = 0xdeadbeef; let h2 = 0x41c6ce57
  if (data != null) {
    for (let i = 0; i < data.length; i++) {
      const b = data[i]
      h1 = Math.imul(h1 ^ b, 2654435761)
      h2 = Math.imul(h2 ^ b, 1597334677)
    }
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)
}

function libp2pOptions (o) {
  return {
    // inboundConnectionThreshold: libp2p accepts 5 inbound connections per second per host by default,
    // and every peer here is the host 127.0.0.1
    connectionManager: { inboundConnectionThreshold: Math.max(100, o.nodes * o.dials), maxIncomingPendingConnections: 50 },
    // the connection monitor pings every 10 s and aborts a link whose ping times out; with 50 nodes on
    // one JavaScript thread a ping waits behind the others' work, so links would be cut under load
    connectionMonitor: { abortConnectionOnPingFailure: false }
  }
}
function oneHostScoring () {
  // more than 10 peers on one IP are penalised below the publish threshold; here every peer is 127.0.0.1
  return { scoreParams: { IPColocationFactorWhitelist: new Set(['127.0.0.1']) } }
}

// ---- helpers
function fail (message, code = 1) {
  process.stderr.write(`gossipsub bench: ${message}\n`)
  process.exit(code)
}
const log = (message) => process.stderr.write(`gossipsub bench: ${message}\n`)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
function mulberry32 (seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
function percentile (sorted, p) { // nearest rank
  if (sorted.length === 0) return null
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))]
}
const round = (x, digits = 2) => x == null ? null : Number(x.toFixed(digits))
function versionOf (name) {
  try {
    return JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8')).version
  } catch { return null }
}
function withTimeout (promise, ms, what) {
  let timer
  return Promise.race([promise, new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms)
  })]).finally(() => clearTimeout(timer))
}

// ---- the run
async function main () {
  const o = parseArgs(process.argv.slice(2))
  const config = CONFIGS[o.config]
  const mode = o.rate > 0 ? 'rate' : 'sequential'
  const total = o.warmup + o.items
  // a last resort so that the process always exits: setup, every item's patience, and the stop
  const watchdogMs = 180_000 + (mode === 'rate' ? total / o.rate * 1000 + 2 * ITEM_PATIENCE_MS : total * ITEM_PATIENCE_MS) + STOP_PATIENCE_MS
  setTimeout(() => fail(`gave up after ${Math.round(watchdogMs / 1000)} s (watchdog)`, 3), watchdogMs).unref()

  let createLibp2p, tcp, noise, yamux, identify, gossipsub, StrictNoSign, TopicValidatorResult
  try {
    ({ createLibp2p } = await import('libp2p'))
    ;({ tcp } = await import('@libp2p/tcp'))
    ;({ noise } = await import('@chainsafe/libp2p-noise'))
    ;({ yamux } = await import('@chainsafe/libp2p-yamux'))
    ;({ identify } = await import('@libp2p/identify'))
    ;({ gossipsub } = await import('@chainsafe/libp2p-gossipsub'))
    ;({ StrictNoSign, TopicValidatorResult } = await import('@libp2p/interface'))
  } catch (e) {
    fail(`cannot load libp2p (${e.message}); run bench-peers/gossipsub/install.sh first`)
  }
  const gossipOptions = { ...oneHostScoring(), ...config.gossipsub({ StrictNoSign }), ...(o.override ?? {}) }
  if (o.override?.scoreParams) gossipOptions.scoreParams = { ...oneHostScoring().scoreParams, ...o.override.scoreParams }
  const configName = o.override ? `${o.config}+override` : o.config
  const versions = Object.fromEntries(['libp2p', '@chainsafe/libp2p-gossipsub', '@libp2p/tcp', '@chainsafe/libp2p-noise',
    '@chainsafe/libp2p-yamux', '@libp2p/identify', '@libp2p/crypto'].map((n) => [n, versionOf(n)]))
  log(`${o.nodes} nodes, config ${configName}, ${mode}${mode === 'rate' ? ` ${o.rate}/s` : ''}, ${o.warmup} warm-up + ` +
    `${o.items} measured items of ${o.size} bytes, seed ${o.seed}; node ${process.version}; gossipsub ` +
    `${versions['@chainsafe/libp2p-gossipsub']}, libp2p ${versions.libp2p}`)
  if (o.override) log(`override: ${JSON.stringify(o.override)}`)

  const nodes = []
  let stopping = false
  const stopAll = async () => {
    if (stopping) return
    stopping = true
    const settled = await withTimeout(Promise.allSettled(nodes.map((n) => n.stop())), STOP_PATIENCE_MS, 'stopping the nodes')
      .catch((e) => { log(e.message); return [] })
    const failed = settled.filter((s) => s.status === 'rejected').length
    if (failed > 0) log(`${failed} nodes failed to stop cleanly`)
  }
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
    process.once(signal, () => { log(`${signal}: stopping`); stopAll().finally(() => process.exit(code)) })
  }
  let strayErrors = 0
  process.on('unhandledRejection', (e) => { if (strayErrors++ < 5) log(`unhandled rejection (ignored): ${e?.stack ?? e}`) })

  try {
    // -- start the nodes, every one subscribed with an accepting validator, before any link exists
    const received = new Uint8Array(total * o.nodes) // node i has item seq: received[seq * nodes + i]
    const remaining = new Int32Array(total).fill(o.nodes - 1) // the publisher has its own item
    const sentAt = new Float64Array(total)
    const allAt = new Float64Array(total).fill(NaN) // ms from publish until the last node had it
    const eachLatencies = []
    const waiters = new Map()
    const copies = new Float64Array(total) // payload messages received, duplicates included
    let validations = 0
    let rpcBytesSent = 0
    const t0 = performance.now()
    for (let i = 0; i < o.nodes; i++) {
      const node = await createLibp2p({
        addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
        transports: [tcp()],
        connectionEncrypters: [noise()],
        streamMuxers: [yamux()],
        services: { identify: identify(), pubsub: gossipsub(gossipOptions) },
        ...libp2pOptions(o)
      })
      nodes.push(node)
      const pubsub = node.services.pubsub
      // the analogue of a validating module: every message passes through it, and it accepts
      pubsub.topicValidators.set(TOPIC, () => { validations++; return TopicValidatorResult.Accept })
      const index = i
      // copies: every RPC that reaches this node is counted before GossipSub looks at it (so a
      // duplicate counts as much as a first copy), by the item number in its first 4 bytes
      const handleReceivedRpc = pubsub.handleReceivedRpc.bind(pubsub)
      pubsub.handleReceivedRpc = (from, rpc) => {
        for (const m of rpc.messages ?? []) {
          if (m.topic === TOPIC && m.data != null && m.data.length >= 4) {
            const seq = ((m.data[0] << 24) | (m.data[1] << 16) | (m.data[2] << 8) | m.data[3]) >>> 0
            if (seq < total) copies[seq]++
          }
        }
        return handleReceivedRpc(from, rpc)
      }
      pubsub.addEventListener('message', (evt) => {
        const data = evt.detail.data
        if (evt.detail.topic !== TOPIC || data.length < 4) return
        const seq = ((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]) >>> 0
        if (seq >= total || received[seq * o.nodes + index]) return
        received[seq * o.nodes + index] = 1
        const latency = performance.now() - sentAt[seq]
        if (seq >= o.warmup) eachLatencies.push(latency)
        if (--remaining[seq] === 0) {
          allAt[seq] = latency
          waiters.get(seq)?.()
        }
      })
      pubsub.subscribe(TOPIC)
    }
    log(`started ${o.nodes} nodes in ${Math.round(performance.now() - t0)} ms`)

    // -- the overlay: each node dials `dials` random others (seeded), a few dials at a time
    const rng = mulberry32(o.seed)
    const pairs = new Set()
    const plan = []
    for (let i = 0; i < o.nodes; i++) {
      const wanted = Math.min(o.dials, o.nodes - 1)
      let picked = 0
      for (let tries = 0; picked < wanted && tries < 50 * o.nodes; tries++) {
        const j = Math.floor(rng() * o.nodes)
        const key = i < j ? `${i}-${j}` : `${j}-${i}`
        if (j === i || pairs.has(key)) continue
        pairs.add(key)
        plan.push([i, j])
        picked++
      }
    }
    const t1 = performance.now()
    let next = 0; let dialFailures = 0
    const dialer = async () => {
      while (next < plan.length) {
        const [i, j] = plan[next++]
        for (let attempt = 1; ; attempt++) {
          try {
            await nodes[i].dial(nodes[j].getMultiaddrs()[0], { signal: AbortSignal.timeout(20_000) })
            break
          } catch (e) {
            if (attempt === 3) { dialFailures++; log(`dial ${i} -> ${j} failed: ${e.message}`); break }
            await sleep(200)
          }
        }
      }
    }
    await Promise.all(Array.from({ length: 4 }, dialer))
    if (dialFailures > plan.length / 10) throw new Error(`${dialFailures} of ${plan.length} dials failed`)
    log(`${plan.length} dials (${o.dials} per node) in ${Math.round(performance.now() - t1)} ms, ${dialFailures} failed`)

    // -- wait until GossipSub has built every node's mesh: each has at least Dlo mesh peers (or every
    // subscriber it knows, if fewer), and the mesh links join all nodes, twice, a heartbeat apart
    const Dlo = gossipOptions.Dlo ?? 4
    const heartbeatMs = gossipOptions.heartbeatInterval ?? 1000
    const ids = nodes.map((n) => n.peerId.toString())
    const indexOf = new Map(ids.map((id, i) => [id, i]))
    const meshState = () => {
      const sizes = []; let ready = true
      const adjacency = nodes.map(() => [])
      nodes.forEach((n, i) => {
        const mesh = n.services.pubsub.getMeshPeers(TOPIC)
        const subscribers = n.services.pubsub.getSubscribers(TOPIC).length
        sizes.push(mesh.length)
        if (mesh.length < Math.min(Dlo, Math.max(1, subscribers)) || subscribers === 0) ready = false
        for (const p of mesh) {
          const j = indexOf.get(p)
          if (j !== undefined) { adjacency[i].push(j); adjacency[j].push(i) }
        }
      })
      const seen = new Uint8Array(nodes.length); const stack = [0]; seen[0] = 1; let reached = 1
      while (stack.length > 0) {
        for (const j of adjacency[stack.pop()]) if (!seen[j]) { seen[j] = 1; reached++; stack.push(j) }
      }
      return { ready: ready && reached === nodes.length, sizes, reached }
    }
    const t2 = performance.now()
    let readySince = null; let state
    for (;;) {
      state = meshState()
      const now = performance.now()
      if (!state.ready) readySince = null
      else if (readySince == null) readySince = now
      else if (now - readySince >= heartbeatMs) break
      if (now - t2 > 60_000) {
        throw new Error(`meshes not formed after 60 s: sizes ${state.sizes.join(',')}, ${state.reached} of ${nodes.length} nodes joined`)
      }
      await sleep(Math.min(250, heartbeatMs / 2))
    }
    const connections = nodes.reduce((sum, n) => sum + n.getConnections().length, 0)
    log(`meshes formed in ${Math.round(performance.now() - t2)} ms: mesh sizes ${Math.min(...state.sizes)}-${Math.max(...state.sizes)}, ` +
      `${(connections / o.nodes).toFixed(1)} connections per node`)
    // GossipSub's own bytes: every RPC a node sends goes through OutboundStream.push (length-prefixed
    // there) or pushPrefixed; counted before yamux and noise, for comparing with frames before TLS
    const anyStream = nodes.map((n) => n.services.pubsub.streamsOutbound.values().next().value).find((x) => x != null)
    if (anyStream == null) throw new Error('no GossipSub stream open after the meshes formed')
    const streamProto = Object.getPrototypeOf(anyStream)
    const varintLength = (n) => n < 128 ? 1 : n < 16384 ? 2 : n < 2097152 ? 3 : n < 268435456 ? 4 : 5
    const { push, pushPrefixed } = streamProto
    streamProto.push = function (data) { rpcBytesSent += data.length + varintLength(data.length); return push.call(this, data) }
    streamProto.pushPrefixed = function (data) { rpcBytesSent += data.byteLength; return pushPrefixed.call(this, data) }
    let disconnects = 0
    for (const n of nodes) n.addEventListener('connection:close', () => { disconnects++ })

    // -- publishing: items from random nodes (seeded), one after another or at a fixed rate
    const itemRng = mulberry32(o.seed ^ 0x9e3779b9)
    let publishErrors = 0
    const done = (seq) => remaining[seq] === 0
    const awaitItem = (seq, deadline) => done(seq)
      ? Promise.resolve()
      : new Promise((resolve) => {
        const timer = setTimeout(finish, Math.max(0, deadline - performance.now()))
        function finish () { clearTimeout(timer); waiters.delete(seq); resolve() }
        waiters.set(seq, finish)
      })
    const publish = (seq) => {
      const at = Math.floor(itemRng() * o.nodes)
      const data = new Uint8Array(o.size)
      for (let k = 4; k < o.size; k++) data[k] = Math.floor(itemRng() * 256)
      data[0] = seq >>> 24; data[1] = (seq >>> 16) & 255; data[2] = (seq >>> 8) & 255; data[3] = seq & 255
      received[seq * o.nodes + at] = 1
      sentAt[seq] = performance.now()
      nodes[at].services.pubsub.publish(TOPIC, data).catch((e) => {
        if (publishErrors++ < 5) log(`publish of item ${seq} at node ${at} failed: ${e.message}`)
      })
    }
    const phase = async (from, to, label) => {
      const interval = o.rate > 0 ? 1000 / o.rate : 0
      let nextAt = performance.now()
      let lastReport = performance.now()
      for (let seq = from; seq < to; seq++) {
        if (interval > 0) {
          nextAt += interval
          const wait = nextAt - performance.now()
          if (wait > 0) await sleep(wait)
        }
        publish(seq)
        if (interval === 0) await awaitItem(seq, sentAt[seq] + ITEM_PATIENCE_MS)
        if (performance.now() - lastReport > 5000) {
          lastReport = performance.now()
          log(`${label}: ${seq + 1 - from} of ${to - from} published`)
        }
      }
      for (let seq = from; seq < to; seq++) await awaitItem(seq, sentAt[seq] + ITEM_PATIENCE_MS)
      return performance.now()
    }
    if (o.warmup > 0) {
      await phase(0, o.warmup, 'warm-up')
      log(`warm-up: ${o.warmup} items, ${o.warmup - Array.from(remaining.subarray(0, o.warmup)).filter((r) => r === 0).length} incomplete`)
    }
    eachLatencies.length = 0
    const bytes0 = wireBytes(); const rpcBytes0 = rpcBytesSent; const cpu0 = process.cpuUsage(); const wall0 = performance.now()
    const elu0 = performance.eventLoopUtilization()
    const load0 = os.loadavg()[0]
    const disconnects0 = disconnects
    const wall1 = await phase(o.warmup, total, 'measured')
    const cpu = process.cpuUsage(cpu0); const bytes = wireBytes() - bytes0; const rpcBytes = rpcBytesSent - rpcBytes0
    const elu = performance.eventLoopUtilization(elu0).utilization
    const measuredDisconnects = disconnects - disconnects0
    const firstSent = sentAt[o.warmup]; const lastSent = sentAt[total - 1]
    await sleep(Math.min(1000, heartbeatMs)) // late duplicates of the last items still count as copies

    // -- figures
    const all = []; let lost = 0; let copiesSum = 0
    for (let seq = o.warmup; seq < total; seq++) {
      if (Number.isNaN(allAt[seq]) || allAt[seq] > ITEM_PATIENCE_MS) lost++
      else all.push(allAt[seq])
      copiesSum += copies[seq]
    }
    all.sort((a, b) => a - b)
    eachLatencies.sort((a, b) => a - b)
    const wallS = (wall1 - wall0) / 1000
    const result = {
      system: 'gossipsub',
      config: configName,
      why: config.why + (o.override ? `; overridden for this run: ${JSON.stringify(o.override)}` : ''),
      nodes: o.nodes,
      items: o.items,
      mode,
      rate: o.rate,
      all_p50_ms: round(percentile(all, 50)),
      all_p99_ms: round(percentile(all, 99)),
      lost,
      copies_per_node_item: round(copiesSum / (o.nodes * o.items), 3),
      bytes_per_node_item: round(bytes / (o.nodes * o.items), 1),
      cpu_ms_per_item: round((cpu.user + cpu.system) / 1000 / o.items),
      wall_s: round(wallS, 3),
      bytes_method: 'bytes on the TCP connections between the nodes (each dialling socket\'s bytesWritten + bytesRead, ' +
        'so both directions of every link once: noise-encrypted yamux frames with payload, signatures, GossipSub ' +
        'control, identify and ping; no TCP/IP headers) over the measured phase, divided by nodes x items',
      copies_method: 'payload messages in the RPCs each node received, duplicates and IWANT replies included (each node\'s ' +
        'GossipSub.handleReceivedRpc wrapped, counted by the item number in the payload until 1 s after the measured ' +
        'phase), divided by nodes x items; the publisher\'s own copy is not counted',
      rpc_bytes_per_node_item: round(rpcBytes / (o.nodes * o.items), 1),
      rpc_bytes_method: 'GossipSub RPCs sent (protobuf with its length prefix: payload messages, IHAVE, IWANT, GRAFT, ' +
        'PRUNE, subscriptions) over the measured phase, counted at OutboundStream.push before yamux and noise, ' +
        'divided by nodes x items',
      all_max_ms: round(all.length ? all[all.length - 1] : null),
      each_p50_ms: round(percentile(eachLatencies, 50)),
      each_p99_ms: round(percentile(eachLatencies, 99)),
      size: o.size,
      warmup: o.warmup,
      seed: o.seed,
      dials_per_node: o.dials,
      connections_per_node: round(connections / o.nodes, 1),
      mesh_size_min: Math.min(...state.sizes),
      mesh_size_max: Math.max(...state.sizes),
      // CPU-bound evidence: the share of the phase the event loop was busy, and CPU time over wall time
      event_loop_busy: round(elu, 3),
      // other work on the machine takes the thread's core: the 1-minute load average at both ends
      load_average: [round(load0), round(os.loadavg()[0])],
      cpu_per_wall: round((cpu.user + cpu.system) / 1000 / (wall1 - wall0), 3),
      achieved_rate: mode === 'rate' && o.items > 1 ? round((o.items - 1) / ((lastSent - firstSent) / 1000), 1) : null,
      disconnects: measuredDisconnects,
      publish_errors: publishErrors,
      cpu_bound_note: `all ${o.nodes} nodes share one JavaScript thread`,
      node: process.version,
      versions
    }
    log(`measured: ${o.items} items in ${wallS.toFixed(1)} s, all p50 ${result.all_p50_ms} ms, p99 ${result.all_p99_ms} ms, ` +
      `lost ${lost}, ${result.copies_per_node_item} copies, ${result.bytes_per_node_item} B on the wire (${result.rpc_bytes_per_node_item} B of RPCs) per node and item, ` +
      `${result.cpu_ms_per_item} CPU ms per item, event loop busy ${result.event_loop_busy}, CPU/wall ${result.cpu_per_wall}, ${measuredDisconnects} links closed, ${validations} validations in all`)
    await stopAll()
    process.stdout.write('RESULT ' + JSON.stringify(result) + '\n')
    process.exit(0)
  } catch (e) {
    log(`failed: ${e?.stack ?? e}`)
    await stopAll()
    process.exit(1)
  }
}

main().catch((e) => fail(`failed: ${e?.stack ?? e}`))
