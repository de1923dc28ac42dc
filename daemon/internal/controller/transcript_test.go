package controller

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
)

// TestTranscripts runs the scenarios under testdata/: each command changes
// the world (brokers, topics, what leaders write) and, once the core is
// elected, steps it with the event the driver would read; the expected
// output is every effect the core asked for, with the world's answer to
// each store effect. Regenerate with go test -run TestTranscripts -rewrite.
func TestTranscripts(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		r := newRunner()
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			r.t = t
			out, err := r.run(d)
			if err != nil {
				d.Fatalf(t, "%v", err)
			}
			return out
		})
	})
}

// runner is one scenario: a world, and the core once elected.
type runner struct {
	t      testing.TB // of the command being run
	w      *world
	core   *core
	lastOp OpID
}

func newRunner() *runner { return &runner{w: newWorld()} }

func (r *runner) run(d *datadriven.TestData) (string, error) {
	cmd, ok := commands[d.Cmd]
	if !ok {
		return "", fmt.Errorf("unknown command %q", d.Cmd)
	}
	ev, err := cmd(r, d)
	if err != nil || ev == nil {
		return "ok\n", err
	}
	if r.core == nil {
		return "", fmt.Errorf("%s needs an elected controller", d.Cmd)
	}
	return r.step(ev), nil
}

// step runs the core to idle as the driver does, printing each Ready.
func (r *runner) step(ev Event) string {
	var lines []string
	pending := []Event{ev}
	for len(pending) > 0 {
		rd := r.core.Step(pending[0])
		pending = pending[1:]
		results := map[EffectID]Result{}
		for _, eff := range rd.Effects {
			if id := effectID(eff); id != 0 {
				res := r.w.apply(eff)
				results[id] = res
				pending = append(pending, res)
			}
		}
		lines = append(lines, printEffects(rd.Effects, results)...)
	}
	if r.core.Busy() {
		lines = append(lines, "BUG: the core is still busy")
	}
	if len(lines) == 0 {
		return "no effects\n"
	}
	return strings.Join(lines, "\n") + "\n"
}

type command func(r *runner, d *datadriven.TestData) (Event, error)

var commands map[string]command

func init() {
	commands = map[string]command{
		"elect":                   cmdElect,
		"brokers":                 cmdBrokers,
		"create-topic":            cmdCreateTopic,
		"add-partitions":          cmdAddPartitions,
		"leader-writes":           cmdLeaderWrites,
		"isr-change":              cmdIsrChange,
		"delete-topic":            cmdDeleteTopic,
		"controlled-shutdown":     cmdControlledShutdown,
		"elect-leaders":           cmdElectLeaders,
		"preferred-election-node": cmdPreferredElection,
		"rebalance":               cmdRebalance,
		"config":                  cmdConfig,
		"fence":                   cmdFence,
		"flapping":                cmdFlapping,
		"alter-reassignments":     cmdAlterReassignments,
		"list-reassignments":      cmdListReassignments,
		"reassign-node":           cmdReassignNode,
		"state-changed":           cmdStateChanged,
		"log-dir-event":           cmdLogDirEvent,
		"replicas-offline":        cmdReplicasOffline,
	}
}

// elect epoch=N: the controller wins the election and reads the world.
// Config set before it applies.
func cmdElect(r *runner, d *datadriven.TestData) (Event, error) {
	var epoch int
	d.ScanArgs(r.t, "epoch", &epoch)
	imbalance := 10
	d.MaybeScanArgs(r.t, "imbalance", &imbalance)
	w := r.w
	r.core = newCore(coreConfig{
		BrokerID:            1,
		UncleanElection:     func(topic string) bool { return w.unclean[topic] },
		DeleteTopicEnable:   func() bool { return w.deleteEnable },
		ImbalancePercentage: imbalance,
	})
	return Elected{Epoch: int32(epoch), Snapshot: w.snapshotAll()}, nil
}

