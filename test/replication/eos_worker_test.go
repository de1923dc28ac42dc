package replication

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// The exactly-once pipeline runs in processes of its own (this test
// binary started again with KQ_EOS_WORKER=1), so the test can SIGKILL and
// SIGSTOP a consumer as it does a broker. The environment configures it:
const (
	envWorker  = "KQ_EOS_WORKER"  // "1": run the worker instead of the tests
	envBrokers = "KQ_EOS_BROKERS" // seed brokers, comma separated
	envTxnID   = "KQ_EOS_TXN_ID"  // the worker's transactional id
	envFast    = "KQ_EOS_FAST"    // a file whose existence ends the pacing
)

// The worker's topics, group and pace.
const (
	eosGroup     = "eos-group"
	eosIn        = "eos-in"
	eosOut       = "eos-out"
	eosBatch     = 5                      // records polled per transaction at most (paced)
	eosFastBatch = 100                    // the same once the pacing ends
	eosPace      = 100 * time.Millisecond // each transaction stays open this long, its records written
	eosTxnTimout = 6 * time.Second        // transaction.timeout.ms
)

// init runs the worker before any test when the binary was started as one.
func init() {
	if os.Getenv(envWorker) == "1" {
		os.Exit(eosWorker())
	}
}

// eosWorker consumes eosIn in eosGroup with a GroupTransactSession and
// writes "out-<n>" for each "in-<n>" to eosOut, offsets committed in the
// transaction. Each transaction's records reach the log and the
// transaction stays open for eosPace before it is committed, so a fault
// lands inside an open transaction most of the time. It prints one line
// per ended transaction ("commit N" or "abort N") and exits 3 on any
// error: the test restarts it, and the new process fences the old one.
func eosWorker() int {
	s, err := kgo.NewGroupTransactSession(
		kgo.SeedBrokers(strings.Split(os.Getenv(envBrokers), ",")...),
		kgo.TransactionalID(os.Getenv(envTxnID)),
		kgo.TransactionTimeout(eosTxnTimout),
		kgo.ConsumerGroup(eosGroup),
		kgo.ConsumeTopics(eosIn),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.RequireStableFetchOffsets(),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.SessionTimeout(sessionTimeout),
		kgo.HeartbeatInterval(500*time.Millisecond),
		kgo.RebalanceTimeout(10*time.Second),
		kgo.DefaultProduceTopic(eosOut),
		kgo.ProducerBatchCompression(kgo.NoCompression()), // the test decodes the logs on disk
		kgo.RequestTimeoutOverhead(2*time.Second),
		kgo.RetryBackoffFn(func(int) time.Duration { return 100 * time.Millisecond }),
		kgo.MetadataMinAge(100*time.Millisecond),
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 3
	}
	ctx := context.Background()
	for {
		batch := eosBatch
		if fast() {
			batch = eosFastBatch
		}
		fs := s.PollRecords(ctx, batch)
		fs.EachError(func(topic string, p int32, err error) { fmt.Fprintf(os.Stderr, "fetch %s-%d: %v\n", topic, p, err) })
		recs := fs.Records()
		if len(recs) == 0 {
			continue
		}
		if err := eosTransaction(s, recs); err != nil {
			fmt.Fprintln(os.Stderr, "worker:", err)
			return 3
		}
	}
}

// fast reports whether the test ended the pacing.
func fast() bool {
	_, err := os.Stat(os.Getenv(envFast))
	return err == nil
}

// eosTransaction writes the transformed records in one transaction.
func eosTransaction(s *kgo.GroupTransactSession, recs []*kgo.Record) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.Begin(); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	for _, r := range recs {
		s.Produce(ctx, &kgo.Record{Key: r.Key, Value: []byte("out-" + strings.TrimPrefix(string(r.Value), "in-"))}, func(r *kgo.Record, err error) {
			if err != nil {
				fmt.Fprintf(os.Stderr, "produce %s: %v\n", r.Value, err)
			}
		})
	}
	if err := s.Client().Flush(ctx); err != nil {
		return fmt.Errorf("flush: %w", err)
	}
	if !fast() {
		time.Sleep(eosPace) // the pace of the pipeline: the transaction stays open
	}
	committed, err := s.End(ctx, kgo.TryCommit)
	if err != nil {
		return fmt.Errorf("end: %w", err)
	}
	if committed {
		fmt.Printf("commit %d\n", len(recs))
	} else {
		fmt.Printf("abort %d\n", len(recs))
	}
	return nil
}

