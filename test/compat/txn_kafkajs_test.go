package compat

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// kafkajs installs kafkajs from the committed package-lock.json into
// testdata/txn/node_modules (npm ci, once) and returns node's path.
func kafkajs(t *testing.T, dir string) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		skipOrFail(t, "node is not installed: %v", err)
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		skipOrFail(t, "npm is not installed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "kafkajs", "package.json")); err != nil {
		runScript(t, dir, npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
	}
	return node
}

// TestTxnKafkajs: kafkajs's transactional producer commits, aborts and
// commits across three partitions; its read_committed group consumer and
// franz-go's read exactly the committed records.
func TestTxnKafkajs(t *testing.T) {
	const n, topic = 15, "js-txn"
	dir := txnScriptDir(t)
	node := kafkajs(t, dir)
	b := startTxnBroker(t)
	parts := createTopics(t, b.Admin(), map[string]int32{topic: 3})
	runScript(t, dir, node, "kafkajs_txn.js", "produce", b.Addr, topic, "3", "kafkajs-txn", fmt.Sprint(n))
	waitStable(t, b.Admin(), topic)
	writeSentinels(t, b.Addr, parts)
	checkScriptRead(t, runScript(t, dir, node, "kafkajs_txn.js", "consume", b.Addr, topic, "3"), "js", 3, n)
	checkFranzRead(t, b.Addr, topic, "js", 3, n)
}
