"""confluent-kafka-python (librdkafka) transactions against kq.

  confluent_txn.py produce BOOTSTRAP TOPIC PARTITIONS TXN_ID N
      init_transactions; then per partition N records "py-c1-<p>-<i>"
      committed, N "py-a1-..." flushed and aborted, N "py-c2-..." committed.
  confluent_txn.py consume BOOTSTRAP TOPIC PARTITIONS
      read_committed from the beginning of each partition until its
      record "end-of-test"; prints one JSON line per record before it:
      {"p": partition, "o": offset, "v": value}.

Run by test/compat/txn_librdkafka_test.go; exits non-zero on any error.
"""

import json
import sys
import time

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, Producer, TopicPartition

SENTINEL = b"end-of-test"


def produce(bootstrap, topic, partitions, txn_id, n):
    p = Producer({"bootstrap.servers": bootstrap, "transactional.id": txn_id, "linger.ms": 5})
    p.init_transactions(30)
    for label, commit in (("c1", True), ("a1", False), ("c2", True)):
        p.begin_transaction()
        for part in range(partitions):
            for i in range(n):
                p.produce(topic, value=f"py-{label}-{part}-{i}".encode(), partition=part)
        if p.flush(30) != 0:
            raise SystemExit("records still unsent after 30s")
        if commit:
            p.commit_transaction(30)
        else:
            p.abort_transaction(30)


def consume(bootstrap, topic, partitions):
    c = Consumer({
        "bootstrap.servers": bootstrap,
        "group.id": "confluent-txn-reader",
        "isolation.level": "read_committed",
        "enable.auto.commit": False,
    })
    c.assign([TopicPartition(topic, part, OFFSET_BEGINNING) for part in range(partitions)])
    done = set()
    deadline = time.monotonic() + 30
    while len(done) < partitions:
        if time.monotonic() > deadline:
            raise SystemExit(f"only partitions {sorted(done)} reached their sentinel within 30s")
        m = c.poll(0.5)
        if m is None:
            continue
        if m.error():
            raise KafkaException(m.error())
        if m.partition() in done:
            raise SystemExit(f"partition {m.partition()}: a record at {m.offset()} after the sentinel")
        if m.value() == SENTINEL:
            done.add(m.partition())
            continue
        print(json.dumps({"p": m.partition(), "o": m.offset(), "v": m.value().decode()}), flush=True)
    c.close()


def main(argv):
    if argv[1] == "produce":
        produce(argv[2], argv[3], int(argv[4]), argv[5], int(argv[6]))
    elif argv[1] == "consume":
        consume(argv[2], argv[3], int(argv[4]))
    else:
        raise SystemExit(f"unknown command {argv[1]}")


if __name__ == "__main__":
    main(sys.argv)
