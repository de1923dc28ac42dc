// kafkajs transactions against kq.
//
//   node kafkajs_txn.js produce BROKERS TOPIC PARTITIONS TXN_ID N
//       per partition N records "js-c1-<p>-<i>" committed, N "js-a1-..."
//       sent and aborted, N "js-c2-..." committed, one transaction each.
//   node kafkajs_txn.js consume BROKERS TOPIC PARTITIONS
//       a read_committed group consumer from the beginning until each
//       partition's record "end-of-test"; prints one JSON line per record
//       before it: {"p": partition, "o": offset, "v": value}.
//
// Run by test/compat/txn_kafkajs_test.go; exits non-zero on any error.
const { Kafka, logLevel } = require('kafkajs')

const SENTINEL = 'end-of-test'

async function produce (kafka, topic, partitions, transactionalId, n) {
  const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 })
  await producer.connect()
  for (const [label, commit] of [['c1', true], ['a1', false], ['c2', true]]) {
    const txn = await producer.transaction()
    for (let p = 0; p < partitions; p++) {
      const messages = []
      for (let i = 0; i < n; i++) messages.push({ partition: p, value: `js-${label}-${p}-${i}` })
      await txn.send({ topic, acks: -1, messages })
    }
    if (commit) await txn.commit()
    else await txn.abort()
  }
  await producer.disconnect()
}

async function consume (kafka, topic, partitions) {
  const consumer = kafka.consumer({ groupId: 'kafkajs-txn-reader', readUncommitted: false, maxWaitTimeInMs: 200 })
  await consumer.connect()
  await consumer.subscribe({ topic, fromBeginning: true })
  const done = new Set()
  let fail = null
  const finished = new Promise((resolve) => {
    consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const value = message.value.toString()
        if (done.has(partition)) fail = `partition ${partition}: a record at ${message.offset} after the sentinel`
        else if (value === SENTINEL) done.add(partition)
        else console.log(JSON.stringify({ p: partition, o: Number(message.offset), v: value }))
        if (done.size === partitions || fail) resolve()
      }
    })
  })
  const timeout = new Promise((resolve, reject) => setTimeout(() => reject(new Error(`only partitions ${[...done]} reached their sentinel within 30s`)), 30000))
  await Promise.race([finished, timeout])
  await consumer.disconnect()
  if (fail) throw new Error(fail)
}

async function main ([cmd, brokers, topic, partitions, ...rest]) {
  const kafka = new Kafka({ clientId: 'kq-compat', brokers: brokers.split(','), logLevel: logLevel.ERROR })
  if (cmd === 'produce') await produce(kafka, topic, Number(partitions), rest[0], Number(rest[1]))
  else if (cmd === 'consume') await consume(kafka, topic, Number(partitions))
  else throw new Error(`unknown command ${cmd}`)
}

main(process.argv.slice(2)).then(() => process.exit(0), (err) => {
  console.error(err && err.stack ? err.stack : err)
  process.exit(1)
})
