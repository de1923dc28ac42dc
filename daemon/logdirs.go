package daemon

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// errAllLogDirsOffline stops the broker: with no log dir left it can serve
// no partition, yet while it stays registered the controller keeps it as
// the leader of its partitions. Kafka's LogManager halts the broker then;
// kq stops without a controlled shutdown (there is nothing to hand over
// cleanly: its logs are unreadable), so its registration goes at once and
// the controller elects leaders among the other replicas.
var errAllLogDirsOffline = errors.New("every log dir is offline")

// onDirOffline is the log manager's callback for a directory taken
// offline after an I/O error. With other dirs still online the broker
// keeps serving them and tells the controller (reportDirFailures), which
// moves leadership of the offline dir's partitions to other replicas.
func (d *Daemon) onDirOffline(dir string, err error) {
	d.log.Error("log directory offline: its partitions are unavailable on this broker", "dir", dir, "err", err)
	if d.logs == nil || len(d.logs.OfflineDirs()) < len(d.logs.Dirs()) {
		select {
		case d.dirFailed <- dir:
		default: // a notification is pending already; it names this broker, not the dir
		}
		return
	}
	d.log.Error("stopping the broker: every log dir has failed", "log.dirs", d.logs.Dirs())
	select {
	case d.fatal <- fmt.Errorf("%w: last failure in %s: %w", errAllLogDirsOffline, dir, err):
	default: // already stopping
	}
}

// reportDirFailures writes a /log_dir_event_notification node for every
// log dir taken offline (Kafka's propagateLogDirEvent), retrying until the
// metadata store takes it or the broker stops.
func (d *Daemon) reportDirFailures(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case dir := <-d.dirFailed:
			d.notifyDirFailure(ctx, dir)
		}
	}
}

func (d *Daemon) notifyDirFailure(ctx context.Context, dir string) {
	for attempt := 1; ; attempt++ {
		err := d.session.client().NotifyLogDirEvent(ctx, d.cfg.BrokerID)
		if err == nil {
			d.log.Warn("told the controller a log dir is offline", "dir", dir)
			return
		}
		d.log.Warn("log dir event notification failed; retrying", "dir", dir, "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(min(time.Duration(attempt)*200*time.Millisecond, 5*time.Second)):
		}
	}
}
