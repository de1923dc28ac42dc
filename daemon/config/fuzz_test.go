package config

import (
	"strings"
	"testing"
)

// propsFromText reads "key=value" lines, a rough server.properties.
func propsFromText(text string) map[string]string {
	props := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			props[k] = v
		}
	}
	return props
}

func seedCorpus(f *testing.F) {
	for _, s := range []string{
		"",
		"broker.id=1\nlisteners=PLAINTEXT://:9092\nlog.dirs=/tmp/a,/tmp/b",
		"listeners=INTERNAL://[::1]:9092,EXTERNAL://h:0\nlistener.security.protocol.map=INTERNAL:PLAINTEXT,EXTERNAL:SSL\ninter.broker.listener.name=INTERNAL",
		"advertised.listeners=PLAINTEXT://0.0.0.0:9092",
		"log.retention.hours=-1\nlog.retention.minutes=2147483647\nlog.roll.hours=2147483647",
		"zookeeper.connect=a:1,b:2/chroot\nzookeeper.connection.timeout.ms=1",
		"log.cleanup.policy=compact,,delete\nmax.connections.per.ip.overrides=a:1,b:x",
		"log.cleaner.min.cleanable.ratio=NaN\ncompression.gzip.level=-1",
		"retention.ms=5\nmin.compaction.lag.ms=9\nmax.compaction.lag.ms=1",
	} {
		f.Add(s)
	}
}

// FuzzParse checks Parse never panics and a Broker it accepts can be
// described and resolved.
func FuzzParse(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, text string) {
		b, _, err := ParseWithOptions(propsFromText(text), testOptions)
		if err != nil {
			return
		}
		if len(b.Listeners) == 0 || len(b.AdvertisedListeners) == 0 || len(b.LogDirs) == 0 {
			t.Fatalf("accepted config without listeners or log dirs: %q", text)
		}
		b.DescribeBroker(nil, true, true)
		b.DescribeTopic(propsFromText(text), nil, true, true)
		if _, err := b.EffectiveTopicConfig(propsFromText(text)); err != nil && ValidateTopicConfigs(propsFromText(text)) == nil {
			t.Fatalf("overrides valid for Kafka defaults refused against broker defaults: %v", err)
		}
	})
}

// FuzzTopicAndDynamic checks topic and dynamic validation never panic and
// agree with the lenient paths that apply the same input.
func FuzzTopicAndDynamic(f *testing.F) {
	seedCorpus(f)
	base, _, err := ParseWithOptions(nil, testOptions)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		configs := propsFromText(text)
		_ = ValidateTopicConfigs(configs)
		_ = base.ValidateTopicConfigs(configs)
		for _, perBroker := range []bool{true, false} {
			strictErr := ValidateDynamicBrokerConfigs(configs, perBroker)
			layer := map[bool][2]map[string]string{true: {configs, nil}, false: {nil, configs}}[perBroker]
			_, warnings, _ := base.WithDynamic(layer[0], layer[1])
			if strictErr == nil && len(warnings) > 0 {
				t.Fatalf("valid dynamic configs %v dropped: %v", configs, warnings)
			}
		}
	})
}
