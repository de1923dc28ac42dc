package consume

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kqhq/kq/admin"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clierr"
	"github.com/kqhq/kq/cmd/kq/internal/cli/clitest"
)

func propsFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "formatter.properties")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestConsoleConsumerFlags: kafka-console-consumer's formatter, formatter
// config, deserializer, include and systest flags against the fake cluster
// (topic "t", partition 0 holds k0=v0, k2=v2, k4=v4).
func TestConsoleConsumerFlags(t *testing.T) {
	p0 := []string{"--from-beginning", "-e", "-p", "0"}
	tests := []struct {
		name       string
		args       []string
		wantOut    string
		wantErrOut string
	}{
		{"Kafka's default formatter", append([]string{"t", "--formatter", "org.apache.kafka.tools.consumer.DefaultMessageFormatter"}, p0...),
			"v0\nv2\nv4\n", ""},
		{"deprecated formatter name warns", append([]string{"t", "--formatter", "kafka.tools.DefaultMessageFormatter"}, p0...),
			"v0\nv2\nv4\n", "WARNING: kafka.tools.DefaultMessageFormatter is deprecated"},
		{"no-op formatter counts", append([]string{"t", "--formatter", "org.apache.kafka.tools.consumer.NoOpMessageFormatter"}, p0...),
			"", "Processed a total of 3 messages"},
		{"logging formatter", append([]string{"t", "--formatter", "kafka.tools.LoggingMessageFormatter"}, p0...),
			"v0\nv2\nv4\n", "INFO CreateTime:1000, key:k0, value:v0\n"},
		{"--formatter-config under --property", append([]string{"t", "--formatter-config", propsFile(t, "print.key=true\nkey.separator=:\n"),
			"--property", "key.separator=="}, p0...), "k0=v0\nk2=v2\nk4=v4\n", ""},
		{"string deserializer", append([]string{"t", "--value-deserializer", "org.apache.kafka.common.serialization.StringDeserializer"}, p0...),
			"v0\nv2\nv4\n", ""},
		{"a deserializer as a formatter property", append([]string{"t", "--property", "value.deserializer=org.apache.kafka.common.serialization.StringDeserializer",
			"--property", "print.key=true"}, p0...), "k0\tv0\nk2\tv2\nk4\tv4\n", ""},
		{"integer deserializer stops on a bad record", append([]string{"t", "--value-deserializer", "org.apache.kafka.common.serialization.IntegerDeserializer"}, p0...),
			"", "Processed a total of 0 messages"},
		{"--skip-message-on-error", append([]string{"t", "--skip-message-on-error", "--key-deserializer", "org.apache.kafka.common.serialization.LongDeserializer",
			"--property", "print.key=true"}, p0...), "", "Error processing message, skipping this message: record t-0@0: key: size of data received by LongDeserializer is not 8"},
		{"--include picks the one matching topic", []string{"--include", "t|nomatch", "--from-beginning", "-e", "-p", "1"}, "v1\nv3\nv5\n", ""},
		{"--whitelist warns", []string{"--whitelist", "t", "--from-beginning", "-e", "-p", "1"}, "v1\nv3\nv5\n", "--whitelist is deprecated; use --include"},
		{"--enable-systest-events", append([]string{"t", "--enable-systest-events"}, p0...), "v0\nv2\nv4\nshutdown_complete\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := clitest.New(filled(t))
			err := execute(context.Background(), env, nil, tt.args...)
			if strings.Contains(tt.name, "stops") {
				if clierr.Code(err) != clierr.CodeFailure || !strings.Contains(err.Error(), "IntegerDeserializer is not 4") {
					t.Fatalf("err %v", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if env.Out.String() != tt.wantOut || !strings.Contains(env.ErrOut.String(), tt.wantErrOut) {
				t.Fatalf("stdout %q stderr %q", env.Out.String(), env.ErrOut.String())
			}
		})
	}
}

func TestConsoleConsumerFlagsRefused(t *testing.T) {
	for _, args := range [][]string{
		{"t", "--formatter", "com.example.MyFormatter"},
		{"t", "--formatter", "kafka.coordinator.group.GroupMetadataManager$OffsetsMessageFormatter"},
		{"t", "--formatter", "org.apache.kafka.tools.consumer.NoOpMessageFormatter", "--format", "%v"},
		{"t", "--key-deserializer", "io.confluent.kafka.serializers.KafkaAvroDeserializer"},
		{"t", "--value-deserializer", "IntegerDeserializer"},
		{"t", "--formatter-config", "/nonexistent/formatter.properties"},
		{"t", "--include", "t"},
		{"--include", "("},
	} {
		env := clitest.New(filled(t))
		ran := false
		err := execute(context.Background(), env, func(context.Context, *Options) error { ran = true; return nil }, args...)
		if clierr.Code(err) != clierr.CodeUsage || ran {
			t.Errorf("%q: err %v ran %v", args, err, ran)
		}
	}
}

func TestDeserializers(t *testing.T) {
	be := func(n uint64, size int) []byte {
		b := make([]byte, 8)
		binary.BigEndian.PutUint64(b, n)
		return b[8-size:]
	}
	tests := []struct {
		class string
		in    []byte
		want  string
	}{
		{"IntegerDeserializer", be(uint64(0xFFFFFFFE), 4), "-2"},
		{"LongDeserializer", be(1<<40, 8), "1099511627776"},
		{"ShortDeserializer", be(7, 2), "7"},
		{"FloatDeserializer", be(0x3FC00000, 4), "1.5"},
		{"DoubleDeserializer", be(0x4202A05F20000000, 8), "1.0E10"},
		{"DoubleDeserializer", be(0x3FF0000000000000, 8), "1.0"},
		{"UUIDDeserializer", []byte("123E4567-E89B-12D3-A456-426614174000"), "123e4567-e89b-12d3-a456-426614174000"},
		{"ByteArrayDeserializer", []byte{0xff, 0}, "\xff\x00"},
	}
	for _, tt := range tests {
		d, err := deserializerFor("--value-deserializer", deserializerPackage+tt.class)
		if err != nil {
			t.Fatal(err)
		}
		got, err := d(tt.in)
		if err != nil || string(got) != tt.want {
			t.Errorf("%s(%x) = %q, %v; want %q", tt.class, tt.in, got, err, tt.want)
		}
	}
	d, _ := deserializerFor("--value-deserializer", deserializerPackage+"VoidDeserializer")
	if _, err := d([]byte{}); err == nil {
		t.Error("VoidDeserializer took non-null data")
	}
	r, err := deserializing{value: d}.apply(admin.Record{})
	if err != nil || r.Value != nil {
		t.Errorf("VoidDeserializer on null: %v %v", r, err)
	}
}