// brokers 1 2 3 [restart=(2)]: the registered brokers; a restarted broker
// registers again with a new broker epoch.
func cmdBrokers(r *runner, d *datadriven.TestData) (Event, error) {
	keep := map[int32]bool{}
	for _, a := range d.CmdArgs {
		if a.Key == "restart" {
			for _, v := range a.Vals {
				id, err := parseID(v)
				if err != nil {
					return nil, err
				}
				r.w.register(id)
			}
			continue
		}
		id, err := parseID(a.Key)
		if err != nil {
			return nil, err
		}
		keep[id] = true
		if _, ok := r.w.brokers[id]; !ok {
			r.w.register(id)
		}
	}
	for id := range r.w.brokers {
		if !keep[id] {
			delete(r.w.brokers, id)
		}
	}
	if r.core == nil {
		return nil, nil
	}
	return BrokersChanged{Live: r.w.live(), Epochs: r.w.brokersEpochs()}, nil
}

func (w *world) brokersEpochs() map[int32]int64 {
	out := map[int32]int64{}
	for id, e := range w.brokers {
		out[id] = e
	}
	return out
}

// create-topic t with one "partition: replicas..." line per partition.
func cmdCreateTopic(r *runner, d *datadriven.TestData) (Event, error) {
	name := d.CmdArgs[0].Key
	replicas, err := parseAssignment(d.Input)
	if err != nil {
		return nil, err
	}
	wt := &worldTopic{assignment: Assignment{ID: [16]byte{1}, Replicas: replicas}, states: map[int32]PartitionState{}}
	r.w.topics[name] = wt
	if r.core == nil {
		return nil, nil
	}
	return TopicsChanged{Names: sortedKeys(r.w.topics), Loaded: map[string]TopicSnapshot{name: r.w.snapshot(wt)}}, nil
}

// add-partitions t with the new partitions' lines.
func cmdAddPartitions(r *runner, d *datadriven.TestData) (Event, error) {
	name := d.CmdArgs[0].Key
	added, err := parseAssignment(d.Input)
	if err != nil {
		return nil, err
	}
	wt, ok := r.w.topics[name]
	if !ok {
		return nil, fmt.Errorf("no topic %s", name)
	}
	for p, replicas := range added {
		wt.assignment.Replicas[p] = replicas
	}
	return AssignmentChanged{Topic: name, Assignment: r.w.snapshot(wt).Assignment}, nil
}

// leader-writes t/0 [leader=N] [epoch=N] [isr=(...)]: a leader (or an
// earlier controller) writes a partition's state, without notifying.
func cmdLeaderWrites(r *runner, d *datadriven.TestData) (Event, error) {
	tp, err := parseTP(d.CmdArgs[0].Key)
	if err != nil {
		return nil, err
	}
	return nil, r.w.leaderWrites(tp, func(s *PartitionState) { scanState(r, d, s) })
}

// isr-change t/0 isr=(...): a leader changes the ISR and writes a
// notification.
func cmdIsrChange(r *runner, d *datadriven.TestData) (Event, error) {
	tp, err := parseTP(d.CmdArgs[0].Key)
	if err != nil {
		return nil, err
	}
	if err := r.w.leaderWrites(tp, func(s *PartitionState) { scanState(r, d, s) }); err != nil {
		return nil, err
	}
	r.w.notifyIsr(tp)
	states := map[string]map[int32]PartitionState{}
	s, _ := r.w.stateOf(tp)
	states[tp.Topic] = map[int32]PartitionState{tp.Partition: s}
	return IsrChanged{Names: append([]string(nil), r.w.isrNotes...), States: states}, nil
}

// delete-topic t [quiet]: an admin asks for the topic's deletion; quiet
// writes the request without the controller hearing of it yet.
func cmdDeleteTopic(r *runner, d *datadriven.TestData) (Event, error) {
	r.w.deletions[d.CmdArgs[0].Key] = true
	if d.HasArg("quiet") {
		return nil, nil
	}
	return DeletionsRequested{Topics: sortedKeys(r.w.deletions)}, nil
}

