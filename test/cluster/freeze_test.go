package cluster

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kqhq/kq/test/harness"
)

// controllerEpoch reads /controller_epoch with kq zk.
func controllerEpoch(t *testing.T, connect string) (int, error) {
	res := harness.KQ(t, nil, "zk", "get", "/controller_epoch", "--zookeeper", connect)
	if res.Code != 0 {
		return 0, fmt.Errorf("kq zk get: exit %d: %s", res.Code, res.Stderr)
	}
	return strconv.Atoi(strings.TrimSpace(res.Stdout))
}

// A controller frozen past its session timeout is replaced; thawed, it
// finds its session gone, registers again as an ordinary broker and does
// not act on its stale epoch: every broker agrees on the new controller
// and on the partitions' leaders.
func TestFrozenControllerIsReplacedAndFenced(t *testing.T) {
	bs, connect := startZKClusterConnect(t, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	var first int32
	harness.Eventually(t, 20*time.Second, "a controller and three brokers", func() error {
		brokers, c, err := brokerMetadata(ctx, bs[0].Addr)
		if err != nil || c < 1 || len(brokers) != 3 {
			return fmt.Errorf("controller %d brokers %v err %v", c, brokers, err)
		}
		first = c
		return nil
	})
	if r, err := adminFor(t, bs[0].Addr).CreateTopic(ctx, 6, 1, nil, "frozen"); err != nil || r.Err != nil {
		t.Fatalf("create: %v %v", err, r.Err)
	}
	epoch1, err := controllerEpoch(t, connect)
	if err != nil {
		t.Fatal(err)
	}
	frozen := bs[first-1]
	frozen.Freeze()
	var others []string
	for _, b := range bs {
		if b != frozen {
			others = append(others, b.Addr)
		}
	}
	harness.Eventually(t, 30*time.Second, "a new controller with a higher epoch", func() error {
		_, c, err := brokerMetadata(ctx, others...)
		epoch, eerr := controllerEpoch(t, connect)
		if err != nil || eerr != nil || c == first || c < 1 || epoch <= epoch1 {
			return fmt.Errorf("controller %d epoch %d (was %d, %d) err %v %v", c, epoch, first, epoch1, err, eerr)
		}
		return nil
	})
	frozen.Thaw()
	harness.Eventually(t, 30*time.Second, "the thawed broker back, all agreeing", func() error {
		var ref string
		for _, b := range bs {
			brokers, c, err := brokerMetadata(ctx, b.Addr)
			if err != nil || len(brokers) != 3 || c == first {
				return fmt.Errorf("%s: controller %d brokers %d err %v", b.Addr, c, len(brokers), err)
			}
			l, _, err := leaders(ctx, b.Addr, "frozen")
			if err != nil || len(l) != 6 {
				return fmt.Errorf("%s: leaders %v err %v", b.Addr, l, err)
			}
			for p, leader := range l {
				if leader < 0 {
					return fmt.Errorf("%s: partition %d still offline", b.Addr, p)
				}
			}
			got := fmt.Sprint(c, l)
			if ref == "" {
				ref = got
			}
			if got != ref {
				return fmt.Errorf("%s says %s, another broker %s", b.Addr, got, ref)
			}
		}
		return nil
	})
}
