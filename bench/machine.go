package main

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// machine describes where the figures were taken.
type machine struct {
	cpu        string
	cores      int
	goVersion  string
	kernel     string
	loadBefore string
	loadAfter  string
}

func describeMachine() machine {
	return machine{cpu: cpuModel(), cores: runtime.NumCPU(), goVersion: goVersion(),
		kernel: readTrimmed("/proc/sys/kernel/osrelease"), loadBefore: loadAverage()}
}

func cpuModel() string {
	raw, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// goVersion is the toolchain that built kq (the go on PATH), falling back
// to the harness's own.
func goVersion() string {
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return runtime.Version()
	}
	return strings.TrimSpace(string(out))
}

// loadAverage is the 1, 5 and 15 minute load averages, as uptime shows them.
func loadAverage() string {
	f := strings.Fields(readTrimmed("/proc/loadavg"))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}

func readTrimmed(path string) string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(raw))
}