// controlled-shutdown id=N [epoch=N|stale]: broker N asks to shut down,
// with its registration's epoch unless told otherwise.
func cmdControlledShutdown(r *runner, d *datadriven.TestData) (Event, error) {
	var id int
	d.ScanArgs(r.t, "id", &id)
	current, registered := r.w.brokers[int32(id)]
	asked := current
	if a, ok := d.Arg("epoch"); ok {
		if a.Vals[0] == "stale" {
			asked = current - 1
		} else if n, err := strconv.ParseInt(a.Vals[0], 10, 64); err == nil {
			asked = n
		}
	}
	r.lastOp++
	return ControlledShutdownRequested{Op: r.lastOp, Broker: int32(id), BrokerEpoch: asked, Registered: registered, Current: current}, nil
}

// elect-leaders preferred|unclean [t/0 ...]: an ElectLeaders request; no
// partitions means all.
func cmdElectLeaders(r *runner, d *datadriven.TestData) (Event, error) {
	typ := PreferredElection
	if d.CmdArgs[0].Key == "unclean" {
		typ = UncleanElection
	}
	parts, err := parseTPs(d.CmdArgs[1:])
	if err != nil {
		return nil, err
	}
	r.lastOp++
	return ElectLeadersRequested{Op: r.lastOp, Type: typ, Partitions: parts}, nil
}

// preferred-election-node t/0 ...: kafka-preferred-replica-election.sh
// wrote /admin/preferred_replica_election.
func cmdPreferredElection(r *runner, d *datadriven.TestData) (Event, error) {
	parts, err := parseTPs(d.CmdArgs)
	if err != nil {
		return nil, err
	}
	return PreferredElectionRequested{Partitions: parts}, nil
}

// rebalance: leader.imbalance.check.interval.seconds elapsed.
func cmdRebalance(_ *runner, _ *datadriven.TestData) (Event, error) { return RebalanceTick{}, nil }

// config [unclean=(t,...)] [delete-enable=bool]: dynamic configuration.
func cmdConfig(r *runner, d *datadriven.TestData) (Event, error) {
	if a, ok := d.Arg("unclean"); ok {
		r.w.unclean = map[string]bool{}
		for _, t := range a.Vals {
			r.w.unclean[t] = true
		}
	}
	if d.HasArg("delete-enable") {
		d.ScanArgs(r.t, "delete-enable", &r.w.deleteEnable)
	}
	return nil, nil
}

// fence: another broker became controller; this one's writes now fail
// their epoch check.
func cmdFence(r *runner, _ *datadriven.TestData) (Event, error) {
	r.w.fenced = true
	return nil, nil
}

// flapping t/0 [off]: a leader writes the partition's state before each of
// the controller's writes.
func cmdFlapping(r *runner, d *datadriven.TestData) (Event, error) {
	tp, err := parseTP(d.CmdArgs[0].Key)
	if err != nil {
		return nil, err
	}
	r.w.flapping[tp] = !d.HasArg("off")
	return nil, nil
}

// alter-reassignments t/0=(3,4) t/1=(cancel) t/2=(empty): an
// AlterPartitionReassignments request.
func cmdAlterReassignments(r *runner, d *datadriven.TestData) (Event, error) {
	targets, err := parseTargets(d)
	if err != nil {
		return nil, err
	}
	r.lastOp++
	return ReassignmentsRequested{Op: r.lastOp, Targets: targets, Deleting: r.deleting()}, nil
}

func (r *runner) deleting() map[string]bool {
	out := map[string]bool{}
	for t := range r.w.deletions {
		out[t] = true
	}
	return out
}

