// Command kfakebroker runs franz-go's kfake as a one-broker cluster in its
// own process, storing its data on disk, so the bench harness can read its
// CPU time from /proc the same way it reads kq's.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/twmb/franz-go/pkg/kfake"
)

func main() {
	port := flag.Int("port", 9092, "Port to listen on (127.0.0.1)")
	dir := flag.String("data-dir", "", "Directory kfake persists its log to (disk mode); required")
	flag.Parse()
	if err := run(*port, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "kfakebroker:", err)
		os.Exit(1)
	}
}

func run(port int, dir string) error {
	if dir == "" {
		return fmt.Errorf("--data-dir is required")
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(port), kfake.DataDir(dir))
	if err != nil {
		return fmt.Errorf("start kfake: %w", err)
	}
	defer c.Close()
	fmt.Println("listening on", c.ListenAddrs()[0])
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	return nil
}