// eosWorkerProc supervises one worker: it restarts the process whenever it
// ends (killed by the test or exiting on an error) until stop.
type eosWorkerProc struct {
	t      *testing.T
	id     string
	env    []string
	mu     sync.Mutex
	cmd    *exec.Cmd
	out    bytes.Buffer // stdout of every run
	logs   bytes.Buffer // stderr of every run
	exits  []string
	starts int
	stop   bool
	done   chan struct{}
}

func startEOSWorker(t *testing.T, c *cluster, id, fastFile string) *eosWorkerProc {
	w := &eosWorkerProc{t: t, id: id, done: make(chan struct{}),
		env: append(os.Environ(), envWorker+"=1", envBrokers+"="+strings.Join(c.allAddrs(), ","), envTxnID+"="+id, envFast+"="+fastFile)}
	go w.supervise()
	t.Cleanup(func() {
		w.shutdown()
		if t.Failed() {
			t.Logf("worker %s exits %v, stderr:\n%s", id, w.exits, w.stderr())
		}
	})
	return w
}

func (w *eosWorkerProc) supervise() {
	defer close(w.done)
	for {
		w.mu.Lock()
		if w.stop {
			w.mu.Unlock()
			return
		}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = w.env
		cmd.Stdout, cmd.Stderr = &lockedBuffer{mu: &w.mu, b: &w.out}, &lockedBuffer{mu: &w.mu, b: &w.logs}
		if err := cmd.Start(); err != nil {
			w.exits = append(w.exits, err.Error())
			w.mu.Unlock()
			return
		}
		w.cmd = cmd
		w.starts++
		w.mu.Unlock()
		err := cmd.Wait()
		w.mu.Lock()
		w.cmd = nil
		w.exits = append(w.exits, fmt.Sprint(err))
		w.mu.Unlock()
	}
}

func (w *eosWorkerProc) signal(sig syscall.Signal) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cmd != nil {
		_ = w.cmd.Process.Signal(sig)
	}
}

// kill SIGKILLs the running process; the supervisor starts a new one.
func (w *eosWorkerProc) kill() { w.signal(syscall.SIGKILL) }

func (w *eosWorkerProc) freeze() { w.signal(syscall.SIGSTOP) }
func (w *eosWorkerProc) thaw()   { w.signal(syscall.SIGCONT) }

// shutdown kills the worker for good and waits for its supervisor.
func (w *eosWorkerProc) shutdown() {
	w.mu.Lock()
	w.stop = true
	if w.cmd != nil {
		_ = w.cmd.Process.Signal(syscall.SIGCONT)
		_ = w.cmd.Process.Kill()
	}
	w.mu.Unlock()
	<-w.done
}

// ended counts the transactions the worker's runs committed and aborted
// (as GroupTransactSession.End reported them).
func (w *eosWorkerProc) ended() (commits, aborts int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	sc := bufio.NewScanner(bytes.NewReader(w.out.Bytes()))
	for sc.Scan() {
		switch {
		case strings.HasPrefix(sc.Text(), "commit "):
			commits++
		case strings.HasPrefix(sc.Text(), "abort "):
			aborts++
		}
	}
	return commits, aborts
}

// runs is how many processes the worker started.
func (w *eosWorkerProc) runs() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.starts
}

func (w *eosWorkerProc) stderr() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	s := w.logs.String()
	if len(s) > 8000 {
		s = "...\n" + s[len(s)-8000:]
	}
	return s
}

type lockedBuffer struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
