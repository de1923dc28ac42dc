//go:build deps_pin

// Temporary: pins the module's planned dependencies in go.mod while the
// packages that import them are written in parallel. Removed once they exist.
package main

import (
	_ "github.com/charmbracelet/bubbles/table"
	_ "github.com/charmbracelet/bubbletea"
	_ "github.com/charmbracelet/lipgloss"
	_ "github.com/go-zookeeper/zk"
	_ "github.com/klauspost/compress/zstd"
	_ "github.com/klauspost/compress/s2"
	_ "github.com/pierrec/lz4/v4"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/spf13/cobra"
	_ "github.com/spf13/cobra/doc"
	_ "github.com/spf13/viper"
	_ "github.com/twmb/franz-go/pkg/kadm"
	_ "github.com/twmb/franz-go/pkg/kgo"
	_ "github.com/twmb/franz-go/pkg/kmsg"
	_ "github.com/twmb/franz-go/pkg/kversion"
	_ "golang.org/x/sys/unix"
	_ "gopkg.in/yaml.v3"
	_ "github.com/mattn/go-isatty"
	_ "github.com/google/uuid"
)
