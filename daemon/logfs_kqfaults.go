//go:build kqfaults

package daemon

import (
	"log/slog"
	"os"

	"github.com/kqhq/kq/store/vfs"
)

// faultsEnv names the control file of a test build's fault injector.
const faultsEnv = "KQ_FAULTS_FILE"

// logFS, in a build with the kqfaults tag, puts the faults the file named
// by KQ_FAULTS_FILE holds (vfs.ControlFile) under the log dirs, so a test
// can stall or fail the disk of a broker it runs as a process. Release
// builds never carry this file.
func logFS(log *slog.Logger) vfs.FS {
	path := os.Getenv(faultsEnv)
	if path == "" {
		return vfs.OS{}
	}
	log.Warn("test build: log dirs go through a fault injector", "control_file", path)
	return vfs.WithFaults(vfs.OS{}, vfs.NewControlFile(path))
}
