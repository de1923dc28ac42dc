package daemon

import (
	"errors"
	"fmt"
)

// errAllLogDirsOffline stops the broker: with no log dir left it can serve
// no partition, yet while it stays registered the controller keeps it as
// the leader of its partitions. Kafka's LogManager halts the broker then;
// kq stops without a controlled shutdown (there is nothing to hand over
// cleanly: its logs are unreadable), so its registration goes at once and
// the controller elects leaders among the other replicas.
var errAllLogDirsOffline = errors.New("every log dir is offline")

// onDirOffline is the log manager's callback for a directory taken
// offline after an I/O error.
func (d *Daemon) onDirOffline(dir string, err error) {
	d.log.Error("log directory offline: its partitions are unavailable on this broker", "dir", dir, "err", err)
	if d.logs == nil || len(d.logs.OfflineDirs()) < len(d.logs.Dirs()) {
		return
	}
	d.log.Error("stopping the broker: every log dir has failed", "log.dirs", d.logs.Dirs())
	select {
	case d.fatal <- fmt.Errorf("%w: last failure in %s: %w", errAllLogDirsOffline, dir, err):
	default: // already stopping
	}
}
