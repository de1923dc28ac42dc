// kafkajs over SASL_SSL with PLAIN: produce n records, then read them back
// in a group. Usage: node kafkajs_sasl.js <broker> <ca.pem> <user> <password> <topic> <n>
// A failed login exits 1 with kafkajs's message on stderr.
const fs = require('fs');
const { Kafka, logLevel } = require('kafkajs');

const [broker, caFile, username, password, topic, count] = process.argv.slice(2);
const n = Number(count);
const kafka = new Kafka({
  clientId: 'kq-sasl-kafkajs',
  brokers: [broker],
  ssl: { ca: [fs.readFileSync(caFile, 'utf8')] },
  sasl: { mechanism: 'plain', username, password },
  logLevel: logLevel.NOTHING,
  retry: { retries: 2 },
});

async function main() {
  const producer = kafka.producer();
  await producer.connect();
  const messages = Array.from({ length: n }, (_, i) => ({ value: `js-${i}` }));
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: 'kq-sasl-kafkajs' });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let got = 0;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${got} of ${n} records in 60s`)), 60000);
    consumer.run({
      eachMessage: async ({ message }) => {
        console.log(message.value.toString());
        if (++got === n) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
}

main().catch((err) => {
  console.error(`${err.name}: ${err.message}`);
  process.exit(1);
});
