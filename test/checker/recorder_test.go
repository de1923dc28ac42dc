package checker

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestRecorder feeds a Recorder from goroutines at once, as producer
// callbacks and consumers do, and checks the history it gives Check.
func TestRecorder(t *testing.T) {
	r := NewRecorder(true)
	var wg sync.WaitGroup
	for p := range int32(3) {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range 100 {
				r.Ack(fmt.Sprintf("p%d-%d", p, i), p, int64(i), nil)
			}
			r.Ack(fmt.Sprintf("p%d-failed", p), p, -1, errors.New("timed out"))
		}()
		go func() {
			defer wg.Done()
			for i := range 100 {
				r.Polled(Poll{Consumer: "final", Partition: p, Offset: int64(i), Value: fmt.Sprintf("p%d-%d", p, i)})
			}
		}()
	}
	wg.Wait()
	for p := range int32(3) {
		if n := r.Acked(p); n != 100 {
			t.Errorf("partition %d: %d acknowledged, want 100", p, n)
		}
	}
	h := r.History()
	h.Final = []string{"final"}
	res := Check(h)
	if res.Acked != 300 || res.Failed != 3 || res.Err() != nil {
		t.Errorf("acked %d, failed %d, anomalies %v; want 300, 3, none", res.Acked, res.Failed, res.Err())
	}
	// A record acknowledged and never read is lost: the recorder's
	// history is the checker's.
	r.Ack("unread", 0, 100, nil)
	h = r.History()
	h.Final = []string{"final"}
	if lost := Check(h).Lost; len(lost) != 1 || lost[0].Value != "unread" {
		t.Errorf("lost %v, want the unread record", lost)
	}
}

func TestRecorderWaitAcked(t *testing.T) {
	r := NewRecorder(false)
	r.Ack("before", 0, 0, nil)
	// Acknowledgements keep coming until the wait is over, so some arrive
	// after it counted its start, whenever that was.
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		for i := int64(1); ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(time.Millisecond):
			}
			r.Ack(fmt.Sprint(i), 0, i, nil)
			r.Ack(fmt.Sprint("other", i), 1, i, nil)
		}
	}()
	err := r.WaitAcked([]int32{0, 1}, 5, 10*time.Second)
	close(stop)
	<-stopped
	if err != nil {
		t.Fatal(err)
	}
	if r.Acked(0) < 6 || r.Acked(1) < 5 {
		t.Errorf("acknowledged %d and %d after the wait, want at least 6 and 5", r.Acked(0), r.Acked(1))
	}
	err = r.WaitAcked([]int32{0}, 1, 50*time.Millisecond)
	if err == nil {
		t.Fatal("waited for an acknowledgement nobody sends: want an error")
	}
	if want := "partition 0: fewer than 1 new acknowledgements within 50ms"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

func TestLongestGap(t *testing.T) {
	sec := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Second) }
	tests := []struct {
		name     string
		ts       []time.Time
		from, to time.Time
		want     time.Duration
	}{
		{"unsorted times", []time.Time{sec(7), sec(1), sec(2)}, sec(0), sec(8), 5 * time.Second},
		{"times outside the window", []time.Time{sec(1), sec(9)}, sec(2), sec(5), 3 * time.Second},
		{"none", nil, sec(2), sec(5), 3 * time.Second},
		{"the last edge", []time.Time{sec(1)}, sec(0), sec(10), 9 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := LongestGap(tt.ts, tt.from, tt.to); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// TestRecorderTransactions: sends inside transactions carry their
// transaction, and how each ended reaches the checker, which then counts
// an aborted transaction's record read by a read_committed consumer.
func TestRecorderTransactions(t *testing.T) {
	r := NewRecorder(true)
	r.AckTxn("t1-a", 0, 0, nil, 1)
	r.AckTxn("t2-a", 0, 1, nil, 2)
	r.Ended(1, Committed)
	r.Ended(2, Aborted)
	r.Polled(Poll{Consumer: "rc", Partition: 0, Offset: 0, Value: "t1-a"}, Poll{Consumer: "rc", Partition: 0, Offset: 1, Value: "t2-a"})
	if n := r.Committed(); n != 1 {
		t.Errorf("%d committed, want 1", n)
	}
	h := r.History()
	h.Final, h.ReadCommitted = []string{"rc"}, []string{"rc"}
	res := Check(h)
	if len(res.AbortedReads) != 1 || res.AbortedReads[0].Value != "t2-a" || len(res.Lost) != 0 {
		t.Errorf("aborted reads %v, lost %v; want t2-a read, nothing lost", res.AbortedReads, res.Lost)
	}
	h.Txns[1] = Aborted // the copy is the caller's
	if r.History().Txns[1] != Committed {
		t.Error("History shares its Txns map with the recorder")
	}
}