// list-reassignments [t/0 ...]: ListPartitionReassignments.
func cmdListReassignments(r *runner, d *datadriven.TestData) (Event, error) {
	parts, err := parseTPs(d.CmdArgs)
	if err != nil {
		return nil, err
	}
	r.lastOp++
	return ReassignmentsListRequested{Op: r.lastOp, Only: parts}, nil
}

// reassign-node t/0=(3,4) ... [resume] [malformed]: an old tool wrote
// /admin/reassign_partitions (or, with resume, the controller reads it
// right after its election).
func cmdReassignNode(r *runner, d *datadriven.TestData) (Event, error) {
	targets, err := parseTargets(d)
	if err != nil {
		return nil, err
	}
	if len(targets) > 0 {
		r.w.reassignNode = targets
	}
	return ReassignRequestsRead{Requests: r.w.reassignNode, Malformed: d.HasArg("malformed"), Deleting: r.deleting(), Resume: d.HasArg("resume")}, nil
}

// state-changed t/0 [isr=(...)]: the watched state of a partition under
// reassignment changed, written by its leader.
func cmdStateChanged(r *runner, d *datadriven.TestData) (Event, error) {
	tp, err := parseTP(d.CmdArgs[0].Key)
	if err != nil {
		return nil, err
	}
	if err := r.w.leaderWrites(tp, func(s *PartitionState) { scanState(r, d, s) }); err != nil {
		return nil, err
	}
	return ReassignStateChanged{Partition: tp}, nil
}

// parseTargets reads topic/partition=(replicas...) arguments; "cancel"
// is a nil target.
func parseTargets(d *datadriven.TestData) (map[TopicPartition][]int32, error) {
	out := map[TopicPartition][]int32{}
	for _, a := range d.CmdArgs {
		if !strings.Contains(a.Key, "/") {
			continue
		}
		tp, err := parseTP(a.Key)
		if err != nil {
			return nil, err
		}
		out[tp] = nil
		for _, v := range a.Vals {
			if v == "cancel" {
				break
			}
			if v == "empty" {
				out[tp] = []int32{}
				break
			}
			id, err := parseID(v)
			if err != nil {
				return nil, err
			}
			out[tp] = append(out[tp], id)
		}
	}
	return out, nil
}

func scanState(r *runner, d *datadriven.TestData, s *PartitionState) {
	var n int
	if d.MaybeScanArgs(r.t, "leader", &n) {
		s.Leader = int32(n)
	}
	if d.MaybeScanArgs(r.t, "epoch", &n) {
		s.LeaderEpoch = int32(n)
	}
	if a, ok := d.Arg("isr"); ok {
		s.ISR = nil
		for _, v := range a.Vals {
			id, _ := parseID(v)
			s.ISR = append(s.ISR, id)
		}
	}
}

func parseID(s string) (int32, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32)
	return int32(n), err
}

func parseTP(s string) (TopicPartition, error) {
	topic, p, ok := strings.Cut(s, "/")
	if !ok {
		return TopicPartition{}, fmt.Errorf("%q is not topic/partition", s)
	}
	n, err := parseID(p)
	return TopicPartition{topic, n}, err
}

func parseTPs(args []datadriven.CmdArg) ([]TopicPartition, error) {
	var out []TopicPartition
	for _, a := range args {
		tp, err := parseTP(a.Key)
		if err != nil {
			return nil, err
		}
		out = append(out, tp)
	}
	return out, nil
}

// parseAssignment reads "partition: replica replica..." lines.
func parseAssignment(input string) (map[int32][]int32, error) {
	out := map[int32][]int32{}
	for _, line := range strings.Split(strings.TrimSpace(input), "\n") {
		p, rest, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%q is not partition: replicas", line)
		}
		pid, err := parseID(p)
		if err != nil {
			return nil, err
		}
		for _, f := range strings.Fields(rest) {
			id, err := parseID(f)
			if err != nil {
				return nil, err
			}
			out[pid] = append(out[pid], id)
		}
	}
	return out, nil
}
