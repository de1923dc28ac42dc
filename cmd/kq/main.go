// Command kq is a Kafka-compatible log broker and its terminal toolkit.
package main

import (
	"os"

	"github.com/kqhq/kq/cmd/kq/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:])) }
